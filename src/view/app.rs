//! The whole viewer without the browser: the story, what the reader has selected, what is
//! visible because of it, and both views placed on their canvases. The wasm module and the
//! native tests drive this same type.

use rustc_hash::FxHashMap as HashMap; // as in `load`

use serde::Serialize;

use crate::place::layout::{Layout, Link, TICKS};
use crate::place::network::{Camera, NetworkInput, NetworkScene};
use crate::place::timeline::{TimelineInput, TimelineScene};
use crate::read::json::load_json;
use crate::read::load::Diagnostic;
use crate::story::dates::{Precision, When, iso};
use crate::story::graph::Edge;
use crate::story::graph::{Graph, sort_most_first};
use crate::story::index::EventIndex;
use crate::story::model::Story;

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
    /// The visible events, ascending; `None` when nothing filters them (every event).
    pub event_list: Option<Vec<usize>>,
    /// How many actors are visible.
    pub visible_actor_count: usize,
}

impl Derived {
    /// How many events are visible.
    pub fn visible_event_count(&self) -> usize {
        self.event_list
            .as_ref()
            .map_or(self.visible_events.len(), Vec::len)
    }

    /// The `k`-th visible event in time order.
    pub fn nth_visible(&self, k: usize) -> Option<usize> {
        match &self.event_list {
            Some(list) => list.get(k).copied(),
            None => (k < self.visible_events.len()).then_some(k),
        }
    }

    /// Where a visible event stands among the visible ones (`None` if it is hidden).
    pub fn rank_of(&self, e: usize) -> Option<usize> {
        match &self.event_list {
            Some(list) => list.binary_search(&e).ok(),
            None => (e < self.visible_events.len()).then_some(e),
        }
    }
}

/// A value worked out for a frame and kept for the next ones while its key is the same.
struct Memo<K, T>(std::cell::RefCell<Option<(K, std::rc::Rc<T>)>>);

impl<K, T> Default for Memo<K, T> {
    fn default() -> Self {
        Memo(std::cell::RefCell::new(None))
    }
}

impl<K: PartialEq + Copy, T> Memo<K, T> {
    fn holds(&self, key: K) -> bool {
        self.0.borrow().as_ref().is_some_and(|(k, _)| *k == key)
    }

    fn get(&self, key: K, make: impl FnOnce() -> T) -> std::rc::Rc<T> {
        let mut slot = self.0.borrow_mut();
        if let Some((k, value)) = slot.as_ref()
            && *k == key
        {
            return value.clone();
        }
        let value = std::rc::Rc::new(make());
        *slot = Some((key, value.clone()));
        value
    }
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
    /// A zeroed count per tie, lent to `Graph::edges_of_events` on every window change.
    edge_scratch: Vec<u32>,
    /// Counts changes of where the network's nodes are on screen: placement, camera,
    /// filter (not a pan by 0 px, a hover or a theme).
    network_views: u64,
    /// The ties the network draws, chosen once per view and selection rather than per frame.
    paint_cache: Memo<(u64, u64), crate::place::lod::NetworkPaint>,
    /// The ties drawn, kept apart: with the whole network on the canvas they do not depend on
    /// where it is, so a pan or a layout step that keeps it there draws the same ones.
    tie_cache: Memo<(u64, u64), crate::place::lod::TieChoice>,
    /// Counts placements of the time axis (size, zoom, pan).
    timeline_places: u64,
    /// Each lane's visible marks and density, once per placement and selection.
    lane_cache: Memo<(u64, u64), crate::place::lod::LaneMarks>,
    event_actors: Vec<Vec<usize>>,
    /// Per-actor event lists and the time index: filtering never scans every event.
    index: EventIndex,
    /// Actors by number of events, most first (ties in story order).
    actors_by_priority: Vec<usize>,
    /// Ids to positions, for the JS handle's calls by id.
    actor_ids: HashMap<String, usize>,
    event_ids: HashMap<String, usize>,
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
    pub(crate) drag: Option<crate::view::interact::Drag>,
    /// A wheel's or a pinch's steps, until a pause.
    pub(crate) gesture: Option<crate::view::interact::ViewGesture>,
    pub keyboard: crate::view::interact::Keyboard,
    pub dark: bool,
    version: u64,
    /// Counts changes of the selection alone (not of the views' zoom and pan), so the page
    /// can tell which canvases a change repaints: a selection shows on both.
    selection_version: u64,
}

/// Stories up to this many actors are laid out at once when loaded; bigger ones settle over
/// several frames while the reader already sees them.
const LAYOUT_AT_ONCE_MAX_ACTORS: usize = 400;

/// Stories up to this many events list every event in the page's DOM; bigger ones list a
/// page of them, so that a change never touches one DOM node per event.
pub const LIST_ALL_EVENTS_MAX: usize = 1_000;
/// The same for the actor buttons.
pub const LIST_ALL_ACTORS_MAX: usize = 500;

