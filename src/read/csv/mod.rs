//! Reading Castline spreadsheets (CSV) into raw records, each row with its file, line and column.
//!
//! A story is one `events.csv`, optionally with `actors.csv` and `relations.csv`; which sheet is
//! which is told by its header (file names only break ties). Headers match case-insensitively,
//! with spaces, hyphens and underscores alike (`Date text` = `date_text`). Actors, groups and
//! sources named in cells are created on first mention, so a lone events sheet is a story.
//!
//! Positions: a row's `line` is where it starts in the file (a quoted cell may span lines), its
//! `column` the spreadsheet column number (1 = A), and its name `row N` counts spreadsheet rows
//! with the header as row 1. The table reader ([`read_table`], in `table.rs`) and the name
//! helpers are shared with the TimelineJS importer.

use crate::read::load::{
    Diagnostic, Loaded, Origin, Raw, RawActor, RawCitation, RawEvent, RawGroup, RawRelation,
    RawSource, RawStep, RawStepView, RawStory, Report, Severity, build, is_web_url, non_empty,
};

mod table;

pub(crate) use table::*;

/// Which sheet of a story a CSV file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Events,
    Actors,
    Relations,
    /// The story told in steps, told by its `step` column.
    Steps,
}

impl Sheet {
    /// Tells the sheet by its header, then by its file name.
    pub fn of(file: &str, keys: &[String]) -> Option<Sheet> {
        let has = |k: &str| keys.iter().any(|h| h == k);
        // By any of the names the events reader takes, so `headline,when` is an events sheet.
        let names_event = |field: &str| {
            EVENT_COLUMNS
                .iter()
                .filter(|(f, _)| *f == field)
                .flat_map(|(_, names)| names.iter())
                .any(|n| has(n))
        };
        if has("step") {
            Some(Sheet::Steps)
        } else if has("from") && has("to") {
            Some(Sheet::Relations)
        } else if names_event("date") || names_event("title") {
            Some(Sheet::Events)
        } else if has("name") {
            Some(Sheet::Actors)
        } else {
            let name = file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(file)
                .to_lowercase();
            if name.contains("relation") {
                Some(Sheet::Relations)
            } else if name.contains("actor") {
                Some(Sheet::Actors)
            } else if name.contains("event") {
                Some(Sheet::Events)
            } else {
                None
            }
        }
    }
}

/// Each field with the header keys (normalised, see [`normalise_header`]) that name it: the
/// first is the documented name, the others what spreadsheets made for other tools call it.
const EVENT_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("title", &["title", "headline"]),
    ("date", &["date", "when"]),
    ("date_text", &["date_text"]),
    (
        "actors",
        &["actors", "actor", "people", "participants", "who"],
    ),
    ("description", &["description"]),
    ("source", &["source"]),
    ("quote", &["quote"]),
    ("url", &["url", "link", "source_url", "source_link"]),
    ("tags", &["tags", "tag"]),
];

const ACTOR_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("name", &["name"]),
    ("role", &["role"]),
    ("group", &["group"]),
    ("description", &["description"]),
    ("url", &["url", "link"]),
];

const RELATION_COLUMNS: &[(&str, &[&str])] = &[
    ("from", &["from"]),
    ("to", &["to"]),
    ("label", &["label"]),
    ("date", &["date", "when"]),
    ("source", &["source"]),
    ("quote", &["quote"]),
];

/// A steps sheet: a row per step, ordered by its number in `step`; `select` and `fit` list
/// actors by name or id separated by `;`, `window` and `time` are `start..end` as in a link.
const STEP_COLUMNS: &[(&str, &[&str])] = &[
    ("step", &["step"]),
    ("title", &["title", "headline"]),
    ("text", &["text"]),
    ("source", &["source"]),
    ("quote", &["quote"]),
    ("url", &["url", "link", "source_url", "source_link"]),
    ("select", &["select"]),
    ("mode", &["mode"]),
    ("window", &["window"]),
    ("time", &["time"]),
    ("focus", &["focus"]),
    ("fit", &["fit"]),
];

/// Reads one events sheet alone (actors are created from its `actors` column).
pub fn load_csv(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_csv_set(&[(file, text)])
}

