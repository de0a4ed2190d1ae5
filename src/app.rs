//! The whole viewer without the browser: the story, what the reader has selected, what is
//! visible because of it, and both views placed on their canvases. The wasm module and the
//! native tests drive this same type.

use serde::Serialize;

use crate::dates::{Precision, When, iso};
use crate::graph::Edge;
use crate::graph::Graph;
use crate::json_in::load_json;
use crate::layout::{Layout, Link, TICKS};
use crate::load::Diagnostic;
use crate::model::Story;
use crate::network::{Camera, NetworkInput, NetworkScene};
use crate::timeline::{TimelineInput, TimelineScene};

/// Which canvas a pointer is over.
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
}

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
}

/// A tooltip: its text and where to anchor it, CSS px relative to the canvas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tooltip {
    pub text: String,
    pub x: f64,
    pub y: f64,
}

/// Flags recomputed when the selection changes, never per frame.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub visible_events: Vec<bool>,
    pub visible_actors: Vec<bool>,
    /// Actors to emphasise; empty when nothing is emphasised.
    pub highlighted: Vec<bool>,
    pub any_highlight: bool,
    /// Ties counted from the events inside the time window, when there is one.
    pub window_edges: Option<Vec<Edge>>,
}

pub struct App {
    pub story: Story,
    pub diagnostics: Vec<Diagnostic>,
    pub graph: Graph,
    layout: Layout,
    names: Vec<String>,
    radius: Vec<f64>,
    /// Label priority of each actor: its number of events.
    priority: Vec<usize>,
    /// Relation ends and labels, as the network scene takes them.
    relation_labels: Vec<(usize, usize, String)>,
    lane_actors: Vec<usize>,
    whens: Vec<When>,
    event_actors: Vec<Vec<usize>>,
    pub network: NetworkScene,
    pub timeline: TimelineScene,
    network_size: (f64, f64),
    timeline_width: f64,
    pub selection: Selection,
    pub derived: Derived,
    pub hover: Option<Hover>,
    /// The network's zoom and pan.
    pub camera: Camera,
    /// The span of the time axis the reader zoomed to (seconds); `None` shows the whole story.
    pub time_view: Option<(f64, f64)>,
    /// Nodes the reader dragged into place, in layout units.
    pub(crate) pins: Vec<(usize, f64, f64)>,
    /// Keep the network's fit while nodes are dragged, so the picture does not jump.
    pub(crate) fit_locked: bool,
    pub(crate) drag: Option<crate::interact::Drag>,
    pub keyboard: crate::interact::Keyboard,
    pub dark: bool,
    version: u64,
}

/// Stories up to this many actors are laid out at once when loaded; bigger ones settle over
/// several frames while the reader already sees them.
const LAYOUT_AT_ONCE_MAX_ACTORS: usize = 400;

impl App {
    /// Loads a Castline JSON text. `Err` when nothing could be read.
    pub fn from_json(file: &str, text: &str) -> Result<App, Vec<Diagnostic>> {
        let loaded = load_json(file, text)?;
        Ok(App::new(loaded.story, loaded.diagnostics))
    }

    /// Loads a story in any supported format (Castline JSON or CSV, TimelineJS CSV or JSON),
    /// told by its content. `Err` when nothing could be read.
    pub fn from_text(file: &str, text: &str) -> Result<App, Vec<Diagnostic>> {
        let loaded = crate::detect::load_any(file, text)?;
        Ok(App::new(loaded.story, loaded.diagnostics))
    }

