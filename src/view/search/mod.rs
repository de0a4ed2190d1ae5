//! The search box's answers: actors by name and role, events by title, case- and
//! accent-blind, best first. The page sends what the reader typed and shows the few entries
//! returned; it keeps no list of its own.

mod bases;

use serde::Serialize;

use crate::story::model::Story;

/// At most this many answers are shown.
pub const MAX_RESULTS: usize = 8;

/// Case- and accent-blind text: "Zélensk" and "zelensk" are the same, as are "Dmitriev" and
/// "DMITRIEV". A letter with marks becomes its base letter (as Unicode's canonical
/// decomposition has it, `bases.rs`), combining marks typed apart are dropped, then lower case.
pub fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if is_combining_mark(c) {
            continue;
        }
        out.extend(base_letter(c).to_lowercase());
    }
}

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

fn base_letter(c: char) -> char {
    let Ok(code) = u16::try_from(u32::from(c)) else {
        return c;
    };
    if code < 0xC0 {
        return c;
    }
    match bases::BASES.binary_search_by_key(&code, |&(from, _)| from) {
        Ok(i) => char::from_u32(u32::from(bases::BASES[i].1)).unwrap_or(c),
        Err(_) => c,
    }
}

/// The blocks of combining diacritical marks (what a decomposed "é" carries after its "e").
fn is_combining_mark(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Actor,
    Event,
}

/// One answer, as the search box lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry<'a> {
    pub kind: EntryKind,
    pub id: &'a str,
    pub label: &'a str,
    /// An actor's role, an event's date.
    pub detail: String,
}

/// The story's searchable text folded once: actors (name and role) then events (title), in
/// story order, in one string with each entry's end, so a big story's 200,000 titles are one
/// allocation rather than 200,000.
#[derive(Debug, Default)]
pub struct SearchIndex {
    text: String,
    ends: Vec<usize>,
    actors: usize,
}

impl SearchIndex {
    pub fn new(story: &Story) -> SearchIndex {
        let mut index = SearchIndex {
            actors: story.actors.len(),
            ..SearchIndex::default()
        };
        index.ends.reserve(story.actors.len() + story.events.len());
        for a in &story.actors {
            fold_into(&a.name, &mut index.text);
            index.text.push(' ');
            fold_into(a.role.as_deref().unwrap_or(""), &mut index.text);
            index.ends.push(index.text.len());
        }
        for e in &story.events {
            fold_into(&e.title, &mut index.text);
            index.ends.push(index.text.len());
        }
        index
    }

    fn entry_text(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The best `max` entries for `query`: every word of it must occur; entries where every
    /// word starts a word come first, then actors before events, then story order.
    pub fn find<'a>(&self, story: &'a Story, query: &str, max: usize) -> Vec<Entry<'a>> {
        let query = fold(query);
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() || max == 0 {
            return Vec::new();
        }
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for i in 0..self.ends.len() {
            let text = self.entry_text(i);
            if !words.iter().all(|w| text.contains(w)) {
                continue;
            }
            let starts = words
                .iter()
                .filter(|w| text.starts_with(**w) || text.contains(&format!(" {w}")))
                .count();
            let kind = usize::from(i >= self.actors);
            scored.push(((words.len() - starts) * 2 + kind, i));
        }
        scored.sort_unstable();
        scored
            .into_iter()
            .take(max)
            .map(|(_, i)| self.entry(story, i))
            .collect()
    }

    fn entry<'a>(&self, story: &'a Story, i: usize) -> Entry<'a> {
        if i < self.actors {
            let a = &story.actors[i];
            Entry {
                kind: EntryKind::Actor,
                id: &a.id,
                label: &a.name,
                detail: a.role.clone().unwrap_or_default(),
            }
        } else {
            let e = &story.events[i - self.actors];
            Entry {
                kind: EntryKind::Event,
                id: &e.id,
                label: &e.title,
                detail: Some(e.when.label())
                    .filter(|label| !label.is_empty())
                    .or_else(|| e.date_text.clone())
                    .unwrap_or_default(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::load_json;

    #[test]
    fn folding_drops_case_and_accents_whether_composed_or_not() {
        assert_eq!(fold("Zélensky"), "zelensky");
        assert_eq!(fold("Ze\u{301}lensky"), "zelensky");
        assert_eq!(fold("ÅNGSTRÖM Łódź"), "angstrom łodz");
        assert_eq!(fold("Vũ Đức Đam"), "vu đuc đam");
        assert_eq!(fold("Зеленский"), "зеленскии");
        assert_eq!(fold("Ἀθῆναι"), "αθηναι");
        // Nothing outside letters and marks is touched.
        assert_eq!(fold("28-point plan, Nov. 18"), "28-point plan, nov. 18");
    }

    #[test]
    fn the_table_is_sorted_and_maps_to_letters_without_marks() {
        assert!(bases::BASES.windows(2).all(|w| w[0].0 < w[1].0));
        for &(from, to) in &bases::BASES {
            let to = char::from_u32(u32::from(to)).expect("a character");
            assert_eq!(base_letter(to), to, "U+{from:04X} maps to a base letter");
        }
    }

    fn story() -> Story {
        let text = r#"{"title":"T",
          "actors":[{"id":"z","name":"Volodymyr Zelensky","role":"President"},
                    {"id":"d","name":"Kirill Dmitriev","role":"Financier, envoy"},
                    {"id":"p","name":"Pres Ident"}],
          "events":[{"id":"e1","title":"The president meets Dmitriev","date":"2025-11","actors":["z","d"]},
                    {"id":"e2","title":"Zelensky in Kyiv","date":"2025-11-20","date_text":"on Thursday","actors":["z"]}]}"#;
        load_json("t.json", text).expect("the story loads").story
    }

    #[test]
    fn every_word_must_occur_and_word_starts_come_first_actors_before_events() {
        let story = story();
        let index = SearchIndex::new(&story);
        let ids = |q: &str| -> Vec<&str> {
            index
                .find(&story, q, MAX_RESULTS)
                .iter()
                .map(|e| e.id)
                .collect()
        };
        assert_eq!(ids("ZÉLENSK"), ["z", "e2"]);
        assert_eq!(ids("financier"), ["d"], "a role finds its actor");
        assert_eq!(ids("dmitriev president"), ["e1"], "every word must occur");
        // "ident" starts a word only in "Pres Ident"; inside "president" it is a weaker match.
        assert_eq!(ids("ident"), ["p", "z", "e1"]);
        assert!(ids("  ").is_empty());
        assert_eq!(index.find(&story, "e", 2).len(), 2, "at most `max` answers");
    }

    #[test]
    fn an_entry_carries_what_the_box_shows() {
        let story = story();
        let index = SearchIndex::new(&story);
        let found = index.find(&story, "kyiv", MAX_RESULTS);
        let date = story.events[1].when.label();
        assert!(!date.is_empty());
        assert_eq!(
            found,
            [Entry {
                kind: EntryKind::Event,
                id: "e2",
                label: "Zelensky in Kyiv",
                detail: date,
            }]
        );
        let found = index.find(&story, "kirill", MAX_RESULTS);
        assert_eq!(found[0].kind, EntryKind::Actor);
        assert_eq!(found[0].detail, "Financier, envoy");
    }
}