/// Reads the sheets of one story together.
pub fn load_csv_set(files: &[(&str, &str)]) -> Result<Loaded, Vec<Diagnostic>> {
    let main = files.first().map_or("input.csv", |f| f.0);
    let mut report = Report::new(main);
    let raw = read_csv_set(files, &mut report).ok_or_else(|| report.diagnostics.clone())?;
    Ok(build(raw, report))
}

/// Reads the sheets of one story into raw records. `None` if no sheet could be read at all.
pub fn read_csv_set(files: &[(&str, &str)], report: &mut Report) -> Option<RawStory> {
    let mut sheets: Vec<(Sheet, Table)> = Vec::new();
    for &(file, text) in files {
        let Some(mut table) = read_table(file, text, report) else {
            continue;
        };
        match Sheet::of(file, &table.keys) {
            Some(sheet) => {
                table.drop_ragged_rows(report);
                sheets.push((sheet, table));
            }
            None => report.push(
                Severity::Error,
                &Origin {
                    at: "whole file".into(),
                    file: Some(file.to_owned()),
                    line: Some(table.header.line()),
                    column: Some(1),
                    ..Origin::default()
                },
                None,
                format!(
                    "cannot tell which sheet this is, so none of its {} rows were read: an events \
                     sheet has title and date columns, an actors sheet a name column, a relations \
                     sheet from and to columns",
                    table.rows.len()
                ),
            ),
        }
    }
    if sheets.is_empty() {
        return None;
    }
    let mut reader = SetReader::default();
    // Actors first, so events and relations find them by id or name.
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Actors) {
        reader.actors(table, report);
    }
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Events) {
        reader.events(table, report);
    }
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Relations) {
        reader.relations(table, report);
    }
    // Last: steps name the actors and events of the other sheets, and create none.
    for (_, table) in sheets.iter().filter(|(s, _)| *s == Sheet::Steps) {
        reader.steps(table, report);
    }
    let SetReader {
        raw,
        created_actors,
        ..
    } = reader;
    let mut raw = raw;
    raw.actors.extend(created_actors);
    Some(raw)
}

#[derive(Default)]
struct SetReader {
    raw: RawStory,
    /// Actors created from names in events and relations, added after actors.csv's rows.
    created_actors: Vec<Raw<RawActor>>,
    actors: Named,
    groups: Named,
    sources: Named,
}

impl SetReader {
    fn actors(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(ACTOR_COLUMNS, report);
        if !cols.has("name") {
            table.header_problem(
                Severity::Error,
                "there is no \"name\" column; every actor needs a name".into(),
                report,
            );
        }
        let fields = cols.fields(&[]);
        // Ids first, so an id derived from a name never takes another row's explicit id.
        for row in &table.rows {
            let id = row.cell(cols.get("id")).trim();
            if !id.is_empty() {
                self.actors.reserve(id);
            }
        }
        for row in &table.rows {
            let origin = row.origin(&table.file, &fields);
            let name = row.cell(cols.get("name")).to_owned();
            let mut id = row.cell(cols.get("id")).trim().to_owned();
            if id.is_empty() {
                let base = match slug(&name) {
                    s if s.is_empty() => format!("actor-row-{}", row.number),
                    s => s,
                };
                id = self.actors.free_id(&base);
            }
            self.actors.declare(&id, &name);
            let group = non_empty(Some(row.cell(cols.get("group")).to_owned())).map(|g| {
                let (gid, created) = self.groups.get_or_create(&g, "group");
                if created {
                    self.raw.groups.push(Raw {
                        record: RawGroup {
                            id: gid.clone(),
                            name: g,
                            color: None,
                        },
                        origin: origin.clone(),
                    });
                }
                gid
            });
            self.raw.actors.push(Raw {
                record: RawActor {
                    id,
                    name,
                    role: Some(row.cell(cols.get("role")).to_owned()),
                    group,
                    description: Some(row.cell(cols.get("description")).to_owned()),
                    url: Some(row.cell(cols.get("url")).to_owned()),
                    // Sheets carry no layout: `castline publish` lays them out.
                    position: None,
                    // Nor media: a picture needs a row of its own fields (Castline JSON).
                    media: Vec::new(),
                },
                origin,
            });
        }
    }

