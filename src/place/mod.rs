//! Placing the story on its two canvases: the force layout of the network ([`layout`], coarse
//! to fine for a big one by [`multilevel`]), the
//! network fitted to the screen with its labels and hit-testing ([`network`]), the time axis
//! with its scale, lanes and marks ([`timeline`]), what a crowded picture draws instead of
//! every element ([`lod`]), a big story's communities as marks ([`overview`]), and text widths
//! without a DOM ([`text`]).
//!
//! Coordinates are CSS pixels from each canvas's top-left corner, except the layout's own
//! units. May import: [`crate::story`].

pub mod layout;
pub mod lod;
#[cfg(feature = "full")]
pub mod multilevel;
pub mod network;
pub mod overview;
pub mod text;
pub mod timeline;

/// Which canvas a pointer is over: "network" or "timeline" to the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Network,
    Timeline,
}

impl Target {
    pub fn parse(name: &str) -> Option<Target> {
        match name {
            "network" => Some(Target::Network),
            "timeline" => Some(Target::Timeline),
            _ => None,
        }
    }
}

/// What the pointer rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hover {
    Actor(usize),
    Event(usize),
    /// A closed community's mark (`place::overview`).
    Community(usize),
}
