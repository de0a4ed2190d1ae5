//! What the reader changes: the selection (actors, all/any, time window, focused event),
//! what the pointer rests on, the network's camera and the time axis's span, nodes dragged
//! into place, gestures and pointers under way, playback, the keyboard's place, the theme and
//! the groups collapsed; and the shapes in which the JS handle reports them.

use serde::Serialize;

use crate::place::network::Camera;
use crate::view::input::Pointers;
use crate::view::interact::{Drag, Keyboard, ViewGesture};
use crate::view::playback::Playback;

pub use crate::place::{Hover, Target};

/// A time window chosen by the reader, kept with the text it was given in.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub start_secs: i64,
    pub end_secs: i64,
    pub start_text: String,
    pub end_text: String,
}

/// How several selected actors combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Events involving every selected actor: "when did Witkoff and Dmitriev meet?"
    #[default]
    All,
    /// Events involving at least one of them.
    Any,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "all" => Some(Mode::All),
            "any" => Some(Mode::Any),
            _ => None,
        }
    }
}

/// The reader's choices. Everything else is derived from these and the story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Selected actors; which events they show depends on `mode`.
    pub actors: Vec<usize>,
    pub mode: Mode,
    pub window: Option<Window>,
    /// The event picked on the axis or in the list.
    pub focused: Option<usize>,
}

/// The state as the JS handle reports it: ids, and the window as ISO strings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateView {
    pub selected_actors: Vec<String>,
    pub mode: Mode,
    pub time_window: Option<[String; 2]>,
    pub visible_events: Vec<String>,
    pub visible_actors: Vec<String>,
    pub focused_event: Option<String>,
    /// The step shown (from 1), or `None` once the reader has changed the view.
    pub step: Option<usize>,
    /// What the node sizes show.
    pub size: &'static str,
    /// `running` while the network's layout still moves, then `settled`.
    pub layout: &'static str,
    /// The groups the reader collapsed into one mark each, in the order they were.
    pub collapsed_groups: Vec<String>,
}

/// [`StateView`] with counts in place of the lists of visible ids.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    pub selected_actors: Vec<String>,
    pub mode: Mode,
    pub time_window: Option<[String; 2]>,
    pub focused_event: Option<String>,
    pub visible_event_count: usize,
    pub visible_actor_count: usize,
    /// The selected actors' names, in the order of `selected_actors`: the words the page says.
    pub selected_names: Vec<String>,
    /// The focused event's title.
    pub focused_title: Option<String>,
    /// The group whose legend button is pressed, if the selection is one.
    pub selected_group: Option<String>,
    /// The step shown (from 1), or `None` once the reader has changed the view.
    pub step: Option<usize>,
    /// The last step shown (from 1), shown or left since: where "Back to the story" goes.
    pub last_step: Option<usize>,
    /// What the node sizes show: `events`, `ties` or `betweenness`.
    pub size: &'static str,
    /// The actors a sampled betweenness was counted from (`None` when exact or not shown).
    pub size_sampled_from: Option<usize>,
    /// A betweenness is being counted over frames: the sizes shown are still those before.
    pub size_counting: bool,
    /// `running` while the network's layout still moves, then `settled`.
    pub layout: &'static str,
    /// The groups the reader collapsed into one mark each, in the order they were.
    pub collapsed_groups: Vec<String>,
}

/// A stretch of the visible events, in time order, and how many come before and after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedEvents {
    pub ids: Vec<String>,
    pub before: usize,
    pub after: usize,
}

/// A tooltip: its text and where to anchor it, CSS px relative to the canvas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tooltip {
    pub text: String,
    pub x: f64,
    pub y: f64,
    /// The first picture of what the pointer rests on, shown above the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<TipImage>,
}

/// A tooltip's picture: an `https:` URL the loader kept, and its alt text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TipImage {
    pub url: String,
    pub alt: String,
}

/// Everything the reader changes, and nothing derived from it.
#[derive(Debug, Default)]
pub struct Reader {
    pub selection: Selection,
    pub hover: Option<Hover>,
    /// The network's zoom and pan.
    pub camera: Camera,
    /// The span of the time axis the reader zoomed to (seconds); `None` shows the whole story.
    pub time_view: Option<(f64, f64)>,
    /// Nodes the reader dragged into place, in layout units.
    pub(crate) pins: Vec<(usize, f64, f64)>,
    /// Keep the network's fit while nodes are dragged, so the picture does not jump.
    pub(crate) fit_locked: bool,
    pub(crate) drag: Option<Drag>,
    /// A wheel's or a pinch's steps, until a pause.
    pub(crate) gesture: Option<ViewGesture>,
    /// The pointers down on each canvas (network, time axis) and what they make: a press,
    /// a long press, a pinch.
    pub(crate) pointers: [Pointers; 2],
    /// Play: its speed, and the sweep under way.
    pub playback: Playback,
    pub keyboard: Keyboard,
    pub dark: bool,
    /// Where the reader is in the story told in steps.
    pub steps: crate::view::steps::StepPlace,
    /// The pictures' glide into a step's view, under way.
    pub(crate) motion: Option<crate::view::steps::Motion>,
    /// What the network's node sizes show.
    pub size: crate::story::measures::Measure,
    /// The overview's communities the reader opened by clicking them (`view::overview`).
    pub(crate) opened: Vec<usize>,
    /// The story's groups the reader collapsed into one mark each, in the order they were
    /// (`view::overview`).
    pub(crate) collapsed: Vec<usize>,
}