    pub fn new(story: Story, diagnostics: Vec<Diagnostic>) -> App {
        let graph = Graph::new(&story);
        let n = story.actors.len();
        let radius: Vec<f64> = (0..n)
            .map(|a| (5.0 + 2.6 * (graph.event_count(a) as f64).sqrt()).min(18.0))
            .collect();
        let mut links: Vec<Link> = graph
            .edges
            .iter()
            .map(|e| Link {
                a: e.a,
                b: e.b,
                distance: 70.0,
                weight: f64::from(e.weight),
            })
            .collect();
        links.extend(
            story
                .relations
                .iter()
                .filter(|r| r.from != r.to)
                .map(|r| Link {
                    a: r.from,
                    b: r.to,
                    distance: 80.0,
                    weight: 1.0,
                }),
        );
        let mut layout = Layout::new(radius.iter().map(|r| r + 22.0).collect(), links);
        if n <= LAYOUT_AT_ONCE_MAX_ACTORS {
            layout.run(TICKS);
        }
        let first_event = |a: usize| {
            graph.actor_events[a]
                .first()
                .map_or(i64::MAX, |&e| story.events[e].when.start_secs)
        };
        let mut lane_actors: Vec<usize> = (0..n).filter(|&a| graph.event_count(a) > 0).collect();
        lane_actors.sort_by_key(|&a| {
            let group = story.actors[a].group.unwrap_or(usize::MAX);
            (group, first_event(a), a)
        });
        // Past the lane cap, the busiest actors keep their own lanes.
        if lane_actors.len() > crate::timeline::MAX_LANES {
            lane_actors.sort_by_key(|&a| std::cmp::Reverse(graph.event_count(a)));
            let (top, rest) = lane_actors.split_at_mut(crate::timeline::MAX_LANES);
            top.sort_by_key(|&a| {
                (
                    story.actors[a].group.unwrap_or(usize::MAX),
                    first_event(a),
                    a,
                )
            });
            rest.sort_unstable();
        }
        let mut app = App {
            names: story.actors.iter().map(|a| a.name.clone()).collect(),
            priority: (0..n).map(|a| graph.event_count(a)).collect(),
            relation_labels: story
                .relations
                .iter()
                .map(|r| (r.from, r.to, r.label.clone()))
                .collect(),
            whens: story.events.iter().map(|e| e.when).collect(),
            event_actors: story.events.iter().map(|e| e.actors.clone()).collect(),
            story,
            diagnostics,
            graph,
            layout,
            radius,
            lane_actors,
            network: NetworkScene::default(),
            timeline: TimelineScene::default(),
            network_size: (0.0, 0.0),
            timeline_width: 0.0,
            selection: Selection::default(),
            derived: Derived::default(),
            hover: None,
            camera: Camera::default(),
            time_view: None,
            pins: Vec::new(),
            fit_locked: false,
            drag: None,
            keyboard: crate::interact::Keyboard::default(),
            dark: false,
            version: 0,
        };
        app.derive();
        app
    }

    /// Sets the canvas sizes (CSS px) and returns the height the time axis needs.
    pub fn resize(&mut self, network_w: f64, network_h: f64, timeline_w: f64) -> f64 {
        self.network_size = (network_w.max(0.0), network_h.max(0.0));
        self.timeline_width = timeline_w.max(0.0);
        self.fit_locked = false;
        self.place_network();
        self.place_timeline();
        self.timeline.height
    }

    pub(crate) fn place_timeline(&mut self) {
        let input = TimelineInput {
            whens: &self.whens,
            event_actors: &self.event_actors,
            names: &self.names,
            lane_actors: &self.lane_actors,
        };
        self.timeline = TimelineScene::place(&input, self.timeline_width, self.time_view);
    }

    /// The time span of the whole story, seconds.
    pub fn story_span(&self) -> Option<(f64, f64)> {
        crate::timeline::domain(&self.whens)
    }

