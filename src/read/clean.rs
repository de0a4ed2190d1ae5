//! The first download's reader of a clean Castline JSON file: each record type read field by
//! field through one shared loop, in place of serde's derive.
//!
//! The derive writes every struct twice (from an object and from a list) with its own field
//! names' matcher and messages; these records are only ever objects, and any problem makes the
//! whole file `Err` (the full build then reads it again and says where), so one loop over
//! a table of field names does for all of them (about 7 KB gzip of the first download).
//! What it takes is what the derive with `deny_unknown_fields` took: every field once, the
//! required ones present, nothing unknown.

use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::read::load::{
    RawActor, RawCitation, RawEvent, RawGroup, RawMedia, RawRelation, RawSource, RawStep,
    RawStepView,
};

/// A record read from an object: `FIELDS` names its fields, `REQUIRED` has bit `i` set when
/// `FIELDS[i]` must be present, and `set` reads field `i`'s value.
pub(crate) trait Record: Default {
    const FIELDS: &'static [&'static str];
    const REQUIRED: u32;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error>;
}

/// Reads one object into `T`, refusing unknown, repeated and missing fields.
struct Object<T>(PhantomData<T>);

impl<'de, T: Record> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut record = T::default();
        let mut seen = 0u32;
        while let Some(field) = map.next_key_seed(Field(T::FIELDS))? {
            let Some(field) = field else {
                return Err(de::Error::custom("unknown field"));
            };
            let bit = 1 << field;
            if seen & bit != 0 {
                return Err(de::Error::custom("a field written twice"));
            }
            seen |= bit;
            record.set(field, &mut map)?;
        }
        if seen & T::REQUIRED != T::REQUIRED {
            return Err(de::Error::custom("a required field is missing"));
        }
        Ok(record)
    }
}

/// A key as its place in the field table, without making a `String` of it.
struct Field(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|f| *f == key))
    }
}

/// `Deserialize` for record types through [`Object`].
macro_rules! records {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(Object(PhantomData))
            }
        }
    )*};
}

records!(
    Doc,
    RawGroup,
    RawActor,
    RawSource,
    RawCitation,
    RawEvent,
    RawMedia,
    RawRelation,
    RawStep,
    RawStepView
);

/// The top level, as the full reader's `TOP_LEVEL` lists it.
#[derive(Default)]
pub(crate) struct Doc {
    pub format: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub published: Option<String>,
    pub credit: Option<String>,
    pub groups: Option<Vec<RawGroup>>,
    pub actors: Option<Vec<RawActor>>,
    pub sources: Option<Vec<RawSource>>,
    pub events: Option<Vec<RawEvent>>,
    pub relations: Option<Vec<RawRelation>>,
    pub steps: Option<Vec<RawStep>>,
}

