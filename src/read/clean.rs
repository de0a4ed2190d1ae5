//! A clean Castline JSON file's records, read field by field through one shared loop
//! ([`Clean`]), as `read::parts` reads them in either build.
//!
//! In the first download this is instead of serde's derive, which writes every struct twice
//! (from an object and from a list) with its own field names' matcher and messages: these
//! records are only ever objects, and any problem makes the whole file `Err` (the full build's
//! own reader then reads it again and says where), so one loop over a table of field names
//! does for all of them (about 7 KB gzip of the first download). The full build keeps the
//! derive for that reader, which takes unknown fields with a warning. What this takes is what
//! the derive with `deny_unknown_fields` took: every field once, the required ones present,
//! nothing unknown.

use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

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

/// A record read cleanly: an object of `T`'s fields, each once, the required ones present,
/// nothing unknown.
pub(crate) struct Clean<T>(pub T);

impl<'de, T: Record> Deserialize<'de> for Clean<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(Object(PhantomData)).map(Clean)
    }
}

/// A list of records read cleanly.
fn list<'de, T: Record, A: MapAccess<'de>>(map: &mut A) -> Result<Vec<T>, A::Error> {
    let list: Vec<Clean<T>> = map.next_value()?;
    Ok(list.into_iter().map(|c| c.0).collect())
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
            _ => self.media = list(map)?,
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
            6 => self.sources = list(map)?,
            7 => self.tags = map.next_value()?,
            _ => self.media = list(map)?,
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
            _ => self.sources = list(map)?,
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
            2 => self.sources = list(map)?,
            _ => self.view = map.next_value::<Clean<RawStepView>>()?.0,
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

    fn read<T: Record>(text: &str) -> T {
        serde_json::from_str::<Clean<T>>(text).expect("clean").0
    }

    fn refused<T: Record>(text: &str) -> bool {
        serde_json::from_str::<Clean<T>>(text).is_err()
    }

    #[test]
    fn every_field_is_read_into_its_place() {
        let g: RawGroup = read(r##"{"id": "g", "name": "G", "color": "#123456"}"##);
        assert_eq!(
            (&*g.id, &*g.name, g.color.as_deref()),
            ("g", "G", Some("#123456"))
        );
        let a: RawActor = read(
            r#"{"id": "a", "name": "A", "role": "R", "group": "g", "description": "D",
                "url": "https://x.org/a", "position": [1.5, -2],
                "media": [{"url": "https://x.org/a.jpg", "kind": "image", "alt": "Alt",
                           "credit": "Cr", "caption": "Ca"}]}"#,
        );
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
        let s: RawSource = read(r#"{"id": "s", "name": "Src", "url": "https://x.org/s"}"#);
        assert_eq!(
            (&*s.id, &*s.name, s.url.as_deref()),
            ("s", "Src", Some("https://x.org/s"))
        );
        let e: RawEvent = read(
            r#"{"id": "e", "title": "Et", "date": "2025-11", "date_text": "in November",
                "actors": ["a"], "description": "Ed", "tags": ["t"],
                "sources": [{"source": "s", "quote": "Q", "url": "https://x.org/q"}],
                "media": []}"#,
        );
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
        let r: RawRelation = read(
            r#"{"from": "a", "to": "b", "label": "L", "date": "2025", "sources": [{"source": "s"}]}"#,
        );
        assert_eq!(
            (&*r.from, &*r.to, &*r.label, r.date.as_deref()),
            ("a", "b", "L", Some("2025"))
        );
        assert_eq!(r.sources[0].source, "s");
        let st: RawStep = read(
            r#"{"title": "St", "text": "Tx", "sources": [],
                "view": {"select": ["a"], "mode": "all", "window": "2025..2026",
                         "time": "2024..2026", "focus": "e", "fit": ["b"]}}"#,
        );
        assert_eq!((&*st.title, st.text.as_deref()), ("St", Some("Tx")));
        let v = &st.view;
        assert_eq!(
            (&v.select, &v.fit),
            (&vec!["a".to_owned()], &vec!["b".to_owned()])
        );
        assert_eq!(
            [&v.mode, &v.window, &v.time, &v.focus].map(|s| s.as_deref()),
            [
                Some("all"),
                Some("2025..2026"),
                Some("2024..2026"),
                Some("e")
            ]
        );
    }

    /// What the derive with `deny_unknown_fields` refused, this refuses: the full build then
    /// reads the file and says what is wrong.
    #[test]
    fn unknown_repeated_missing_and_mistyped_fields_are_refused() {
        assert!(refused::<RawActor>(r#"{"id": "a"}"#));
        assert!(refused::<RawActor>(
            r#"{"id": "a", "name": "A", "id": "b"}"#
        ));
        assert!(refused::<RawActor>(
            r#"{"id": "a", "name": "A", "colour": "red"}"#
        ));
        let event = |extra: &str| {
            serde_json::from_str::<Clean<RawEvent>>(&format!(
                r#"{{"id": "e", "title": "T", "date": "2025"{extra}}}"#
            ))
        };
        assert!(event("").is_ok());
        assert!(event(r#", "actors": null"#).is_err());
        assert!(event(r#", "sources": [{}]"#).is_err());
        // Nested records are read cleanly too: an unknown field in a citation or a picture.
        assert!(event(r#", "sources": [{"source": "s", "page": 2}]"#).is_err());
        assert!(event(r#", "media": [{"url": "https://x.org/a", "size": 2}]"#).is_err());
        assert!(
            refused::<RawStep>(r#"{"title": "T", "view": {"zoom": 2}}"#),
            "a step's view"
        );
        assert!(event(r#", "title": "again""#).is_err());
        assert!(refused::<RawRelation>(r#"{"from": "a", "to": "b"}"#));
        assert!(refused::<RawStep>(r#"{"text": "no title"}"#));
        assert!(refused::<RawStep>(r#"{"title": "T", "view": null}"#));
        assert!(refused::<RawGroup>(r#"["g", "G"]"#));
        // Optional fields may be null or absent, as the derive took them.
        let a: RawActor = read(r#"{"id": "a", "name": "A", "role": null, "position": null}"#);
        assert_eq!((a.role, a.position), (None, None));
    }
}
