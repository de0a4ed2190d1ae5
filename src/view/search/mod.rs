//! The search box's answers: actors by name and role, events by title, case- and
//! accent-blind, best first. The page sends what the reader typed and shows the few entries
//! returned; it keeps no list of its own.

mod folds;

use serde::Serialize;

use crate::story::model::Story;

/// At most this many answers are shown.
pub const MAX_RESULTS: usize = 8;

/// Case- and accent-blind text: "Zélensk" and "zelensk" are the same, as are "Dmitriev" and
/// "DMITRIEV". A letter with marks becomes its base letter (as Unicode's canonical
/// decomposition has it), combining marks typed apart are dropped, and letters are put in
/// lower case, through one generated table (`folds.rs`) rather than the standard library's
/// case tables and a normalization crate: a third of their size in the first download.
pub fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if !is_combining_mark(c) {
            out.push(fold_char(c));
        }
    }
}

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

fn fold_char(c: char) -> char {
    let Ok(code) = u16::try_from(u32::from(c)) else {
        return c;
    };
    // The last run starting at or before `code`, if it covers it.
    let runs = &folds::FOLDS;
    let after = runs.partition_point(|&(first, ..)| first <= code);
    let Some(&(first, last, to, step, to_step)) = after.checked_sub(1).map(|i| &runs[i]) else {
        return c;
    };
    let k = (code - first) / u16::from(step);
    if code > last || (code - first) % u16::from(step) != 0 {
        return c;
    }
    char::from_u32(u32::from(to) + u32::from(k) * u32::from(to_step)).unwrap_or(c)
}

/// The blocks of combining diacritical marks (what a decomposed "é" carries after its "e").
fn is_combining_mark(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

/// Whether `word` occurs in `text`, and whether it occurs at the start of a word of it (after
/// a space). A plain scan: the words are short, and `str::contains` costs the first download
/// several KB.
fn occurs(text: &[u8], word: &[u8]) -> (bool, bool) {
    let mut found = false;
    if word.is_empty() || word.len() > text.len() {
        return (word.is_empty(), word.is_empty());
    }
    for at in 0..=text.len() - word.len() {
        if &text[at..at + word.len()] == word {
            if at == 0 || text[at - 1] == b' ' {
                return (true, true);
            }
            found = true;
        }
    }
    (found, false)
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
/// allocation rather than 200,000. Folded in parts ([`SearchIndex::fold_more`]) while the
/// page is idle, so that no task of a big story's runs long; a search folds what is left.
#[derive(Debug, Default)]
pub struct SearchIndex {
    text: String,
    ends: Vec<usize>,
    actors: usize,
}

impl SearchIndex {
    pub fn new(story: &Story) -> SearchIndex {
        let mut index = SearchIndex::default();
        index.fold_more(story, usize::MAX);
        index
    }

    /// Folds up to `count` more entries; true once every entry is folded.
    pub fn fold_more(&mut self, story: &Story, count: usize) -> bool {
        self.actors = story.actors.len();
        let total = story.actors.len() + story.events.len();
        let first = self.ends.len();
        let last = first.saturating_add(count).min(total);
        if first == 0 {
            self.ends.reserve(total);
        }
        for i in first..last {
            if let Some(a) = story.actors.get(i) {
                fold_into(&a.name, &mut self.text);
                self.text.push(' ');
                fold_into(a.role.as_deref().unwrap_or(""), &mut self.text);
            } else {
                fold_into(&story.events[i - self.actors].title, &mut self.text);
            }
            self.ends.push(self.text.len());
        }
        last == total
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
        // The best `max` so far, best first: kept by insertion, as `max` is a handful (and a
        // general sort costs the first download more than this whole search).
        let mut best: Vec<(usize, usize)> = Vec::with_capacity(max + 1);
        'entries: for i in 0..self.ends.len() {
            let text = self.entry_text(i).as_bytes();
            let mut starts = 0;
            for w in &words {
                match occurs(text, w.as_bytes()) {
                    (false, _) => continue 'entries,
                    (true, at_start) => starts += usize::from(at_start),
                }
            }
            let kind = usize::from(i >= self.actors);
            let score = (words.len() - starts) * 2 + kind;
            // Entries come in story order: an equal score goes after those already kept.
            let at = best.iter().take_while(|&&(kept, _)| kept <= score).count();
            if at < max {
                best.insert(at, (score, i));
                best.truncate(max);
            }
        }
        best.into_iter()
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
    fn the_table_is_sorted_and_folds_to_what_folds_no_further() {
        assert!(
            folds::FOLDS.windows(2).all(|w| w[0].1 < w[1].0),
            "runs in order, apart"
        );
        for &(first, last, _, step, _) in &folds::FOLDS {
            for code in (first..=last).step_by(usize::from(step)) {
                let c = char::from_u32(u32::from(code)).expect("a character");
                let to = fold_char(c);
                assert_ne!(to, c, "U+{code:04X} is in a run");
                assert_eq!(fold_char(to), to, "U+{code:04X} folds once");
            }
        }
        // Where the standard library has a one-letter lower case without marks, the table
        // agrees with it.
        for c in ['Ø', 'Ж', 'Ω', 'Ա', 'Ⴀ', 'Ｚ'] {
            let lower: Vec<char> = c.to_lowercase().collect();
            assert_eq!(fold_char(c), lower[0], "{c}");
        }
    }

    #[test]
    fn a_word_occurs_anywhere_and_counts_more_at_a_word_start() {
        assert_eq!(occurs(b"pres ident", b"ident"), (true, true));
        assert_eq!(occurs(b"president", b"ident"), (true, false));
        assert_eq!(occurs(b"president ident", b"ident"), (true, true));
        assert_eq!(occurs(b"kyiv", b"kyivx"), (false, false));
        assert_eq!(occurs(b"kyiv", b"yv"), (false, false));
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
    fn folding_in_parts_gives_what_folding_at_once_gives() {
        let story = story();
        let whole = SearchIndex::new(&story);
        let mut parts = SearchIndex::default();
        let mut steps = 0;
        while !parts.fold_more(&story, 2) {
            steps += 1;
        }
        assert_eq!(steps, 2, "5 entries, 2 at a time");
        assert_eq!(
            (parts.text.as_str(), &parts.ends),
            (whole.text.as_str(), &whole.ends)
        );
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
