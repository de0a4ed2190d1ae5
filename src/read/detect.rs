//! Which format a file is, told by its content rather than its name, and loading any of them.
//!
//! JSON whose `events` carry `start_date` objects (or that has `eras`, or a `title` object) is
//! TimelineJS; any other JSON is Castline JSON, whose reader gives the most useful diagnostics.
//! Text that is not JSON is CSV: TimelineJS's when its header has Year and Headline, Castline's
//! otherwise. [`decode`] turns a file's bytes into text first, refusing what is not Unicode.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::read::csv::{self as sheet, line_column, normalise_header};
use crate::read::json;
use crate::read::load::{Diagnostic, Loaded, Origin, Report, Severity, build};
use crate::read::timelinejs;

/// The formats Castline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CastlineJson,
    CastlineCsv,
    TimelineJsJson,
    TimelineJsCsv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::CastlineJson => "Castline JSON",
            Format::CastlineCsv => "Castline CSV",
            Format::TimelineJsJson => "TimelineJS JSON",
            Format::TimelineJsCsv => "TimelineJS CSV",
        }
    }
}

/// Tells the format of a text by its content.
pub fn detect(text: &str) -> Format {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if body.starts_with('{') || body.starts_with('[') {
        return if looks_like_timelinejs_json(body) {
            Format::TimelineJsJson
        } else {
            Format::CastlineJson
        };
    }
    let mut reader = sheet::csv_reader(body, sheet::delimiter_of(body));
    let mut header = csv::StringRecord::new();
    // The first row with any content is the header, as the CSV readers take it.
    while let Ok(true) = reader.read_record(&mut header) {
        if header.iter().any(|c| !c.trim().is_empty()) {
            let keys: Vec<String> = header.iter().map(normalise_header).collect();
            if timelinejs::is_timelinejs_header(&keys) {
                return Format::TimelineJsCsv;
            }
            break;
        }
    }
    Format::CastlineCsv
}

fn looks_like_timelinejs_json(text: &str) -> bool {
    let Ok(root) = serde_json::from_str::<BTreeMap<String, &RawValue>>(text) else {
        return false;
    };
    if root.contains_key("format") || root.contains_key("actors") {
        return false;
    }
    let first_event_has_start_date = root
        .get("events")
        .and_then(|e| serde_json::from_str::<Vec<&RawValue>>(e.get()).ok())
        .and_then(|events| {
            events.iter().find_map(|e| {
                serde_json::from_str::<BTreeMap<String, &RawValue>>(e.get())
                    .ok()
                    .map(|obj| obj.contains_key("start_date"))
            })
        })
        .unwrap_or(false);
    let title_is_object = root
        .get("title")
        .is_some_and(|t| t.get().trim_start().starts_with('{'));
    first_event_has_start_date || root.contains_key("eras") || title_is_object
}

/// Loads a file of any supported format. `Err` only when nothing at all can be read.
pub fn load_any(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    match detect(text) {
        Format::CastlineJson => json::load_json(file, text),
        Format::CastlineCsv => sheet::load_csv(file, text),
        Format::TimelineJsJson => timelinejs::load_timelinejs_json(file, text),
        Format::TimelineJsCsv => timelinejs::load_timelinejs_csv(file, text),
    }
}

/// Loads the files of one story: one file of any format, or several Castline CSV sheets
/// (events, actors, relations) read together.
pub fn load_files(files: &[(&str, &str)]) -> Result<Loaded, Vec<Diagnostic>> {
    match files {
        [] => {
            let mut report = Report::new("input");
            report.whole_file("no file was given");
            Err(report.diagnostics)
        }
        [(file, text)] => load_any(file, text),
        _ => {
            let mut report = Report::new(files[0].0);
            for &(file, text) in files {
                let format = detect(text);
                if format != Format::CastlineCsv {
                    let origin = Origin {
                        at: "whole file".into(),
                        file: Some(file.to_owned()),
                        ..Origin::default()
                    };
                    report.push(
                        Severity::Error,
                        &origin,
                        None,
                        format!(
                            "this is {}: only Castline CSV sheets (events, actors, relations) \
                             can be read together as one story; read this file on its own",
                            format.name()
                        ),
                    );
                }
            }
            if !report.diagnostics.is_empty() {
                return Err(report.diagnostics);
            }
            let raw = sheet::read_csv_set(files, &mut report)
                .ok_or_else(|| report.diagnostics.clone())?;
            Ok(build(raw, report))
        }
    }
}