    /// The id of an actor named in a cell, creating the actor when it is new.
    fn actor(&mut self, name: &str, origin: &Origin, field: &str, report: &mut Report) -> String {
        if let Some(id) = self.actors.find(name) {
            return id.to_owned();
        }
        let similar = self.actors.similar(name);
        let (id, created) = self.actors.get_or_create(name, "actor");
        if created {
            if let Some(other) = similar {
                report.push(
                    Severity::Warning,
                    origin,
                    Some(field),
                    format!(
                        "\"{name}\" is a new actor; did you mean \"{other}\"? (names must match \
                         exactly, apart from upper and lower case)"
                    ),
                );
            }
            self.created_actors.push(named_actor(&id, name, origin));
        }
        id
    }

    /// A row's citation from its `source` and `quote` cells and `url` (an events sheet's link
    /// cell; relations have none), creating the source on first mention.
    fn citation(
        &mut self,
        row: &Row,
        cols: &Columns,
        url: &str,
        origin: &Origin,
        report: &mut Report,
    ) -> Option<RawCitation> {
        let (source, quote) = (row.cell(cols.get("source")), row.cell(cols.get("quote")));
        // Checked here rather than in `load`, which would place it at the source column (the
        // citation's only position): the link is reported at its own cell.
        let dropped = |url: &str, report: &mut Report| {
            report.push(
                Severity::Warning,
                origin,
                Some("url"),
                format!(
                    "the link \"{url}\" was dropped: only http:// and https:// links are allowed"
                ),
            );
        };
        let url = match url.trim() {
            "" => "",
            url if is_web_url(url) => url,
            url => {
                dropped(url, report);
                ""
            }
        };
        let name = match (source.trim(), url) {
            ("", "") => {
                if !quote.trim().is_empty() {
                    report.push(
                        Severity::Warning,
                        origin,
                        Some("quote"),
                        "a quote needs a source; name it in the source column (the quote was \
                         ignored)",
                    );
                }
                return None;
            }
            ("", url) => match host_of(url) {
                Some(host) => host,
                None => {
                    dropped(url, report);
                    return None;
                }
            },
            (name, _) => name.to_owned(),
        };
        let (id, created) = self.sources.get_or_create(&name, "source");
        if created {
            self.raw.sources.push(named_source(&id, name, None, origin));
        }
        Some(RawCitation {
            source: id,
            quote: Some(quote.to_owned()),
            url: Some(url.to_owned()),
        })
    }

    fn events(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(EVENT_COLUMNS, report);
        for required in ["title", "date"] {
            if !cols.has(required) {
                table.header_problem(
                    Severity::Error,
                    format!("there is no \"{required}\" column; every event needs a {required}"),
                    report,
                );
            }
        }
        let fields = cols.fields(&[("sources", "source")]);
        for row in &table.rows {
            let origin = row.origin(&table.file, &fields);
            let title = row.cell(cols.get("title")).to_owned();
            let id = match row.cell(cols.get("id")).trim() {
                "" => derived_id(&title, row.number),
                id => id.to_owned(),
            };
            let actors = split_list(row.cell(cols.get("actors")))
                .iter()
                .map(|name| self.actor(name, &origin, "actors", report))
                .collect();
            let url = row.cell(cols.get("url"));
            let citation = self.citation(row, &cols, url, &origin, report);
            self.raw.events.push(Raw {
                record: RawEvent {
                    id,
                    title,
                    date: row.cell(cols.get("date")).to_owned(),
                    date_text: Some(row.cell(cols.get("date_text")).to_owned()),
                    actors,
                    description: Some(row.cell(cols.get("description")).to_owned()),
                    sources: citation.into_iter().collect(),
                    tags: split_list(row.cell(cols.get("tags"))),
                    media: Vec::new(),
                },
                origin,
            });
        }
    }

    fn relations(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(RELATION_COLUMNS, report);
        if !cols.has("label") {
            table.header_problem(
                Severity::Error,
                "there is no \"label\" column; every relation needs a label".into(),
                report,
            );
        }
        let fields = cols.fields(&[("sources", "source")]);
        for row in &table.rows {
            let mut origin = row.origin(&table.file, &fields);
            let (from, to) = (row.cell(cols.get("from")), row.cell(cols.get("to")));
            origin.at = format!("row {} \"{} → {}\"", row.number, from.trim(), to.trim());
            let mut ok = true;
            for (field, value) in [
                ("from", from),
                ("to", to),
                ("label", row.cell(cols.get("label"))),
            ] {
                if value.trim().is_empty() {
                    report.push(
                        Severity::Error,
                        &origin,
                        Some(field),
                        format!("the {field} is empty; the record was left out"),
                    );
                    ok = false;
                }
            }
            if !ok {
                continue;
            }
            let from = self.actor(from, &origin, "from", report);
            let to = self.actor(to, &origin, "to", report);
            let citation = self.citation(row, &cols, "", &origin, report);
            self.raw.relations.push(Raw {
                record: RawRelation {
                    from,
                    to,
                    label: row.cell(cols.get("label")).to_owned(),
                    date: Some(row.cell(cols.get("date")).to_owned()),
                    sources: citation.into_iter().collect(),
                },
                origin,
            });
        }
    }
}

