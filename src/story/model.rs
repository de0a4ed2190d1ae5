//! The loaded story: actors, groups, sources, events and relations, cross-referenced by index.
//!
//! Ids from the data are kept for the outside world (the JS handle, URLs, tests); inside, records
//! refer to each other by position so filtering and drawing never look strings up.

use crate::story::dates::When;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The colour as one number, to sort by.
    pub fn key(self) -> u64 {
        (u64::from(self.0) << 16) | (u64::from(self.1) << 8) | u64::from(self.2)
    }

    /// Parses `#rrggbb` or `#rgb`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
pub const PALETTE: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xb2),
    Rgb(0xd5, 0x5e, 0x00),
    Rgb(0xe6, 0x9f, 0x00),
    Rgb(0x00, 0x9e, 0x73),
    Rgb(0xcc, 0x79, 0xa7),
    Rgb(0x56, 0xb4, 0xe9),
    Rgb(0x8a, 0x7a, 0x00),
    Rgb(0x55, 0x55, 0x55),
];

/// Node shapes, one per group in turn, so groups differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    Hexagon,
    Star,
}

pub const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
    Shape::Hexagon,
    Shape::Star,
];

/// The colour of actors that belong to no group.
pub const UNGROUPED: Rgb = Rgb(0x77, 0x77, 0x77);

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub color: Rgb,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub group: Option<usize>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// Where the network's layout put the actor when the story was published (`castline
    /// publish`): layout units, y down, origin anywhere (docs/data-format.md, "Positions").
    /// The viewer starts from these and, when every actor has one, does not move.
    pub position: Option<[f64; 2]>,
    /// Pictures of the actor and links about them, in the data's order.
    pub media: Vec<Media>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

/// One source's support for an event or relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub source: usize,
    pub quote: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub when: When,
    /// The date as the story wrote it ("the weekend before Halloween").
    pub date_text: Option<String>,
    pub actors: Vec<usize>,
    pub description: Option<String>,
    pub sources: Vec<Citation>,
    pub tags: Vec<String>,
    /// Pictures and links that show the event, in the data's order.
    pub media: Vec<Media>,
}

/// What a media item is shown as: an image in the page, or a link to follow (video, posts,
/// maps: never embedded, as nothing from the data runs in the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Link,
}

/// A picture or a link of an event or an actor. The loader keeps an image only with an
/// `https:` URL and a link only with an `http(s):` one (`read::load::checked_media`).
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub url: String,
    pub kind: MediaKind,
    /// The image's text alternative; empty when the data gave none (it was warned about).
    pub alt: String,
    /// Who made it, shown beside it and in the static render and the print view.
    pub credit: Option<String>,
    /// The caption under an image, or the words of a link.
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub when: Option<When>,
    pub sources: Vec<Citation>,
}

/// One step of the story told in steps: words shown beside the pictures, with their sources,
/// and the view the pictures go to (docs/data-format.md, "Steps").
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub title: String,
    pub text: Option<String>,
    pub sources: Vec<Citation>,
    pub view: StepView,
}

/// What a step shows: the keys of a link's fragment, and the actors to frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepView {
    pub select: Vec<usize>,
    /// Events with any of the selected actors, rather than all of them.
    pub any: bool,
    /// The time window, its ends as written (checked EDTF dates; `None` is an open end).
    pub window: Option<[Option<String>; 2]>,
    /// The span of the time axis, its ends as written.
    pub time: Option<[String; 2]>,
    pub focus: Option<usize>,
    /// The actors the network frames, whatever the canvas's width.
    pub fit: Vec<usize>,
}

/// A whole data set, with events in chronological order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Story {
    pub title: String,
    pub summary: Option<String>,
    pub credit: Option<String>,
    /// Publication date; relative dates in the text ("last week") were resolved against it.
    pub published: Option<String>,
    pub groups: Vec<Group>,
    pub actors: Vec<Actor>,
    pub sources: Vec<Source>,
    pub events: Vec<Event>,
    pub relations: Vec<Relation>,
    /// The story told in steps, in order; often none.
    pub steps: Vec<Step>,
}

impl Story {
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| e.id == id)
    }

    /// The colour an actor is drawn in.
    pub fn actor_color(&self, actor: usize) -> Rgb {
        self.actors
            .get(actor)
            .and_then(|a| a.group)
            .and_then(|g| self.groups.get(g))
            .map_or(UNGROUPED, |g| g.color)
    }

    /// The shape a group's actors are drawn with.
    pub fn group_shape(&self, group: usize) -> Shape {
        SHAPES[group % SHAPES.len()]
    }

    /// The shape an actor is drawn with: its group's, or a circle.
    pub fn actor_shape(&self, actor: usize) -> Shape {
        self.actors
            .get(actor)
            .and_then(|a| a.group)
            .map_or(Shape::Circle, |g| self.group_shape(g))
    }

    /// Sorts events by start, then end, keeping the data's order for ties.
    pub fn sort_events(&mut self) {
        use crate::story::order::i64_key;
        let key = |e: &Event| [i64_key(e.when.start_secs), i64_key(e.when.end_secs), 0];
        // Big stories, whose events are many to sort, are the full build's.
        #[cfg(feature = "full")]
        crate::story::order::sort_by_keys_unless_sorted(&mut self.events, key);
        #[cfg(not(feature = "full"))]
        crate::story::order::sort_by_keys(&mut self.events, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_in_both_forms() {
        assert_eq!(Rgb::parse("#0072b2"), Some(Rgb(0, 0x72, 0xb2)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse("0072b2"), None);
        assert_eq!(Rgb::parse("#00zz00"), None);
        assert_eq!(Rgb(0, 0x72, 0xb2).hex(), "#0072b2");
    }
}