impl Record for Doc {
    const FIELDS: &'static [&'static str] = &[
        "format",
        "title",
        "summary",
        "published",
        "credit",
        "groups",
        "actors",
        "sources",
        "events",
        "relations",
        "steps",
        "$schema",
    ];
    const REQUIRED: u32 = 0;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.format = map.next_value()?,
            1 => self.title = map.next_value()?,
            2 => self.summary = map.next_value()?,
            3 => self.published = map.next_value()?,
            4 => self.credit = map.next_value()?,
            5 => self.groups = map.next_value()?,
            6 => self.actors = map.next_value()?,
            7 => self.sources = map.next_value()?,
            8 => self.events = map.next_value()?,
            9 => self.relations = map.next_value()?,
            10 => self.steps = map.next_value()?,
            // `$schema`: any value, unread, as the full reader takes it.
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl Record for RawGroup {
    const FIELDS: &'static [&'static str] = &["id", "name", "color"];
    const REQUIRED: u32 = 0b11;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.id = map.next_value()?,
            1 => self.name = map.next_value()?,
            _ => self.color = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawActor {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "role",
        "group",
        "description",
        "url",
        "position",
        "media",
    ];
    const REQUIRED: u32 = 0b11;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.id = map.next_value()?,
            1 => self.name = map.next_value()?,
            2 => self.role = map.next_value()?,
            3 => self.group = map.next_value()?,
            4 => self.description = map.next_value()?,
            5 => self.url = map.next_value()?,
            6 => self.position = map.next_value()?,
            _ => self.media = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawSource {
    const FIELDS: &'static [&'static str] = &["id", "name", "url"];
    const REQUIRED: u32 = 0b11;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.id = map.next_value()?,
            1 => self.name = map.next_value()?,
            _ => self.url = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawCitation {
    const FIELDS: &'static [&'static str] = &["source", "quote", "url"];
    const REQUIRED: u32 = 0b1;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.source = map.next_value()?,
            1 => self.quote = map.next_value()?,
            _ => self.url = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawEvent {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "title",
        "date",
        "date_text",
        "actors",
        "description",
        "sources",
        "tags",
        "media",
    ];
    const REQUIRED: u32 = 0b111;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.id = map.next_value()?,
            1 => self.title = map.next_value()?,
            2 => self.date = map.next_value()?,
            3 => self.date_text = map.next_value()?,
            4 => self.actors = map.next_value()?,
            5 => self.description = map.next_value()?,
            6 => self.sources = map.next_value()?,
            7 => self.tags = map.next_value()?,
            _ => self.media = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawMedia {
    const FIELDS: &'static [&'static str] = &["url", "kind", "alt", "credit", "caption"];
    const REQUIRED: u32 = 0;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.url = map.next_value()?,
            1 => self.kind = map.next_value()?,
            2 => self.alt = map.next_value()?,
            3 => self.credit = map.next_value()?,
            _ => self.caption = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawRelation {
    const FIELDS: &'static [&'static str] = &["from", "to", "label", "date", "sources"];
    const REQUIRED: u32 = 0b111;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.from = map.next_value()?,
            1 => self.to = map.next_value()?,
            2 => self.label = map.next_value()?,
            3 => self.date = map.next_value()?,
            _ => self.sources = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawStep {
    const FIELDS: &'static [&'static str] = &["title", "text", "sources", "view"];
    const REQUIRED: u32 = 0b1;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.title = map.next_value()?,
            1 => self.text = map.next_value()?,
            2 => self.sources = map.next_value()?,
            _ => self.view = map.next_value()?,
        }
        Ok(())
    }
}

