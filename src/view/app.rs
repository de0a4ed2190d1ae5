//! The whole viewer without the browser: the story, what the reader has selected, what is
//! visible because of it, and both views placed on their canvases. The wasm module and the
//! native tests drive this same type.
//!
//! Its parts are kept apart by how long they live: [`Fixed`] (the story, its graph and
//! indexes, once loaded), [`Reader`] (what the reader changes), [`Derived`] (what follows
//! from both), the placed scenes, and the paint plan ([`crate::view::plan`]).

use serde::Serialize;

use crate::place::layout::Layout;
use crate::place::network::NetworkScene;
use crate::place::timeline::{CommunityLanes, TimelineInput, TimelineScene};
use crate::read::json::load_json;
use crate::read::load::Diagnostic;
use crate::story::dates::{Precision, When, iso};
use crate::story::graph::Graph;
use crate::story::measures::Measure;
use crate::story::model::Story;
pub use crate::view::derived::Derived;
pub use crate::view::fixed::Fixed;
use crate::view::plan::{Changes, PaintPlan};
pub use crate::view::state::*;

/// The viewer: a loaded story and everything the reader does with it.
pub struct App {
    /// What is fixed once the story is loaded: the story, its graph and indexes.
    pub fixed: Fixed,
    /// What the reader changes: selection, window, focus, hover, cameras, gestures.
    pub reader: Reader,
    /// What follows from the story and the reader's selection: visibility and emphasis.
    pub derived: Derived,
    /// The network's layout, in its own units.
    layout: Layout,
    /// While the page's worker lays the network out ([`App::lay_out_elsewhere`]): its
    /// progress. The layout here only takes the worker's states meanwhile, never steps.
    pub(crate) elsewhere: Option<f64>,
    /// Both views placed on their canvases, in CSS px.
    pub network: NetworkScene,
    pub timeline: TimelineScene,
    pub(crate) network_size: (f64, f64),
    timeline_width: f64,
    /// What the next paints draw (ties, lane marks), kept between frames.
    pub(crate) plan: PaintPlan,
    /// Counts of changes: what the page stores and repaints, and the plan's keys.
    pub(crate) changes: Changes,
    /// A big network's closed communities, or the collapsed groups, as marks
    /// (`view::overview`); empty otherwise.
    pub marks: crate::place::overview::MarkScene,
    /// The page finds the communities in a frame of its own ([`App::defer_communities`]).
    pub(crate) communities_deferred: bool,
    /// The time axis has a lane per community ([`App::community_lanes_due`]).
    pub(crate) timeline_by_community: bool,
    /// The time axis with a lane per community, being placed over frames
    /// ([`App::place_community_lanes_for`]).
    community_lanes_placing: Option<crate::place::timeline::TimelinePlacing>,
    /// The layout's worker finds the communities ([`App::communities_elsewhere`]).
    pub(crate) communities_elsewhere: bool,
}

/// Stories up to this many events list every event in the page's DOM; bigger ones list a
/// page of them, so that a change never touches one DOM node per event.
pub const LIST_ALL_EVENTS_MAX: usize = 1_000;
/// The same for the actor buttons.
pub const LIST_ALL_ACTORS_MAX: usize = 500;

/// Stories of more actors than this, with no stored positions, are laid out by the page's
/// worker, coarse to fine: the full build's `place::multilevel::PLAIN_MAX`, which the first
/// build does not have.
pub const LAY_OUT_ELSEWHERE_PAST: usize = 400;

/// Whether the page lists a story's events and its actors a page at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ListPages {
    pub events: bool,
    pub actors: bool,
}

impl App {
    /// The story as loaded.
    pub fn story(&self) -> &Story {
        &self.fixed.story
    }

    /// Who took part in events together, and the relations.
    pub fn graph(&self) -> &Graph {
        &self.fixed.graph
    }