/// Whether the page lists a story's events and its actors a page at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ListPages {
    pub events: bool,
    pub actors: bool,
}

impl App {
    pub fn list_pages(&self) -> ListPages {
        ListPages {
            events: self.story.events.len() > LIST_ALL_EVENTS_MAX,
            actors: self.story.actors.len() > LIST_ALL_ACTORS_MAX,
        }
    }

    /// A story the page lists a page at a time is big: a frame also does one step of the
    /// painting (find a canvas's ties or lane marks, or paint one canvas; `web.rs`), and the
    /// page rebuilds its lists once both canvases are painted.
    pub fn big_story(&self) -> bool {
        let pages = self.list_pages();
        pages.events || pages.actors
    }

    /// Loads a Castline JSON text. `Err` when nothing could be read.
    pub fn from_json(file: &str, text: &str) -> Result<App, Vec<Diagnostic>> {
        let loaded = load_json(file, text)?;
        Ok(App::new(loaded.story, loaded.diagnostics))
    }

    /// Loads a story in any supported format (Castline JSON or CSV, TimelineJS CSV or JSON),
    /// told by its content. `Err` when nothing could be read. Without the `full` feature only
    /// Castline JSON is read.
    pub fn from_text(file: &str, text: &str) -> Result<App, Vec<Diagnostic>> {
        #[cfg(feature = "full")]
        let loaded = crate::read::detect::load_any(file, text)?;
        #[cfg(not(feature = "full"))]
        let loaded = load_json(file, text)?;
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
        let event_counts: Vec<usize> = (0..n).map(|a| graph.event_count(a)).collect();
        // By group, then first event, then story order.
        let lane_key = |&a: &usize| {
            let group = story.actors[a].group.map_or(u64::MAX, |g| g as u64);
            [
                group,
                crate::story::order::i64_key(first_event(a)),
                a as u64,
            ]
        };
        let mut lane_actors: Vec<usize> = (0..n).filter(|&a| event_counts[a] > 0).collect();
        crate::story::order::sort_by_keys(&mut lane_actors, lane_key);
        // Past the lane cap, the busiest actors keep their own lanes.
        if lane_actors.len() > crate::place::timeline::MAX_LANES {
            sort_most_first(&mut lane_actors, &event_counts);
            let (top, rest) = lane_actors.split_at_mut(crate::place::timeline::MAX_LANES);
            crate::story::order::sort_by_keys(top, lane_key);
            rest.sort_unstable();
        }
        let whens: Vec<When> = story.events.iter().map(|e| e.when).collect();
        let event_actors: Vec<Vec<usize>> = story.events.iter().map(|e| e.actors.clone()).collect();
        let index = EventIndex::new(n, &event_actors, &whens);
        let mut actors_by_priority: Vec<usize> = (0..n).collect();
        sort_most_first(&mut actors_by_priority, &event_counts);
        // The first of a repeated id wins, as `Story::actor_index` finds it.
        let mut actor_ids = HashMap::with_capacity_and_hasher(n, Default::default());
        for (i, a) in story.actors.iter().enumerate() {
            actor_ids.entry(a.id.clone()).or_insert(i);
        }
        let mut event_ids =
            HashMap::with_capacity_and_hasher(story.events.len(), Default::default());
        for (i, e) in story.events.iter().enumerate() {
            event_ids.entry(e.id.clone()).or_insert(i);
        }
        let mut app = App {
            names: story.actors.iter().map(|a| a.name.clone()).collect(),
            priority: event_counts,
            relation_labels: story
                .relations
                .iter()
                .map(|r| (r.from, r.to, r.label.clone()))
                .collect(),
            whens,
            edge_scratch: Vec::new(),
            network_views: 0,
            paint_cache: Memo::default(),
            tie_cache: Memo::default(),
            timeline_places: 0,
            lane_cache: Memo::default(),
            event_actors,
            index,
            actors_by_priority,
            actor_ids,
            event_ids,
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
            gesture: None,
            keyboard: crate::view::interact::Keyboard::default(),
            dark: false,
            version: 0,
            selection_version: 0,
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
        self.timeline_places += 1;
    }

    /// The time span of the whole story, seconds.
    pub fn story_span(&self) -> Option<(f64, f64)> {
        crate::place::timeline::domain(&self.whens)
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
        self.network_views += 1;
        self.view_network();
    }

    /// Where the network's nodes are: `[fit scale, fit x, fit y, x0, y0, x1, y1, …]`, layout
    /// positions (dragged nodes where the reader put them) after the fit a node drag holds,
    /// NaN when none is held. With the same story, sizes, selection and view,
    /// [`App::set_placement`] draws the very same network in another `App`: the page's SVG
    /// download is made by the full wasm build from the one the first build shows.
    pub fn placement(&self) -> Vec<f64> {
        let fit = self.network.fit.filter(|_| self.fit_locked);
        let mut out = match fit {
            Some(f) => vec![f.scale, f.cx, f.cy],
            None => vec![f64::NAN; 3],
        };
        for (x, y) in self.layout.x.iter().zip(&self.layout.y) {
            out.extend([*x, *y]);
        }
        out
    }

    /// Puts the nodes where [`App::placement`] says; refuses a placement of another story.
    /// The layout is not stepped afterwards by anything but [`App::step_layout`].
    pub fn set_placement(&mut self, placement: &[f64]) -> Result<(), String> {
        let n = self.layout.x.len();
        let (fit, xy) = placement.split_at_checked(3).unwrap_or((&[], &[]));
        if xy.len() != 2 * n || !xy.iter().all(|v| v.is_finite()) {
            return Err(format!(
                "placement: expected 3 + 2 × {n} numbers, finite positions"
            ));
        }
        let fit = match fit {
            [scale, cx, cy] if [scale, cx, cy].iter().all(|v| v.is_finite()) => {
                Some(crate::place::network::Fit {
                    scale: *scale,
                    cx: *cx,
                    cy: *cy,
                })
            }
            _ => None,
        };
        let layout = self.layout.x.iter_mut().zip(self.layout.y.iter_mut());
        for ((x, y), p) in layout.zip(xy.chunks_exact(2)) {
            (*x, *y) = (p[0], p[1]);
        }
        self.pins.clear();
        self.fit_locked = fit.is_some();
        self.network.fit = fit;
        self.place_network();
        Ok(())
    }

    /// The network's view now, as [`App::tie_choice`] keys it.
    pub(crate) fn network_view(&self) -> u64 {
        self.network_views
    }

    /// The network is at rest again after a move that kept the ties of before (a pan's
    /// release, a gesture's pause): a new view, whose ties are chosen again.
    /// Its labels, if the move left them out, come back too.
    pub(crate) fn network_at_rest(&mut self) {
        let mut scene = std::mem::take(&mut self.network);
        scene.place_deferred_labels(&self.network_input());
        self.network = scene;
        self.network_views += 1;
    }

    /// Applies the camera and the filter to the placed network (labels follow, or wait for
    /// the rest after a move under way in a crowded picture).
    pub(crate) fn view_network(&mut self) {
        let moving = self.moving_from().is_some();
        let shown: Vec<bool> = if self.selection.window.is_some() {
            self.derived.visible_actors.clone()
        } else {
            vec![true; self.names.len()]
        };
        let mut scene = std::mem::take(&mut self.network);
        if scene.view(&self.network_input(), self.camera, &shown, moving) {
            self.network_views += 1;
        }
        self.network = scene;
    }

    /// What the network's next paint draws, from `work_out` when its picture changed since
    /// the last call (a hover or a theme change repaints the same ties and nodes).
    pub(crate) fn network_paint(
        &self,
        work_out: impl FnOnce() -> crate::place::lod::NetworkPaint,
    ) -> std::rc::Rc<crate::place::lod::NetworkPaint> {
        self.paint_cache
            .get(self.picture_version(Target::Network), work_out)
    }

    /// The ties to draw, from `choose` when the selection changed since the last call or,
    /// unless the whole network is on the canvas (`all_on_canvas`) now and then or a pan, a
    /// wheel's or a pinch's gesture is under way, the view.
    pub(crate) fn tie_choice(
        &self,
        all_on_canvas: bool,
        choose: impl FnOnce() -> crate::place::lod::TieChoice,
    ) -> std::rc::Rc<crate::place::lod::TieChoice> {
        // While a drag pans the network or a wheel or a pinch moves it, the ties chosen
        // before are drawn where they go: a new choice scans every tie (half a million at
        // W4), and a software canvas needs the rest of the frame for the pixels. Ties the
        // move brings in come with the release (`pointer_up`) or a pause in the wheel's or
        // the pinch's steps (`settle_gesture`).
        let view = if all_on_canvas {
            u64::MAX
        } else if let Some(before) = self.moving_from() {
            before
        } else {
            self.network_views
        };
        self.tie_cache.get((self.selection_version, view), choose)
    }

    /// Each lane's visible marks and density strip, from `find` when the time axis was
    /// placed again or the selection changed since the last call.
    pub(crate) fn lane_marks(
        &self,
        find: impl FnOnce() -> crate::place::lod::LaneMarks,
    ) -> std::rc::Rc<crate::place::lod::LaneMarks> {
        self.lane_cache
            .get(self.picture_version(Target::Timeline), find)
    }

    /// Whether what a paint of `target` needs first (see `draw::prepare`) is already kept.
    pub(crate) fn prepared(&self, target: Target) -> bool {
        let key = self.picture_version(target);
        match target {
            Target::Network => self.paint_cache.holds(key),
            Target::Timeline => self.lane_cache.holds(key),
        }
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

    /// Runs the layout, a tick in pieces if need be, until `time_up()` (the page's frame
    /// budget), then places the network once where the nodes are. Returns the ticks
    /// completed: none when a big graph's tick is still under way, so nothing moved.
    pub fn step_layout_for(&mut self, time_up: &mut dyn FnMut() -> bool) -> u32 {
        if !self.layout.running() {
            return 0;
        }
        let done = self.layout.work(time_up);
        if done > 0 {
            self.place_network();
        }
        done
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

    /// Increases on every change of the selection, the window or the focus, but not of the
    /// views: both pictures change with it.
    pub fn selection_version(&self) -> u64 {
        self.selection_version
    }

    /// Changes whenever the picture on `target` may have (its placement, view or the
    /// selection), but not for a hover or a keyboard move, which only move rings. It keys
    /// the ties and lane marks kept between frames.
    pub fn picture_version(&self, target: Target) -> (u64, u64) {
        let places = match target {
            Target::Network => self.network_views,
            Target::Timeline => self.timeline_places,
        };
        (places, self.selection_version)
    }

    pub(crate) fn changed(&mut self) {
        self.version += 1;
        self.selection_version += 1;
        self.derive();
        self.view_network();
    }

    /// Recomputes visibility and emphasis from the selection, through the indexes: a
    /// selection touches only its actors' events, a window only the events inside it.
    fn derive(&mut self) {
        let sel = &self.selection;
        let n = self.story.actors.len();
        let n_events = self.story.events.len();
        let in_window = |e: &usize| {
            sel.window
                .as_ref()
                .is_none_or(|w| self.whens[*e].overlaps(w.start_secs, w.end_secs))
        };
        let event_list: Option<Vec<usize>> =
            match self.index.of_actors(&sel.actors, sel.mode == Mode::Any) {
                Some(mut events) => {
                    events.retain(in_window);
                    Some(events)
                }
                None => sel
                    .window
                    .as_ref()
                    .map(|w| self.index.in_window(&self.whens, w.start_secs, w.end_secs)),
            };
        let mut visible_events = vec![event_list.is_none(); n_events];
        let filtered = event_list.is_some();
        let mut visible_actors = vec![!filtered; n];
        if let Some(list) = &event_list {
            for &e in list {
                visible_events[e] = true;
                for &a in &self.event_actors[e] {
                    visible_actors[a] = true;
                }
            }
            for &a in &sel.actors {
                visible_actors[a] = true;
            }
        }
        let mut highlighted = vec![false; n];
        let mut any_highlight = false;
        let mut mark = |a: usize| {
            highlighted[a] = true;
            any_highlight = true;
        };
        if let Some(e) = sel.focused {
            self.event_actors[e].iter().copied().for_each(&mut mark);
        } else {
            for &a in &sel.actors {
                mark(a);
                self.graph.neighbours[a].iter().copied().for_each(&mut mark);
            }
        }
        // Inside a time window the ties are those of the window's events alone, sorted by
        // (a, b) like the whole story's.
        let window_edges = sel.window.as_ref().map(|w| {
            let window_events = match &event_list {
                // No actor filter: the list is exactly the window's events.
                Some(list) if sel.actors.is_empty() => std::borrow::Cow::Borrowed(list),
                _ => std::borrow::Cow::Owned(self.index.in_window(
                    &self.whens,
                    w.start_secs,
                    w.end_secs,
                )),
            };
            self.graph
                .edges_of_events(&window_events, &mut self.edge_scratch)
        });
        let visible_actor_count = if filtered {
            visible_actors.iter().filter(|v| **v).count()
        } else {
            n
        };
        self.derived = Derived {
            any_highlight,
            visible_events,
            visible_actors,
            highlighted,
            window_edges,
            event_list,
            visible_actor_count,
        };
    }

    /// [`App::derive`]'s visibility and window ties by scanning every event, as it was done
    /// before the indexes: what the indexes must agree with.
    #[doc(hidden)]
    pub fn derive_by_scan(&self) -> (Vec<bool>, Vec<bool>, Option<Vec<Edge>>) {
        let story = &self.story;
        let sel = &self.selection;
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
        let mut visible_actors = vec![!filtered; story.actors.len()];
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
        (visible_events, visible_actors, window_edges)
    }

    /// Selects exactly these actors (by id). Unknown ids are an error and change nothing.
    pub fn select(&mut self, ids: &[String]) -> Result<(), String> {
        let mut actors = Vec::with_capacity(ids.len());
        for id in ids {
            let a = self
                .actor_id(id)
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
                self.event_id(id)
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

    /// The actor with this id, by hash rather than by scanning the story.
    pub fn actor_id(&self, id: &str) -> Option<usize> {
        self.actor_ids.get(id).copied()
    }

    /// The event with this id.
    pub fn event_id(&self, id: &str) -> Option<usize> {
        self.event_ids.get(id).copied()
    }

    pub fn state(&self) -> StateView {
        let story = &self.story;
        StateView {
            selected_actors: self.selected_ids(),
            mode: self.selection.mode,
            time_window: self.window_texts(),
            visible_events: (0..self.derived.visible_event_count())
                .filter_map(|k| self.derived.nth_visible(k))
                .map(|e| story.events[e].id.clone())
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

    fn selected_ids(&self) -> Vec<String> {
        let actors = &self.story.actors;
        self.selection
            .actors
            .iter()
            .map(|&a| actors[a].id.clone())
            .collect()
    }

    /// The time window as the reader gave it.
    fn window_texts(&self) -> Option<[String; 2]> {
        self.selection
            .window
            .as_ref()
            .map(|w| [w.start_text.clone(), w.end_text.clone()])
    }

    /// The state without the lists of visible ids, only their lengths: what the page needs
    /// after every change, at a cost that does not grow with the story.
    pub fn summary(&self) -> SummaryView {
        let story = &self.story;
        SummaryView {
            selected_actors: self.selected_ids(),
            mode: self.selection.mode,
            time_window: self.window_texts(),
            focused_event: self.selection.focused.map(|e| story.events[e].id.clone()),
            visible_event_count: self.derived.visible_event_count(),
            visible_actor_count: self.derived.visible_actor_count,
        }
    }

    /// Up to `limit` visible events in time order for the page's list: the first ones, or
    /// those around the focused event when it lies further on.
    pub fn listed_events(&self, limit: usize) -> ListedEvents {
        let total = self.derived.visible_event_count();
        let limit = limit.max(1);
        let focus_rank = self.selection.focused.and_then(|e| self.derived.rank_of(e));
        let first = match focus_rank {
            Some(r) if r >= limit => (r - limit / 2).min(total.saturating_sub(limit)),
            _ => 0,
        };
        let last = (first + limit).min(total);
        ListedEvents {
            ids: (first..last)
                .filter_map(|k| self.derived.nth_visible(k))
                .map(|e| self.story.events[e].id.clone())
                .collect(),
            before: first,
            after: total - last,
        }
    }

    /// Up to `limit` actors for the page's list of actor buttons: the selected ones, then the
    /// visible ones with the most events. With `limit` at least the number of actors, every
    /// visible actor (the selected are always visible).
    pub fn listed_actors(&self, limit: usize) -> Vec<String> {
        let selected = &self.selection.actors;
        let mut out: Vec<usize> = selected.iter().copied().take(limit).collect();
        if out.len() < limit {
            let rest = self
                .actors_by_priority
                .iter()
                .copied()
                .filter(|&a| self.derived.visible_actors[a] && !selected.contains(&a));
            out.extend(rest.take(limit - out.len()));
        }
        out.into_iter()
            .map(|a| self.story.actors[a].id.clone())
            .collect()
    }

    /// Where an actor is drawn, CSS px relative to the network canvas.
    pub fn actor_position(&self, id: &str) -> Option<(f64, f64)> {
        let a = self.actor_id(id)?;
        Some((*self.network.x.get(a)?, *self.network.y.get(a)?))
    }

    /// Where an event is drawn on the time axis (its first mark), CSS px relative to that
    /// canvas: a point's centre, or a little inside a band's or bar's left end.
    pub fn event_position(&self, id: &str) -> Option<(f64, f64)> {
        let e = self.event_id(id)?;
        let m = self.timeline.marks.iter().find(|m| m.event == e)?;
        let x = match m.kind {
            crate::place::timeline::MarkKind::Point => m.x0,
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
        // A relation's label as written, beside the other actor's name: labels are nouns
        // ("son-in-law") as often as verbs ("spoke with"), so no sentence is made of them.
        for r in &self.story.relations {
            if r.from == a {
                lines.push(format!("{}: {}", r.label, self.story.actors[r.to].name));
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
        crate::story::dates::iso_datetime(w.start_secs)
    } else {
        iso(w.end_secs - crate::story::dates::DAY_SECS)
    }
}

/// The story as the page's DOM needs it: header, legend and event list. Borrowed from the
/// story rather than copied: a big story's view is tens of megabytes of text (issue 6).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryView<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub published: Option<&'a str>,
    pub groups: Vec<GroupView<'a>>,
    pub actors: Vec<ActorView<'a>>,
    /// All of them, or none in [`App::story_head`] (the page takes them in parts).
    pub events: Vec<EventView<'a>>,
    pub event_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub color: String,
    pub shape: crate::story::model::Shape,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub group: Option<&'a str>,
    pub color: String,
    pub shape: crate::story::model::Shape,
    pub event_count: usize,
    pub description: Option<&'a str>,
    pub url: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date_text: Option<&'a str>,
    pub date_label: String,
    pub start: String,
    pub end: String,
    pub precision: Precision,
    pub approximate: bool,
    pub uncertain: bool,
    /// Positions in `actors`, not the actors themselves: their ids and names again in every
    /// event made a third of a big story's view (the page puts them back; `www/castline.js`).
    pub actors: &'a [usize],
    pub description: Option<&'a str>,
    pub sources: Vec<SourceView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub name: &'a str,
    pub quote: Option<&'a str>,
    pub url: Option<&'a str>,
}

impl App {
    pub fn story_view(&self) -> StoryView<'_> {
        StoryView {
            events: self.event_views(0, self.story.events.len()),
            ..self.story_head()
        }
    }

    /// [`App::story_view`] without its events: a big story's page takes them in parts
    /// ([`App::event_views`]) so that no task of its start runs long.
    pub fn story_head(&self) -> StoryView<'_> {
        let s = &self.story;
        StoryView {
            title: &s.title,
            summary: s.summary.as_deref(),
            credit: s.credit.as_deref(),
            published: s.published.as_deref(),
            groups: s
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| GroupView {
                    id: &g.id,
                    name: &g.name,
                    color: g.color.hex(),
                    shape: s.group_shape(i),
                })
                .collect(),
            actors: s
                .actors
                .iter()
                .enumerate()
                .map(|(i, a)| ActorView {
                    id: &a.id,
                    name: &a.name,
                    role: a.role.as_deref(),
                    group: a.group.map(|g| s.groups[g].id.as_str()),
                    color: s.actor_color(i).hex(),
                    shape: s.actor_shape(i),
                    event_count: self.graph.event_count(i),
                    description: a.description.as_deref(),
                    url: a.url.as_deref(),
                })
                .collect(),
            events: Vec::new(),
            event_count: s.events.len(),
        }
    }

    /// Up to `count` of the story's events from the `first`, as [`App::story_view`] has them.
    pub fn event_views(&self, first: usize, count: usize) -> Vec<EventView<'_>> {
        let s = &self.story;
        let events = s.events.get(first..).unwrap_or_default();
        events
            .iter()
            .take(count)
            .map(|e| EventView {
                id: &e.id,
                title: &e.title,
                date_text: e.date_text.as_deref(),
                date_label: e.when.label(),
                start: iso(e.when.start_secs),
                end: iso(e.when.end_secs),
                precision: e.when.precision,
                approximate: e.when.approximate,
                uncertain: e.when.uncertain,
                actors: &e.actors,
                description: e.description.as_deref(),
                sources: e
                    .sources
                    .iter()
                    .map(|c| {
                        let source = &s.sources[c.source];
                        SourceView {
                            name: &source.name,
                            quote: c.quote.as_deref(),
                            url: c.url.as_deref().or(source.url.as_deref()),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_view_names_each_actor_once_and_gives_events_their_positions() {
        let app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        let view = app.story_view();
        assert!(view.events.iter().any(|e| e.actors.len() > 1));
        for (event, shown) in app.story.events.iter().zip(&view.events) {
            let names: Vec<&str> = shown.actors.iter().map(|&a| view.actors[a].name).collect();
            let expected: Vec<&str> = event
                .actors
                .iter()
                .map(|&a| app.story.actors[a].name.as_str())
                .collect();
            assert_eq!(names, expected, "{}", event.id);
        }
        // A big story's view is tens of megabytes: each actor's name is in it once.
        let json = serde_json::to_string(&view).unwrap();
        let sources: Vec<&str> = app.story.sources.iter().map(|s| s.name.as_str()).collect();
        for actor in app
            .story
            .actors
            .iter()
            .filter(|a| !sources.contains(&a.name.as_str()))
        {
            let quoted = serde_json::to_string(&actor.name).unwrap();
            assert_eq!(json.matches(&quoted).count(), 1, "{quoted}");
        }
        // The page's parts: the head without events, then the events four at a time.
        let head = app.story_head();
        assert!(head.events.is_empty());
        assert_eq!(head.event_count, view.events.len());
        let parts: Vec<&str> = (0..view.events.len())
            .step_by(4)
            .flat_map(|first| app.event_views(first, 4))
            .map(|e| e.id)
            .collect();
        let whole: Vec<&str> = view.events.iter().map(|e| e.id).collect();
        assert_eq!(parts, whole);
        assert!(app.event_views(view.events.len() + 1, 4).is_empty());
    }

    // A hover or a repaint with nothing changed draws the ties chosen before; a change of
    // the selection or of the view chooses again.
    #[test]
    fn the_ties_drawn_are_chosen_again_only_when_the_picture_changes() {
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        crate::draw::render::svg_as_shown(&app).unwrap();
        let first = app.network_paint(|| unreachable!("the ties were chosen by the last frame"));
        assert!(first.ties.drawn() > 0 && first.nodes_on_screen() > 0);
        // A pan by nothing (or a theme change) repaints the same picture.
        app.pan(Target::Network, 0.0, 0.0);
        app.network_paint(|| unreachable!("nothing moved"));
        let id = app.story.actors[0].id.clone();
        app.select(&[id]).unwrap();
        let mut chosen = false;
        app.network_paint(|| {
            chosen = true;
            crate::place::lod::NetworkPaint::default()
        });
        assert!(chosen, "a new selection chooses again");
        app.zoom(Target::Network, 2.0, 450.0, 300.0);
        let mut chosen = false;
        app.network_paint(|| {
            chosen = true;
            crate::place::lod::NetworkPaint::default()
        });
        assert!(chosen, "zooming chooses again");
    }

    // With the whole network on the canvas the ties drawn do not depend on where it is: a
    // pan that keeps it there finds the nodes again but draws the ties it chose before. Once
    // part of it is off the canvas, every move chooses them again.
    /// Draws the picture as a frame would, then what that frame worked out for the network.
    fn painted(app: &App) -> std::rc::Rc<crate::place::lod::NetworkPaint> {
        crate::draw::render::svg_as_shown(app).unwrap();
        app.network_paint(|| unreachable!("the last frame worked it out"))
    }

    #[test]
    fn a_network_wholly_on_the_canvas_keeps_its_ties_when_it_moves() {
        use std::rc::Rc;
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        let fitted = painted(&app);
        app.pan(Target::Network, 1.0, 0.0);
        let moved = painted(&app);
        assert!(!Rc::ptr_eq(&fitted, &moved), "the view changed");
        assert!(Rc::ptr_eq(&fitted.ties, &moved.ties), "the same ties");
        app.zoom(Target::Network, 4.0, 450.0, 300.0);
        let zoomed = painted(&app);
        assert!(
            !Rc::ptr_eq(&moved.ties, &zoomed.ties),
            "part is off the canvas"
        );
        app.pan(Target::Network, 1.0, 0.0);
        let zoomed_moved = painted(&app);
        assert!(!Rc::ptr_eq(&zoomed.ties, &zoomed_moved.ties));
        // Zoomed in, fewer ties cross the canvas than in the whole network.
        assert!(zoomed.ties.drawn() < fitted.ties.drawn());
    }

    #[test]
    fn a_wheels_zoom_keeps_the_ties_until_a_pause_in_its_turns() {
        use crate::view::interact::{GESTURE_REST_MS, GestureRest};
        use std::rc::Rc;
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        // Zoomed in, part of the network off the canvas: a new view chooses the ties again.
        app.zoom(Target::Network, 3.0, 450.0, 300.0);
        let rest = painted(&app);
        assert!(rest.ties.drawn() > 0);
        // Turns zooming out: more ties reach the canvas.
        for k in 0..3 {
            app.wheel(Target::Network, 450.0, 300.0, 100.0);
            assert_eq!(
                app.settle_gesture(50.0 * f64::from(k)),
                Some(GestureRest::Waiting)
            );
            let turning = painted(&app);
            assert!(!Rc::ptr_eq(&rest, &turning), "the nodes move");
            assert!(Rc::ptr_eq(&rest.ties, &turning.ties), "the ties of before");
        }
        assert_eq!(
            app.settle_gesture(100.0 + GESTURE_REST_MS),
            Some(GestureRest::Ended { network: true })
        );
        let rested = painted(&app);
        assert!(!Rc::ptr_eq(&rest.ties, &rested.ties), "chosen again");
        // As a view that got there without a wheel chooses them.
        app.pan(Target::Network, 1.0, 0.0);
        app.pan(Target::Network, -1.0, 0.0);
        let reference = painted(&app);
        assert!(!Rc::ptr_eq(&rested.ties, &reference.ties));
        assert_eq!(*rested.ties, *reference.ties);
        assert_ne!(*rest.ties, *rested.ties);
    }

    // A pinch's step both zooms and pans: one new view, where a zoom and a pan would place
    // the network (and its labels) twice.
    #[test]
    fn a_pinch_step_zooms_and_pans_the_network_in_one_view() {
        let open = || {
            let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
            app.resize(900.0, 600.0, 900.0);
            app
        };
        let (mut pinched, mut stepped) = (open(), open());
        let views = pinched.network_views;
        pinched.pinch(Target::Network, 2.0, 300.0, 200.0, 10.0, -5.0);
        stepped.zoom(Target::Network, 2.0, 300.0, 200.0);
        stepped.pan(Target::Network, 10.0, -5.0);
        assert_eq!(pinched.camera, stepped.camera);
        assert_eq!(pinched.network.x, stepped.network.x);
        assert_eq!(pinched.network.labels, stepped.network.labels);
        assert!(
            pinched.network.labels.iter().any(Option::is_some),
            "a network this small keeps its names while it moves"
        );
        assert_eq!(pinched.network_views, views + 1, "one new view");
        assert_eq!(stepped.network_views, views + 2);
    }

    #[test]
    fn restoring_the_time_span_shown_leaves_the_time_axis_as_placed() {
        use crate::view::interact::ViewState;
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        let places = app.timeline_places;
        let (none, span) = (
            ViewState {
                time_view: None,
                camera: None,
            },
            ViewState {
                time_view: Some(["2025-11-10".into(), "2025-11-25".into()]),
                camera: None,
            },
        );
        app.set_view(&none).unwrap();
        assert_eq!(app.timeline_places, places, "the whole story, as shown");
        app.set_view(&span).unwrap();
        assert_eq!(app.timeline_places, places + 1);
        app.set_view(&span).unwrap();
        assert_eq!(app.timeline_places, places + 1, "the same span again");
        app.set_view(&none).unwrap();
        assert_eq!(app.timeline_places, places + 2);
        assert_eq!(app.view_state().time_view, None);
    }

    // The page records the view when a wheel's turns pause, on either canvas; only turns
    // over the network hold its ties and bring its full picture back at the pause.
    #[test]
    fn a_wheel_over_the_time_axis_is_a_gesture_that_leaves_the_network_alone() {
        use crate::view::interact::{GESTURE_REST_MS, GestureRest};
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        let views = app.network_views;
        app.wheel(Target::Timeline, 450.0, 20.0, -100.0);
        assert!(app.gesturing());
        assert_eq!(app.settle_gesture(0.0), Some(GestureRest::Waiting));
        assert_eq!(app.moving_from(), None, "the network is not moving");
        assert_eq!(
            app.settle_gesture(GESTURE_REST_MS),
            Some(GestureRest::Ended { network: false })
        );
        assert!(!app.gesturing());
        assert_eq!(
            app.network_views, views,
            "nothing of the network to choose again"
        );

        // Turns over the time axis, then over the network: one gesture, which holds the
        // network's view from before its first turn there.
        app.wheel(Target::Timeline, 450.0, 20.0, -100.0);
        app.wheel(Target::Network, 450.0, 300.0, -100.0);
        app.wheel(Target::Timeline, 450.0, 20.0, -100.0);
        assert_eq!(app.moving_from(), Some(views));
        assert_eq!(app.settle_gesture(1000.0), Some(GestureRest::Waiting));
        assert_eq!(
            app.settle_gesture(1000.0 + GESTURE_REST_MS),
            Some(GestureRest::Ended { network: true })
        );
        assert_eq!(app.moving_from(), None);
        assert_eq!(app.settle_gesture(2000.0), None);
    }

    // A relation's label is shown as written beside the other actor, from either end: no
    // sentence is made of labels that are nouns or verbs ("Spoke with of …").
    #[test]
    fn an_actors_tooltip_lists_its_relations_from_either_end() {
        let app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        let r = app
            .story
            .relations
            .iter()
            .find(|r| r.label == "spoke with")
            .unwrap();
        let (from, to) = (&app.story.actors[r.from].name, &app.story.actors[r.to].name);
        assert!(
            app.actor_tooltip(r.from)
                .lines()
                .any(|l| l == format!("spoke with: {to}"))
        );
        assert!(
            app.actor_tooltip(r.to)
                .lines()
                .any(|l| l == format!("{from}: spoke with"))
        );
    }

    // The same for the time axis' lanes: found again only for a new selection or placement.
    #[test]
    fn the_lanes_marks_are_found_again_only_when_the_axis_or_selection_changes() {
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(900.0, 600.0, 900.0);
        crate::draw::render::svg_as_shown(&app).unwrap();
        let first = app.lane_marks(|| unreachable!("the lanes were found by the last frame"));
        assert!(first.visible.iter().any(|v| !v.is_empty()));
        let found_again = |app: &App| {
            let mut found = false;
            app.lane_marks(|| {
                found = true;
                crate::place::lod::LaneMarks::default()
            });
            found
        };
        app.set_time_window(Some("2025-11-01"), Some("2025-11-30"))
            .unwrap();
        assert!(found_again(&app), "a new window finds them again");
        app.zoom(Target::Timeline, 2.0, 450.0, 20.0);
        assert!(found_again(&app), "zooming the axis finds them again");
        assert!(!found_again(&app), "and then keeps them");
    }
}