    fn network_input(&self) -> NetworkInput<'_> {
        NetworkInput {
            names: &self.names,
            radius: &self.radius,
            priority: &self.priority,
            relations: &self.relation_labels,
        }
    }

    pub(crate) fn place_network(&mut self) {
        for &(a, x, y) in &self.pins {
            if let (Some(lx), Some(ly)) = (self.layout.x.get_mut(a), self.layout.y.get_mut(a)) {
                (*lx, *ly) = (x, y);
            }
        }
        let (w, h) = self.network_size;
        let fit = if self.fit_locked {
            self.network.fit
        } else {
            None
        };
        let scene = NetworkScene::place(
            &self.network_input(),
            &self.layout.x,
            &self.layout.y,
            w,
            h,
            fit,
        );
        self.network = scene;
        self.view_network();
    }

    /// Applies the camera and the filter to the placed network (labels follow).
    pub(crate) fn view_network(&mut self) {
        let shown: Vec<bool> = if self.selection.window.is_some() {
            self.derived.visible_actors.clone()
        } else {
            vec![true; self.names.len()]
        };
        let mut scene = std::mem::take(&mut self.network);
        scene.view(&self.network_input(), self.camera, &shown);
        self.network = scene;
    }

    /// Runs up to `max_ticks` layout steps; true while the layout is still moving.
    pub fn step_layout(&mut self, max_ticks: u32) -> bool {
        if !self.layout.running() {
            return false;
        }
        self.layout.run(max_ticks);
        self.place_network();
        self.layout.running()
    }

    /// A change of the view (zoom, pan) rather than of the selection: counted in `version`
    /// so the page can store it in the URL.
    pub(crate) fn view_changed(&mut self) {
        self.version += 1;
    }

    pub fn layout_running(&self) -> bool {
        self.layout.running()
    }

    /// How far the layout has settled, 0 to 1.
    pub fn layout_progress(&self) -> f64 {
        self.layout.progress()
    }

    /// Increases on every change of the selection, the window or the focus.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub(crate) fn changed(&mut self) {
        self.version += 1;
        self.derive();
        self.view_network();
    }

    /// Recomputes visibility and emphasis from the selection.
    fn derive(&mut self) {
        let story = &self.story;
        let sel = &self.selection;
        let n = story.actors.len();
        let visible_events: Vec<bool> = story
            .events
            .iter()
            .map(|e| {
                let involved = match sel.mode {
                    Mode::All => sel.actors.iter().all(|a| e.actors.contains(a)),
                    Mode::Any => {
                        sel.actors.is_empty() || sel.actors.iter().any(|a| e.actors.contains(a))
                    }
                };
                involved
                    && sel
                        .window
                        .as_ref()
                        .is_none_or(|w| e.when.overlaps(w.start_secs, w.end_secs))
            })
            .collect();
        let filtered = !sel.actors.is_empty() || sel.window.is_some();
        let mut visible_actors = vec![!filtered; n];
        if filtered {
            for (e, _) in visible_events.iter().enumerate().filter(|(_, v)| **v) {
                for &a in &story.events[e].actors {
                    visible_actors[a] = true;
                }
            }
            for &a in &sel.actors {
                visible_actors[a] = true;
            }
        }
        let mut highlighted = vec![false; n];
        if let Some(e) = sel.focused {
            for &a in &story.events[e].actors {
                highlighted[a] = true;
            }
        } else {
            for &a in &sel.actors {
                highlighted[a] = true;
                for &b in &self.graph.neighbours[a] {
                    highlighted[b] = true;
                }
            }
        }
        // Inside a time window the ties are those of the window's events alone.
        let window_edges = sel.window.as_ref().map(|w| {
            let mut weights: std::collections::BTreeMap<(usize, usize), u32> = Default::default();
            for e in story
                .events
                .iter()
                .filter(|e| e.when.overlaps(w.start_secs, w.end_secs))
            {
                for (k, &a) in e.actors.iter().enumerate() {
                    for &b in &e.actors[k + 1..] {
                        *weights.entry((a.min(b), a.max(b))).or_default() += 1;
                    }
                }
            }
            weights
                .into_iter()
                .map(|((a, b), weight)| Edge { a, b, weight })
                .collect()
        });
        self.derived = Derived {
            any_highlight: highlighted.iter().any(|h| *h),
            visible_events,
            visible_actors,
            highlighted,
            window_edges,
        };
    }

    /// Selects exactly these actors (by id). Unknown ids are an error and change nothing.
    pub fn select(&mut self, ids: &[String]) -> Result<(), String> {
        let mut actors = Vec::with_capacity(ids.len());
        for id in ids {
            let a = self
                .story
                .actor_index(id)
                .ok_or_else(|| format!("there is no actor with id \"{id}\""))?;
            if !actors.contains(&a) {
                actors.push(a);
            }
        }
        self.selection.actors = actors;
        self.selection.focused = None;
        self.changed();
        Ok(())
    }

    /// "All" or "any" of the selected actors.
    pub fn set_mode(&mut self, mode: Mode) {
        if self.selection.mode != mode {
            self.selection.mode = mode;
            self.changed();
        }
    }

    /// Selects every actor of a group, in "any" mode: the legend's filter.
    pub fn select_group(&mut self, id: &str) -> Result<(), String> {
        let g = self
            .story
            .groups
            .iter()
            .position(|g| g.id == id)
            .ok_or_else(|| format!("there is no group with id \"{id}\""))?;
        self.selection.actors = (0..self.story.actors.len())
            .filter(|&a| self.story.actors[a].group == Some(g))
            .collect();
        self.selection.mode = Mode::Any;
        self.selection.focused = None;
        self.changed();
        Ok(())
    }

    /// Clears selection, window and focus (the all/any mode is a preference and stays).
    pub fn clear(&mut self) {
        let cleared = Selection {
            mode: self.selection.mode,
            ..Selection::default()
        };
        if self.selection != cleared {
            self.selection = cleared;
            self.changed();
        }
    }

    /// Clicking an actor selects it alone, or deselects it when it was selected; with
    /// `additive` it joins or leaves the current selection.
    pub fn toggle_actor(&mut self, actor: usize, additive: bool) {
        let selected = &mut self.selection.actors;
        if let Some(k) = selected.iter().position(|&a| a == actor) {
            if additive || selected.len() == 1 {
                selected.remove(k);
            } else {
                *selected = vec![actor];
            }
        } else if additive {
            selected.push(actor);
        } else {
            *selected = vec![actor];
        }
        self.selection.focused = None;
        self.changed();
    }

    pub fn focus_event(&mut self, id: Option<&str>) -> Result<(), String> {
        let focused = match id {
            Some(id) => Some(
                self.story
                    .event_index(id)
                    .ok_or_else(|| format!("there is no event with id \"{id}\""))?,
            ),
            None => None,
        };
        if focused != self.selection.focused {
            self.selection.focused = focused;
            self.changed();
        }
        Ok(())
    }

    /// Limits the events to those overlapping `[start, end]`; `None` for both clears it.
    /// Dates are inclusive: an end of `2025-11-23` includes that whole day.
    pub fn set_time_window(
        &mut self,
        start: Option<&str>,
        end: Option<&str>,
    ) -> Result<(), String> {
        let window = match (start, end) {
            (None, None) => None,
            _ => {
                let parse = |t: Option<&str>, what: &str| -> Result<Option<When>, String> {
                    t.map(|t| When::parse(t).map_err(|e| format!("time window {what}: {e}")))
                        .transpose()
                };
                let (s, e) = (parse(start, "start")?, parse(end, "end")?);
                let start_secs = s.map_or(i64::MIN, |w| w.start_secs);
                // A date ends with its day; a date-time is the instant the window ends.
                let end_secs = e.map_or(i64::MAX, |w| {
                    if w.precision == Precision::Time {
                        w.start_secs
                    } else {
                        w.end_secs
                    }
                });
                if end_secs <= start_secs {
                    return Err("the time window ends before it starts".into());
                }
                Some(Window {
                    start_secs,
                    end_secs,
                    start_text: s.map_or_else(|| "..".into(), |w| iso(w.start_secs)),
                    end_text: e.map_or_else(|| "..".into(), |w| end_text(&w)),
                })
            }
        };
        if window != self.selection.window {
            self.selection.window = window;
            self.changed();
        }
        Ok(())
    }

    pub fn state(&self) -> StateView {
        let story = &self.story;
        StateView {
            selected_actors: self
                .selection
                .actors
                .iter()
                .map(|&a| story.actors[a].id.clone())
                .collect(),
            mode: self.selection.mode,
            time_window: self
                .selection
                .window
                .as_ref()
                .map(|w| [w.start_text.clone(), w.end_text.clone()]),
            visible_events: story
                .events
                .iter()
                .zip(&self.derived.visible_events)
                .filter(|(_, v)| **v)
                .map(|(e, _)| e.id.clone())
                .collect(),
            visible_actors: story
                .actors
                .iter()
                .zip(&self.derived.visible_actors)
                .filter(|(_, v)| **v)
                .map(|(a, _)| a.id.clone())
                .collect(),
            focused_event: self.selection.focused.map(|e| story.events[e].id.clone()),
        }
    }

    /// Where an actor is drawn, CSS px relative to the network canvas.
    pub fn actor_position(&self, id: &str) -> Option<(f64, f64)> {
        let a = self.story.actor_index(id)?;
        Some((*self.network.x.get(a)?, *self.network.y.get(a)?))
    }

    /// Where an event is drawn on the time axis (its first mark), CSS px relative to that
    /// canvas: a point's centre, or a little inside a band's or bar's left end.
    pub fn event_position(&self, id: &str) -> Option<(f64, f64)> {
        let e = self.story.event_index(id)?;
        let m = self.timeline.marks.iter().find(|m| m.event == e)?;
        let x = match m.kind {
            crate::timeline::MarkKind::Point => m.x0,
            _ => m.x0 + ((m.x1 - m.x0) / 2.0).min(4.0),
        };
        Some((x, m.y))
    }

    /// A click on a canvas; true if the state changed.
    pub fn click(&mut self, target: Target, x: f64, y: f64, additive: bool) -> bool {
        let before = self.version;
        match target {
            Target::Network => match self.network.hit(x, y) {
                Some(a) => self.toggle_actor(a, additive),
                None => {
                    if self.selection.focused.is_some() {
                        self.selection.focused = None;
                        self.changed();
                    }
                }
            },
            Target::Timeline => {
                let hit = self.timeline.hit(x, y, &self.derived.visible_events);
                if hit != self.selection.focused {
                    self.selection.focused = hit;
                    self.changed();
                }
            }
        }
        self.version != before
    }

    /// The pointer moved over a canvas: what it rests on, and its tooltip.
    pub fn pointer_move(&mut self, target: Target, x: f64, y: f64) -> Option<Tooltip> {
        if self.dragging() {
            self.hover = None;
            self.drag_to(x, y);
            return None;
        }
        self.hover = match target {
            Target::Network => self.network.hit(x, y).map(Hover::Actor),
            Target::Timeline => self
                .timeline
                .hit(x, y, &self.derived.visible_events)
                .map(Hover::Event),
        };
        let text = match self.hover? {
            Hover::Actor(a) => self.actor_tooltip(a),
            Hover::Event(e) => self.event_tooltip(e),
        };
        Some(Tooltip { text, x, y })
    }

    pub fn pointer_leave(&mut self) {
        self.hover = None;
    }

    fn actor_tooltip(&self, a: usize) -> String {
        let actor = &self.story.actors[a];
        let mut lines = vec![actor.name.clone()];
        if let Some(role) = &actor.role {
            lines.push(role.clone());
        }
        let group = actor.group.map(|g| self.story.groups[g].name.as_str());
        let count = self.graph.event_count(a);
        let events = if count == 1 {
            "1 event".to_owned()
        } else {
            format!("{count} events")
        };
        lines.push(match group {
            Some(g) => format!("{g} · {events}"),
            None => events,
        });
        for r in &self.story.relations {
            if r.from == a {
                lines.push(format!(
                    "{} of {}",
                    capitalise(&r.label),
                    self.story.actors[r.to].name
                ));
            } else if r.to == a {
                lines.push(format!("{}: {}", self.story.actors[r.from].name, r.label));
            }
        }
        lines.join("\n")
    }

    fn event_tooltip(&self, e: usize) -> String {
        let event = &self.story.events[e];
        match &event.date_text {
            Some(t) => format!("{}\n{} ({})", event.title, event.when.label(), t),
            None => format!("{}\n{}", event.title, event.when.label()),
        }
    }
}