    /// What loading the story reported.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.fixed.diagnostics
    }

    /// The actor with this id, by hash rather than by scanning the story.
    pub fn actor_id(&self, id: &str) -> Option<usize> {
        self.fixed.actor_id(id)
    }

    /// The event with this id.
    pub fn event_id(&self, id: &str) -> Option<usize> {
        self.fixed.event_id(id)
    }

    /// The time span of the whole story, seconds.
    pub fn story_span(&self) -> Option<(f64, f64)> {
        self.fixed.story_span()
    }

    pub fn list_pages(&self) -> ListPages {
        ListPages {
            events: self.fixed.story.events.len() > LIST_ALL_EVENTS_MAX,
            actors: self.fixed.story.actors.len() > LIST_ALL_ACTORS_MAX,
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
        App::from_fixed(Fixed::new(story, diagnostics))
    }

    /// The viewer of a story whose fixed parts are made (`view::fixed::Fixing`, in parts).
    pub fn from_fixed(fixed: Fixed) -> App {
        let layout = fixed.layout();
        App::from_layout(fixed, layout)
    }

    /// The viewer of a story whose fixed parts and layout are made (the page makes a big
    /// story's layout, coarse levels and all, in a part of its own).
    pub fn from_layout(fixed: Fixed, layout: Layout) -> App {
        let mut app = App {
            fixed,
            reader: Reader::default(),
            derived: Derived::default(),
            layout,
            elsewhere: None,
            network: NetworkScene::default(),
            timeline: TimelineScene::default(),
            network_size: (0.0, 0.0),
            timeline_width: 0.0,
            plan: PaintPlan::default(),
            changes: Changes::default(),
            marks: Default::default(),
            communities_deferred: false,
            timeline_by_community: false,
            community_lanes_placing: None,
            communities_elsewhere: false,
        };
        app.derive();
        app
    }

    /// Sets the canvas sizes (CSS px) and returns the height the time axis needs.
    pub fn resize(&mut self, network_w: f64, network_h: f64, timeline_w: f64) -> f64 {
        self.network_size = (network_w.max(0.0), network_h.max(0.0));
        self.timeline_width = timeline_w.max(0.0);
        self.reader.fit_locked = false;
        self.place_network();
        self.place_timeline();
        self.timeline.height
    }

    /// The CSS height the time axis needs as placed now.
    pub fn timeline_height(&self) -> f64 {
        self.timeline.height
    }

    /// Places the time axis again for its width and the span shown (its lanes by actor, or
    /// by community once a big story's are found).
    pub fn place_timeline(&mut self) {
        let by_community = self.community_lanes();
        let input = App::timeline_input(&self.fixed, by_community.as_ref());
        let view = self.shown_time_view();
        self.timeline = TimelineScene::place(&input, self.timeline_width, view);
        self.timeline_placed(by_community.is_some());
    }

    /// Places the time axis with a lane per community, once they are found, a lane at a time
    /// until `time_up` (the page's frames: at W4 it is 300,000 marks); true once placed, or
    /// when they are not due. Any other placing of the axis meanwhile
    /// ([`App::place_timeline`]) makes it moot.
    pub fn place_community_lanes_for(&mut self, time_up: &mut dyn FnMut() -> bool) -> bool {
        if !self.community_lanes_due() {
            return true;
        }
        let by_community = self.community_lanes();
        let input = App::timeline_input(&self.fixed, by_community.as_ref());
        let (width, view) = (self.timeline_width, self.shown_time_view());
        let placing = (self.community_lanes_placing).get_or_insert_with(|| {
            crate::place::timeline::TimelinePlacing::new(&input, width, view)
        });
        if !placing.step(&input, time_up) {
            return false;
        }
        if let Some(placing) = self.community_lanes_placing.take() {
            self.timeline = placing.finish();
        }
        self.timeline_placed(true);
        true
    }

    /// What the time axis is placed from: the story's, with the communities' lanes if given.
    fn timeline_input<'a>(
        fixed: &'a Fixed,
        by_community: Option<&'a (std::rc::Rc<crate::place::overview::Communities>, Vec<usize>)>,
    ) -> TimelineInput<'a> {
        TimelineInput {
            whens: &fixed.whens,
            event_actors: &fixed.graph.event_actors,
            names: &fixed.names,
            lane_actors: &fixed.lane_actors,
            communities: by_community.map(|(c, order)| CommunityLanes {
                of: &c.overview.of,
                order,
                names: &c.names,
            }),
        }
    }

    /// The time axis was placed anew: one with a lane per community or not.
    fn timeline_placed(&mut self, by_community: bool) {
        self.community_lanes_placing = None;
        self.timeline_by_community = by_community;
        self.changes.timeline += 1;
    }

    pub(crate) fn place_network(&mut self) {
        for &(a, x, y) in &self.reader.pins {
            if let (Some(lx), Some(ly)) = (self.layout.x.get_mut(a), self.layout.y.get_mut(a)) {
                (*lx, *ly) = (x, y);
            }
        }
        let (w, h) = self.network_size;
        let fit = if self.reader.fit_locked {
            self.network.fit
        } else {
            None
        };
        let scene = NetworkScene::place(
            &self.fixed.network_input(self.derived.radius.as_deref()),
            &self.layout.x,
            &self.layout.y,
            w,
            h,
            fit,
        );
        self.network = scene;
        self.changes.network += 1;
        // A step frames its actors at any size of canvas, and wherever the layout has them.
        self.frame_step();
        self.view_network();
    }

    /// Where the network's nodes are: `[fit scale, fit x, fit y, x0, y0, x1, y1, …]`, layout
    /// positions (dragged nodes where the reader put them) after the fit a node drag holds,
    /// NaN when none is held. With the same story, sizes, selection and view,
    /// [`App::set_placement`] draws the very same network in another `App`: the page's SVG
    /// download is made by the full wasm build from the one the first build shows.
    pub fn placement(&self) -> Vec<f64> {
        let fit = self.network.fit.filter(|_| self.reader.fit_locked);
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
        self.reader.pins.clear();
        self.reader.fit_locked = fit.is_some();
        self.network.fit = fit;
        self.place_network();
        Ok(())
    }

    /// The network's view now, as [`App::tie_choice`] keys it.
    pub(crate) fn network_view(&self) -> u64 {
        self.changes.network
    }

    /// The network is at rest again after a move that kept the ties of before (a pan's
    /// release, a gesture's pause): a new view, whose ties are chosen again.
    /// Its labels, if the move left them out, come back too.
    pub(crate) fn network_at_rest(&mut self) {
        let mut scene = std::mem::take(&mut self.network);
        scene.place_deferred_labels(&self.fixed.network_input(self.derived.radius.as_deref()));
        self.network = scene;
        self.changes.network += 1;
    }

    /// Applies the camera and the filter to the placed network (labels follow, or wait for
    /// the rest after a move under way in a crowded picture).
    pub(crate) fn view_network(&mut self) {
        let moving = self.moving_from().is_some();
        let in_window = self.window_shown();
        let camera = self.shown_camera();
        // A big network's closed communities, or the groups the reader collapsed, hide their
        // actors behind one mark each.
        let overview = self.mark_plan(&in_window, camera.k);
        let shown: Vec<bool> = match &overview {
            Some(o) => {
                let of = &o.communities.overview.of;
                (in_window.iter().zip(of))
                    .map(|(&s, &c)| s && o.open.get(c as usize).copied().unwrap_or(true))
                    .collect()
            }
            None => in_window.clone(),
        };
        let mut scene = std::mem::take(&mut self.network);
        if scene.view(
            &self.fixed.network_input(self.derived.radius.as_deref()),
            camera,
            &shown,
            moving,
        ) {
            self.changes.network += 1;
        }
        let marks = match overview {
            Some(o) => o.place(&in_window, &scene),
            None => Default::default(),
        };
        if marks.open != self.marks.open {
            self.changes.opened += 1;
        }
        if marks.marks != self.marks.marks {
            self.changes.network += 1;
        }
        self.marks = marks;
        self.network = scene;
    }

    /// Hands the layout to another thread (the page's worker) when it is worth it: a story
    /// laid out coarse to fine (over [`LAY_OUT_ELSEWHERE_PAST`] actors) with no
    /// stored positions, not yet moved. Returns the graph to lay out ([`Layout::graph`]);
    /// until [`App::follow_layout`] takes a state at rest or [`App::take_layout_back`], the
    /// layout here does not step, and counts as running with the worker's progress.
    pub fn lay_out_elsewhere(&mut self) -> Option<Vec<f64>> {
        // The first build has no worker's build to lay out with (`web::Viewer::sendLayout`):
        // the compiler leaves what follows out of it.
        if !cfg!(feature = "full") {
            return None;
        }
        // At its start, and so without stored positions: a story with some starts warm
        // (`Layout::start_from`), one with all of them at rest.
        let fresh =
            self.elsewhere.is_none() && self.layout.running() && self.layout.progress() == 0.0;
        if !(fresh && self.layout.len() > LAY_OUT_ELSEWHERE_PAST) {
            return None;
        }
        self.elsewhere = Some(0.0);
        // The worker has the ties: it finds a big story's communities too, before it lays out.
        self.communities_elsewhere = self.communities_due();
        Some(self.layout.graph())
    }

    /// Takes a state of the layout run elsewhere ([`Layout::state`]) and places the network
    /// there. Returns whether the layout is still elsewhere: false once that state is at
    /// rest, or when it was taken back. A state of another graph (or none, when the worker
    /// failed) takes it back: the frames run it on from the last state taken.
    pub fn follow_layout(&mut self, state: &[f64]) -> bool {
        if self.elsewhere.is_none() || !self.layout.take_state(state) {
            self.take_layout_back();
            return false;
        }
        self.elsewhere = self.layout.running().then(|| state[0].clamp(0.0, 1.0));
        self.place_network();
        self.elsewhere.is_some()
    }

    /// The layout runs here again, on the frames, from the last state taken: the worker
    /// failed, or the reader drags a node (the worker knows nothing of the pins).
    pub fn take_layout_back(&mut self) {
        self.elsewhere = None;
        // The worker is stopped: the page finds the communities itself.
        self.communities_elsewhere = false;
    }

    /// Whether the layout is being run elsewhere ([`App::lay_out_elsewhere`]).
    pub fn layout_elsewhere(&self) -> bool {
        self.elsewhere.is_some()
    }

    /// Runs up to `max_ticks` layout steps; true while the layout is still moving.
    pub fn step_layout(&mut self, max_ticks: u32) -> bool {
        if self.elsewhere.is_some() {
            return true;
        }
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
        if self.elsewhere.is_some() || !self.layout.running() {
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
        self.changes.state += 1;
    }

    /// `running` while the network's layout still moves, then `settled` (the handle's words).
    pub fn layout_state(&self) -> &'static str {
        if self.layout_running() {
            "running"
        } else {
            "settled"
        }
    }

    pub fn layout_running(&self) -> bool {
        self.elsewhere.is_some() || self.layout.running()
    }

    /// How far the layout has settled, 0 to 1.
    pub fn layout_progress(&self) -> f64 {
        self.elsewhere.unwrap_or_else(|| self.layout.progress())
    }

    /// Increases on every change of the selection, the window or the focus.
    pub fn version(&self) -> u64 {
        self.changes.state
    }

    /// Increases on every change of the selection, the window or the focus, but not of the
    /// views: both pictures change with it.
    pub fn selection_version(&self) -> u64 {
        self.changes.selection
    }

    pub(crate) fn changed(&mut self) {
        self.changes.state += 1;
        self.changes.selection += 1;
        let radius = self.derived.radius.clone();
        self.derive();
        // New sizes move the labels and the fit's margins: the network is placed again.
        if self.derived.radius != radius && self.network_size.0 > 0.0 {
            self.place_network();
        } else {
            self.view_network();
        }
    }

    /// What the network's node sizes show.
    pub fn set_size(&mut self, size: Measure) {
        if self.reader.size != size {
            self.reader.size = size;
            self.changed();
        }
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
        self.reader.selection.actors = actors;
        self.reader.selection.focused = None;
        self.changed();
        Ok(())
    }

    /// "All" or "any" of the selected actors.
    pub fn set_mode(&mut self, mode: Mode) {
        if self.reader.selection.mode != mode {
            self.reader.selection.mode = mode;
            self.changed();
        }
    }

    /// Selects every actor of a group, in "any" mode: the legend's filter.
    pub fn select_group(&mut self, id: &str) -> Result<(), String> {
        let g = self
            .fixed
            .story
            .groups
            .iter()
            .position(|g| g.id == id)
            .ok_or_else(|| format!("there is no group with id \"{id}\""))?;
        self.reader.selection.actors = (0..self.fixed.story.actors.len())
            .filter(|&a| self.fixed.story.actors[a].group == Some(g))
            .collect();
        self.reader.selection.mode = Mode::Any;
        self.reader.selection.focused = None;
        self.changed();
        Ok(())
    }

    /// Clears selection, window and focus (the all/any mode is a preference and stays).
    pub fn clear(&mut self) {
        let cleared = Selection {
            mode: self.reader.selection.mode,
            ..Selection::default()
        };
        if self.reader.selection != cleared {
            self.reader.selection = cleared;
            self.changed();
        }
    }

    /// Clicking an actor selects it alone, or deselects it when it was selected; with
    /// `additive` it joins or leaves the current selection.
    pub fn toggle_actor(&mut self, actor: usize, additive: bool) {
        let selected = &mut self.reader.selection.actors;
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
        self.reader.selection.focused = None;
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
        if focused != self.reader.selection.focused {
            self.reader.selection.focused = focused;
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
        let window = window_of(start, end)?;
        if window != self.reader.selection.window {
            self.reader.selection.window = window;
            self.changed();
        }
        Ok(())
    }

    pub fn state(&self) -> StateView {
        let story = &self.fixed.story;
        StateView {
            selected_actors: self.selected_ids(),
            mode: self.reader.selection.mode,
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
            focused_event: self
                .reader
                .selection
                .focused
                .map(|e| story.events[e].id.clone()),
            step: self.step_shown().map(|k| k + 1),
            size: self.reader.size.name(),
            layout: self.layout_state(),
            collapsed_groups: self.collapsed_groups(),
        }
    }

    fn selected_ids(&self) -> Vec<String> {
        let actors = &self.fixed.story.actors;
        self.reader
            .selection
            .actors
            .iter()
            .map(|&a| actors[a].id.clone())
            .collect()
    }

    /// The time window as the reader gave it.
    fn window_texts(&self) -> Option<[String; 2]> {
        self.reader
            .selection
            .window
            .as_ref()
            .map(|w| [w.start_text.clone(), w.end_text.clone()])
    }

    /// The state without the lists of visible ids, only their lengths: what the page needs
    /// after every change, at a cost that does not grow with the story.
    pub fn summary(&self) -> SummaryView {
        let story = &self.fixed.story;
        SummaryView {
            selected_actors: self.selected_ids(),
            mode: self.reader.selection.mode,
            time_window: self.window_texts(),
            focused_event: self
                .reader
                .selection
                .focused
                .map(|e| story.events[e].id.clone()),
            visible_event_count: self.derived.visible_event_count(),
            visible_actor_count: self.derived.visible_actor_count,
            selected_names: self
                .reader
                .selection
                .actors
                .iter()
                .map(|&a| story.actors[a].name.clone())
                .collect(),
            focused_title: self
                .reader
                .selection
                .focused
                .map(|e| story.events[e].title.clone()),
            selected_group: self.selected_group().map(|g| story.groups[g].id.clone()),
            step: self.step_shown().map(|k| k + 1),
            last_step: self.reader.steps.at.map(|k| k + 1),
            size: self.reader.size.name(),
            size_sampled_from: self.derived.sampled_from,
            size_counting: self.sizing(),
            layout: self.layout_state(),
            collapsed_groups: self.collapsed_groups(),
        }
    }

    /// The group whose legend button is pressed: the selection is exactly its actors, shown
    /// in "any" mode (as [`App::select_group`] makes it) or the group's one actor.
    fn selected_group(&self) -> Option<usize> {
        let story = &self.fixed.story;
        let selected = &self.reader.selection.actors;
        let g = story.actors[*selected.first()?].group?;
        let members = story.actors.iter().filter(|a| a.group == Some(g)).count();
        let all_in_it = selected.iter().all(|&a| story.actors[a].group == Some(g));
        let whole = all_in_it && selected.len() == members;
        (whole && (self.reader.selection.mode == Mode::Any || members == 1)).then_some(g)
    }

    /// Up to `limit` visible events in time order for the page's list: the first ones, or
    /// those around the focused event when it lies further on.
    pub fn listed_events(&self, limit: usize) -> ListedEvents {
        let total = self.derived.visible_event_count();
        let limit = limit.max(1);
        let focus_rank = self
            .reader
            .selection
            .focused
            .and_then(|e| self.derived.rank_of(e));
        let first = match focus_rank {
            Some(r) if r >= limit => (r - limit / 2).min(total.saturating_sub(limit)),
            _ => 0,
        };
        let last = (first + limit).min(total);
        ListedEvents {
            ids: (first..last)
                .filter_map(|k| self.derived.nth_visible(k))
                .map(|e| self.fixed.story.events[e].id.clone())
                .collect(),
            before: first,
            after: total - last,
        }
    }

    /// Up to `limit` actors for the page's list of actor buttons: the selected ones, then the
    /// visible ones with the most events. With `limit` at least the number of actors, every
    /// visible actor (the selected are always visible).
    pub fn listed_actors(&self, limit: usize) -> Vec<String> {
        let selected = &self.reader.selection.actors;
        let mut out: Vec<usize> = selected.iter().copied().take(limit).collect();
        if out.len() < limit {
            let rest = self
                .fixed
                .actors_by_priority
                .iter()
                .copied()
                .filter(|&a| self.derived.visible_actors[a] && !selected.contains(&a));
            out.extend(rest.take(limit - out.len()));
        }
        out.into_iter()
            .map(|a| self.fixed.story.actors[a].id.clone())
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
        let before = self.changes.state;
        match target {
            Target::Network => match self.network.hit(x, y) {
                Some(a) => self.toggle_actor(a, additive),
                None if let Some(c) = self.marks.hit(x, y) => self.open_mark(c),
                None => {
                    if self.reader.selection.focused.is_some() {
                        self.reader.selection.focused = None;
                        self.changed();
                    }
                }
            },
            Target::Timeline => {
                let hit = self.timeline.hit(x, y, &self.derived.visible_events);
                if hit != self.reader.selection.focused {
                    self.reader.selection.focused = hit;
                    self.changed();
                }
            }
        }
        self.changes.state != before
    }

    /// The pointer moved over a canvas: what it rests on, and its tooltip.
    pub fn pointer_move(&mut self, target: Target, x: f64, y: f64) -> Option<Tooltip> {
        if self.dragging() {
            self.reader.hover = None;
            self.drag_to(x, y);
            return None;
        }
        self.reader.hover = match target {
            Target::Network => (self.network.hit(x, y).map(Hover::Actor))
                .or_else(|| self.marks.hit(x, y).map(Hover::Community)),
            Target::Timeline => self
                .timeline
                .hit(x, y, &self.derived.visible_events)
                .map(Hover::Event),
        };
        let story = &self.fixed.story;
        let (text, media) = match self.reader.hover? {
            Hover::Actor(a) => (self.actor_tooltip(a), &story.actors[a].media[..]),
            Hover::Event(e) => (self.event_tooltip(e), &story.events[e].media[..]),
            Hover::Community(c) => (self.community_tooltip(c), &[][..]),
        };
        let image = media
            .iter()
            .find(|m| m.kind == crate::story::model::MediaKind::Image)
            .map(|m| crate::view::state::TipImage {
                url: m.url.clone(),
                alt: m.alt.clone(),
            });
        Some(Tooltip { text, x, y, image })
    }

    pub fn pointer_leave(&mut self) {
        self.reader.hover = None;
    }

    fn actor_tooltip(&self, a: usize) -> String {
        let actor = &self.fixed.story.actors[a];
        let mut lines = vec![actor.name.clone()];
        if let Some(role) = &actor.role {
            lines.push(role.clone());
        }
        let group = actor
            .group
            .map(|g| self.fixed.story.groups[g].name.as_str());
        let count = self.fixed.graph.event_count(a);
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
        for r in &self.fixed.story.relations {
            if r.from == a {
                lines.push(format!(
                    "{}: {}",
                    r.label, self.fixed.story.actors[r.to].name
                ));
            } else if r.to == a {
                lines.push(format!(
                    "{}: {}",
                    self.fixed.story.actors[r.from].name, r.label
                ));
            }
        }
        lines.join("\n")
    }

    fn event_tooltip(&self, e: usize) -> String {
        let event = &self.fixed.story.events[e];
        match &event.date_text {
            Some(t) => format!("{}\n{} ({})", event.title, event.when.label(), t),
            None => format!("{}\n{}", event.title, event.when.label()),
        }
    }
}

/// The inclusive end of a window as the reader would write it.
/// The time window `[start, end]` (ISO dates, inclusive); `None` for both is none.
pub(crate) fn window_of(start: Option<&str>, end: Option<&str>) -> Result<Option<Window>, String> {
    Ok(match (start, end) {
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
    })
}

fn end_text(w: &When) -> String {
    if w.precision == Precision::Time {
        // Always with the time: a bare date would read back as that whole day.
        crate::story::dates::iso_datetime(w.start_secs)
    } else {
        iso(w.end_secs - crate::story::dates::DAY_SECS)
    }
}

#[cfg(test)]
mod tests;