impl Record for RawStepView {
    const FIELDS: &'static [&'static str] = &["select", "mode", "window", "time", "focus", "fit"];
    const REQUIRED: u32 = 0;
    fn set<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error> {
        match field {
            0 => self.select = map.next_value()?,
            1 => self.mode = map.next_value()?,
            2 => self.window = map.next_value()?,
            3 => self.time = map.next_value()?,
            4 => self.focus = map.next_value()?,
            _ => self.fit = map.next_value()?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of every record, as a clean file writes them.
    const EVERY_FIELD: &str = r##"{
      "$schema": "https://example.org/s.json", "format": "castline/1", "title": "T",
      "summary": "S", "published": "2025-11-20", "credit": "C",
      "groups": [{"id": "g", "name": "G", "color": "#123456"}],
      "actors": [{"id": "a", "name": "A", "role": "R", "group": "g", "description": "D",
                  "url": "https://x.org/a", "position": [1.5, -2],
                  "media": [{"url": "https://x.org/a.jpg", "kind": "image", "alt": "Alt",
                             "credit": "Cr", "caption": "Ca"}]}],
      "sources": [{"id": "s", "name": "Src", "url": "https://x.org/s"}],
      "events": [{"id": "e", "title": "Et", "date": "2025-11", "date_text": "in November",
                  "actors": ["a"], "description": "Ed", "tags": ["t"],
                  "sources": [{"source": "s", "quote": "Q", "url": "https://x.org/q"}],
                  "media": []}],
      "relations": [{"from": "a", "to": "a", "label": "L", "date": "2025",
                     "sources": [{"source": "s"}]}],
      "steps": [{"title": "St", "text": "Tx", "sources": [],
                 "view": {"select": ["a"], "mode": "all", "window": "2025..2026",
                          "time": "2025..2026", "focus": "e", "fit": ["a"]}}]
    }"##;

    #[test]
    fn every_field_is_read_into_its_place() {
        let doc: Doc = serde_json::from_str(EVERY_FIELD).expect("clean");
        assert_eq!(doc.format.as_deref(), Some("castline/1"));
        assert_eq!(
            [&doc.title, &doc.summary, &doc.published, &doc.credit].map(|s| s.as_deref()),
            [Some("T"), Some("S"), Some("2025-11-20"), Some("C")]
        );
        let g = &doc.groups.expect("groups")[0];
        assert_eq!(
            (&*g.id, &*g.name, g.color.as_deref()),
            ("g", "G", Some("#123456"))
        );
        let a = &doc.actors.expect("actors")[0];
        assert_eq!((&*a.id, &*a.name), ("a", "A"));
        assert_eq!(
            [&a.role, &a.group, &a.description, &a.url].map(|s| s.as_deref()),
            [Some("R"), Some("g"), Some("D"), Some("https://x.org/a")]
        );
        assert_eq!(a.position, Some(vec![1.5, -2.0]));
        let m = &a.media[0];
        assert_eq!(
            [&m.url, &m.kind, &m.alt, &m.credit, &m.caption].map(|s| s.as_deref()),
            [
                Some("https://x.org/a.jpg"),
                Some("image"),
                Some("Alt"),
                Some("Cr"),
                Some("Ca")
            ]
        );
        let s = &doc.sources.expect("sources")[0];
        assert_eq!(
            (&*s.id, &*s.name, s.url.as_deref()),
            ("s", "Src", Some("https://x.org/s"))
        );
        let e = &doc.events.expect("events")[0];
        assert_eq!((&*e.id, &*e.title, &*e.date), ("e", "Et", "2025-11"));
        assert_eq!(e.date_text.as_deref(), Some("in November"));
        assert_eq!(e.description.as_deref(), Some("Ed"));
        assert_eq!(
            (&e.actors, &e.tags),
            (&vec!["a".to_owned()], &vec!["t".to_owned()])
        );
        let c = &e.sources[0];
        assert_eq!(
            (&*c.source, c.quote.as_deref(), c.url.as_deref()),
            ("s", Some("Q"), Some("https://x.org/q"))
        );
        let r = &doc.relations.expect("relations")[0];
        assert_eq!(
            (&*r.from, &*r.to, &*r.label, r.date.as_deref()),
            ("a", "a", "L", Some("2025"))
        );
        assert_eq!(r.sources[0].source, "s");
        let st = &doc.steps.expect("steps")[0];
        assert_eq!((&*st.title, st.text.as_deref()), ("St", Some("Tx")));
        let v = &st.view;
        assert_eq!(
            (&v.select, &v.fit),
            (&vec!["a".to_owned()], &vec!["a".to_owned()])
        );
        assert_eq!(
            [&v.mode, &v.window, &v.time, &v.focus].map(|s| s.as_deref()),
            [
                Some("all"),
                Some("2025..2026"),
                Some("2025..2026"),
                Some("e")
            ]
        );
    }

    /// What the derive with `deny_unknown_fields` refused, this refuses: the full build then
    /// reads the file and says what is wrong.
    #[test]
    fn unknown_repeated_missing_and_mistyped_fields_are_refused() {
        for text in [
            r#"{"actors": [{"id": "a"}]}"#,
            r#"{"actors": [{"id": "a", "name": "A", "id": "b"}]}"#,
            r#"{"actors": [{"id": "a", "name": "A", "colour": "red"}]}"#,
            r#"{"events": [{"id": "e", "title": "T", "date": "2025", "actors": null}]}"#,
            r#"{"events": [{"id": "e", "title": "T", "date": "2025", "sources": [{}]}]}"#,
            r#"{"relations": [{"from": "a", "to": "b"}]}"#,
            r#"{"steps": [{"text": "no title"}]}"#,
            r#"{"steps": [{"title": "T", "view": null}]}"#,
            r#"{"groups": [["g", "G"]]}"#,
            r#"{"title": "T", "title": "U"}"#,
        ] {
            assert!(serde_json::from_str::<Doc>(text).is_err(), "{text}");
        }
        // Optional fields may be null or absent, as the derive took them.
        let doc: Doc = serde_json::from_str(
            r#"{"actors": [{"id": "a", "name": "A", "role": null, "position": null}]}"#,
        )
        .expect("clean");
        assert_eq!(doc.actors.map(|a| a.len()), Some(1));
    }
}