impl SetReader {
    fn steps(&mut self, table: &Table, report: &mut Report) {
        let cols = table.columns(STEP_COLUMNS, report);
        if !cols.has("title") {
            table.header_problem(
                Severity::Error,
                "there is no \"title\" column; every step needs a title".into(),
                report,
            );
        }
        // A step's view fields are found at their cells.
        let fields = cols.fields(&[
            ("sources", "source"),
            ("view.select", "select"),
            ("view.mode", "mode"),
            ("view.window", "window"),
            ("view.time", "time"),
            ("view.focus", "focus"),
            ("view.fit", "fit"),
        ]);
        let mut steps = Vec::new();
        for row in &table.rows {
            let mut origin = row.origin(&table.file, &fields);
            let title = row.cell(cols.get("title")).to_owned();
            origin.at = format!("row {} \"{}\"", row.number, title.trim());
            let number = row.cell(cols.get("step")).trim();
            let order = match number.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    report.push(
                        Severity::Error,
                        &origin,
                        Some("step"),
                        format!(
                            "\"{number}\" is not a step number (1, 2, …); the record was left out"
                        ),
                    );
                    continue;
                }
            };
            // Names or ids, as events list them; a name found nowhere is left as written,
            // and the loader reports it as an unknown actor at its cell.
            let actors = |cell: &str, names: &Named| -> Vec<String> {
                split_list(cell)
                    .iter()
                    .map(|n| {
                        names
                            .find(n)
                            .map_or_else(|| n.trim().to_owned(), str::to_owned)
                    })
                    .collect()
            };
            let url = row.cell(cols.get("url"));
            let citation = self.citation(row, &cols, url, &origin, report);
            let text = |field: &str| Some(row.cell(cols.get(field)).to_owned());
            steps.push((
                order,
                Raw {
                    record: RawStep {
                        title,
                        text: text("text"),
                        sources: citation.into_iter().collect(),
                        view: RawStepView {
                            select: actors(row.cell(cols.get("select")), &self.actors),
                            mode: text("mode"),
                            window: text("window"),
                            time: text("time"),
                            focus: text("focus"),
                            fit: actors(row.cell(cols.get("fit")), &self.actors),
                        },
                    },
                    origin,
                },
            ));
        }
        // In the order of their numbers; rows of one number in the sheet's order.
        steps.sort_by_key(|(order, _)| *order);
        self.raw
            .steps
            .extend(steps.into_iter().map(|(_, step)| step));
    }
}

/// The id of an event whose id cell is empty: its title's slug and its row, so it stays the
/// same as long as the row does not move.
pub(crate) fn derived_id(title: &str, row: usize) -> String {
    match slug(title) {
        s if s.is_empty() => format!("row-{row}"),
        s => format!("{s}-{row}"),
    }
}

/// A source made from a name in a cell, located where it was first cited.
pub(crate) fn named_source(
    id: &str,
    name: String,
    url: Option<String>,
    origin: &Origin,
) -> Raw<RawSource> {
    Raw {
        record: RawSource {
            id: id.to_owned(),
            name,
            url,
        },
        origin: origin.clone(),
    }
}

/// An actor made from a name in a cell (of a spreadsheet or a TimelineJS sheet), located
/// where the name was first written.
pub(crate) fn named_actor(id: &str, name: &str, origin: &Origin) -> Raw<RawActor> {
    Raw {
        record: RawActor {
            id: id.to_owned(),
            name: name.trim().to_owned(),
            ..RawActor::default()
        },
        origin: Origin {
            at: format!("{}, actor \"{}\"", origin.at, name.trim()),
            ..origin.clone()
        },
    }
}

#[cfg(test)]
mod tests;