/// The inclusive end of a window as the reader would write it.
fn end_text(w: &When) -> String {
    if w.precision == Precision::Time {
        // Always with the time: a bare date would read back as that whole day.
        crate::dates::iso_datetime(w.start_secs)
    } else {
        iso(w.end_secs - crate::dates::DAY_SECS)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The story as the page's DOM needs it: header, legend and event list.
#[derive(Debug, Clone, Serialize)]
pub struct StoryView {
    pub title: String,
    pub summary: Option<String>,
    pub credit: Option<String>,
    pub published: Option<String>,
    pub groups: Vec<GroupView>,
    pub actors: Vec<ActorView>,
    pub events: Vec<EventView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub color: String,
    pub shape: crate::model::Shape,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorView {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub group: Option<String>,
    pub color: String,
    pub shape: crate::model::Shape,
    pub event_count: usize,
    pub description: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    pub id: String,
    pub title: String,
    pub date_text: Option<String>,
    pub date_label: String,
    pub start: String,
    pub end: String,
    pub precision: Precision,
    pub approximate: bool,
    pub uncertain: bool,
    pub actors: Vec<ActorRef>,
    pub description: Option<String>,
    pub sources: Vec<SourceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub name: String,
    pub quote: Option<String>,
    pub url: Option<String>,
}

impl App {
    pub fn story_view(&self) -> StoryView {
        let s = &self.story;
        StoryView {
            title: s.title.clone(),
            summary: s.summary.clone(),
            credit: s.credit.clone(),
            published: s.published.clone(),
            groups: s
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| GroupView {
                    id: g.id.clone(),
                    name: g.name.clone(),
                    color: g.color.hex(),
                    shape: s.group_shape(i),
                })
                .collect(),
            actors: s
                .actors
                .iter()
                .enumerate()
                .map(|(i, a)| ActorView {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    role: a.role.clone(),
                    group: a.group.map(|g| s.groups[g].id.clone()),
                    color: s.actor_color(i).hex(),
                    shape: s.actor_shape(i),
                    event_count: self.graph.event_count(i),
                    description: a.description.clone(),
                    url: a.url.clone(),
                })
                .collect(),
            events: s
                .events
                .iter()
                .map(|e| EventView {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    date_text: e.date_text.clone(),
                    date_label: e.when.label(),
                    start: iso(e.when.start_secs),
                    end: iso(e.when.end_secs),
                    precision: e.when.precision,
                    approximate: e.when.approximate,
                    uncertain: e.when.uncertain,
                    actors: e
                        .actors
                        .iter()
                        .map(|&a| ActorRef {
                            id: s.actors[a].id.clone(),
                            name: s.actors[a].name.clone(),
                        })
                        .collect(),
                    description: e.description.clone(),
                    sources: e
                        .sources
                        .iter()
                        .map(|c| {
                            let source = &s.sources[c.source];
                            SourceView {
                                name: source.name.clone(),
                                quote: c.quote.clone(),
                                url: c.url.clone().or_else(|| source.url.clone()),
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
