//! The parts of URLs the server reads and writes: queries, and percent-encoding.

/// `application/x-www-form-urlencoded` pairs; `None` if an escape is malformed.
pub(super) fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |t: &str| percent_decode(&t.replace('+', " "));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the result is safe in
/// a query value and in an HTML attribute alike.
pub(super) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Like [`percent_encode`], but keeps `/` (for paths).
pub(super) fn percent_encode_path(text: &str) -> String {
    text.split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// Keeps a fragment's own syntax (`=&,:.` and escapes already there) and encodes the rest.
pub(super) fn percent_encode_fragment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~=&,:%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is
/// not UTF-8. (`+` stays `+`: it only means space in query strings.)
pub(super) fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex_digit(*bytes.get(i + 1)?)?;
            let low = hex_digit(*bytes.get(i + 2)?)?;
            out.push((high << 4) | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}
