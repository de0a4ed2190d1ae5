//! TimelineJS's spreadsheet template (CSV): each row a slide.

use super::*;

const CSV_COLUMNS: &[(&str, &[&str])] = &[
    ("Year", &["year"]),
    ("Month", &["month"]),
    ("Day", &["day"]),
    ("Time", &["time"]),
    ("End Year", &["end_year"]),
    ("End Month", &["end_month"]),
    ("End Day", &["end_day"]),
    ("End Time", &["end_time"]),
    ("Display Date", &["display_date"]),
    ("Headline", &["headline"]),
    ("Text", &["text"]),
    ("Media", &["media"]),
    ("Media Credit", &["media_credit"]),
    ("Media Caption", &["media_caption"]),
    ("Media Thumbnail", &["media_thumbnail"]),
    ("Media Alt", &["media_alt", "alt_text", "alt"]),
    ("Media Title", &["media_title"]),
    ("Type", &["type"]),
    ("Group", &["group"]),
    ("Background", &["background"]),
    ("Actors", &["actors", "actor"]),
    ("Unique Id", &["unique_id", "id"]),
];

/// True when a CSV header is TimelineJS's: it has Year and Headline columns.
pub fn is_timelinejs_header(keys: &[String]) -> bool {
    keys.iter().any(|k| k == "year") && keys.iter().any(|k| k == "headline")
}

/// Reads a TimelineJS spreadsheet (CSV).
pub fn load_timelinejs_csv(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let mut report = Report::new(file);
    let raw = read_csv(file, text, &mut report).ok_or_else(|| report.diagnostics.clone())?;
    Ok(build(raw, report))
}

/// Parses a TimelineJS CSV into raw records; `None` if nothing can be read.
pub fn read_csv(file: &str, text: &str, report: &mut Report) -> Option<RawStory> {
    let mut table = read_table(file, text, report)?;
    table.drop_ragged_rows(report);
    let cols = table.columns(CSV_COLUMNS, report);
    if !cols.has("Year") {
        table.header_problem(
            Severity::Error,
            "there is no Year column; every slide except the title needs one".into(),
            report,
        );
    }
    let slides: Vec<Slide> = table
        .rows
        .iter()
        .map(|row| csv_slide(&table, &cols, row))
        .collect();
    Some(finish(&slides, report))
}

fn csv_slide(table: &Table, cols: &crate::read::csv::Columns, row: &Row) -> Slide {
    // Diagnostics name columns as the sheet writes them; `title`, `date`, `actors`, `sources`
    // and `id` are the names the shared checks use.
    let written = |field: &str| {
        cols.get(field)
            .and_then(|c| table.header.cells.get(c))
            .map_or_else(|| field.to_owned(), |h| h.trim().to_owned())
    };
    let mut fields: Vec<(String, usize)> = cols.0.iter().map(|&(f, c)| (written(f), c)).collect();
    for (alias, field) in [
        ("title", "Headline"),
        ("date", "Year"),
        ("sources", "Media Credit"),
        ("id", "Unique Id"),
        ("actors", "Group"),
    ] {
        if let Some(c) = cols.get(field) {
            fields.push((alias.to_owned(), c));
        }
    }
    let field_refs: Vec<(&str, usize)> = fields.iter().map(|(f, c)| (f.as_str(), *c)).collect();
    let origin = row.origin(&table.file, &field_refs);
    let part = |field: &str| Part::new(row.cell(cols.get(field)), written(field));
    Slide {
        origin,
        number: row.number,
        kind: part("Type"),
        start: DateParts {
            year: part("Year"),
            month: part("Month"),
            day: part("Day"),
            time: part("Time"),
        },
        end: DateParts {
            year: part("End Year"),
            month: part("End Month"),
            day: part("End Day"),
            time: part("End Time"),
        },
        display_date: row.cell(cols.get("Display Date")).to_owned(),
        headline: part("Headline"),
        text: part("Text"),
        media: part("Media"),
        credit: part("Media Credit"),
        group: row.cell(cols.get("Group")).to_owned(),
        actors: split_list(row.cell(cols.get("Actors"))),
        unique_id: row.cell(cols.get("Unique Id")).to_owned(),
        era: false,
        caption: part("Media Caption"),
        thumbnail: part("Media Thumbnail"),
        alt: part("Media Alt"),
        media_title: part("Media Title"),
    }
}
