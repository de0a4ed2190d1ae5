//! Text measurement without the DOM: widths from a table of glyph advances, close to (and a
//! little wider than) the common sans-serif fonts, so a label measured here always fits the
//! box reserved for it, in the browser and in SVG alike, and layout stays deterministic.

/// Font size of actor labels, CSS px.
pub const LABEL_FONT_PX: f64 = 12.0;
/// Height reserved for one line of label text.
pub const LABEL_HEIGHT_PX: f64 = 15.0;
/// Font size of relation labels ("son-in-law").
pub const RELATION_FONT_PX: f64 = 10.0;
/// Font size of axis ticks and lane names on the time axis.
pub const AXIS_FONT_PX: f64 = 11.0;
/// The font every label is drawn in.
pub const FONT_FAMILY: &str =
    "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

/// Advance of one character in ems, modelled on DejaVu Sans (wider than Arial or Roboto).
fn advance_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '`' => 0.29,
        'f' | 't' | 'r' | 'I' | 'J' | '(' | ')' | '[' | ']' | '-' | '‘' | '’' => 0.42,
        'm' | 'w' => 0.98,
        'M' | 'W' | '—' | '@' | '%' => 1.0,
        'A'..='Z' => 0.76,
        '0'..='9' => 0.64,
        'a'..='z' => 0.63,
        '–' | '“' | '”' | '"' => 0.52,
        c if c.is_ascii() => 0.64,
        // Accented Latin letters are as wide as their base; other scripts get a wide default.
        // These are the letters below U+0250 (what `is_alphabetic` says there), written out
        // so that the wasm carries no Unicode letter table (1.7 KB).
        'ª' | 'µ' | 'º' | 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='\u{24f}' => 0.72,
        _ => 1.0,
    }
}

/// Width of `text` at `size_px`, CSS px.
pub fn text_width(text: &str, size_px: f64) -> f64 {
    text.chars().map(advance_em).sum::<f64>() * size_px
}

/// Cuts `text` to fit `max_px`, ending in an ellipsis when anything was cut.
pub fn ellipsize(text: &str, size_px: f64, max_px: f64) -> String {
    if text_width(text, size_px) <= max_px {
        return text.to_owned();
    }
    let budget = max_px - text_width("…", size_px);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += advance_em(c) * size_px;
        if used > budget {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        assert!(text_width("Kirill Dmitriev", 12.0) > text_width("Axios", 12.0));
        assert_eq!(text_width("", 12.0), 0.0);
        assert!((text_width("mm", 10.0) - 19.6).abs() < 1e-9);
    }

    #[test]
    fn ellipsize_cuts_only_when_needed() {
        assert_eq!(ellipsize("Axios", 12.0, 200.0), "Axios");
        let cut = ellipsize("Volodymyr Zelensky", 12.0, 60.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 12.0) <= 60.0,
            "{cut}"
        );
    }
}