/// A file's bytes as text. UTF-8 (with or without a byte-order mark) is taken as it is, and
/// UTF-16 with a byte-order mark (what spreadsheets call "Unicode text") is converted; anything
/// else is refused with the line, column and byte offset of the first byte that is not UTF-8,
/// rather than guessed at (a Latin-1 file read as UTF-8 would silently garble every accent).
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let error = |line: Option<usize>, column: Option<usize>, message: String| Diagnostic {
        severity: Severity::Error,
        file: file.to_owned(),
        line,
        column,
        location: "whole file".into(),
        message,
    };
    let utf16 = |rest: &[u8], little: bool| -> Result<String, Diagnostic> {
        if !rest.len().is_multiple_of(2) {
            return Err(error(
                None,
                None,
                "the file says it is UTF-16 but has an odd number of bytes: is it cut off?".into(),
            ));
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| {
                if little {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| {
            error(
                None,
                None,
                "the file says it is UTF-16 but is not valid UTF-16; save it as UTF-8".into(),
            )
        })
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => String::from_utf8(bytes.to_vec()).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
            let (line, column) = line_column(valid, offset);
            error(
                Some(line),
                Some(column),
                format!(
                    "byte {offset} (0x{:02X}) is not UTF-8: the file is in another encoding, \
                     perhaps Latin-1 or Windows-1252. Save or export it as UTF-8 (in a \
                     spreadsheet: CSV UTF-8)",
                    bytes.get(offset).copied().unwrap_or(0)
                ),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DEFAULT_STORY, DEFAULT_STORY_FILE};

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(detect(DEFAULT_STORY), Format::CastlineJson);
        assert_eq!(
            detect("\u{feff}  {\"events\":[{\"start_date\":{\"year\":2020}}]}"),
            Format::TimelineJsJson
        );
        assert_eq!(
            detect("{\"title\":{\"text\":{}},\"events\":[]}"),
            Format::TimelineJsJson
        );
        assert_eq!(
            detect("{\"events\":[{\"id\":\"a\",\"date\":\"2020\"}]}"),
            Format::CastlineJson
        );
        assert_eq!(detect("{broken"), Format::CastlineJson);
        assert_eq!(
            detect(",,\nYear,Month,Headline\n2020,,x\n"),
            Format::TimelineJsCsv
        );
        assert_eq!(detect("title,date\nx,2020\n"), Format::CastlineCsv);
        assert_eq!(detect(""), Format::CastlineCsv);
    }

    #[test]
    fn any_format_loads() {
        let json = load_any(DEFAULT_STORY_FILE, DEFAULT_STORY).expect("loads");
        assert!(json.story.events.len() > 5);
        let tjs =
            load_any("t.csv", "Year,Headline,Type\n,Title,title\n2020,Slide,\n").expect("loads");
        assert_eq!(tjs.story.title, "Title");
        assert_eq!(tjs.story.events.len(), 1);
    }

    #[test]
    fn csv_sheets_load_together_and_nothing_else_does() {
        let loaded = load_files(&[
            ("events.csv", "title,date,actors\nA,2020,x\n"),
            ("actors.csv", "id,name\nx,Xavier\n"),
        ])
        .expect("loads");
        assert_eq!(loaded.story.actors[0].name, "Xavier");
        let errs = load_files(&[
            ("events.csv", "title,date\nA,2020\n"),
            ("story.json", DEFAULT_STORY),
        ])
        .unwrap_err();
        assert!(
            errs[0]
                .to_string()
                .starts_with("story.json: error: whole file: this is Castline JSON"),
            "{errs:?}"
        );
        assert!(load_files(&[]).is_err());
    }

    #[test]
    fn bytes_become_text_or_a_located_error() {
        assert_eq!(decode("a", b"\xEF\xBB\xBFok").as_deref(), Ok("\u{feff}ok"));
        assert_eq!(decode("a", b"\xFF\xFEo\0k\0").as_deref(), Ok("ok"));
        assert_eq!(decode("a", b"\xFE\xFF\0o\0k").as_deref(), Ok("ok"));
        let e = decode("latin1.csv", b"title,date\nCaf\xE9,2020\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "latin1.csv:2:4: error: whole file: byte 14 (0xE9) is not UTF-8: the file is in \
             another encoding, perhaps Latin-1 or Windows-1252. Save or export it as UTF-8 (in \
             a spreadsheet: CSV UTF-8)"
        );
        assert!(decode("odd", b"\xFF\xFEo").is_err());
    }
}
