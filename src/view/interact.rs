//! Reading the picture with a pointer or a keyboard: drags (brushing a time window, moving or
//! resizing it, dragging a node, panning), zoom, and keyboard movement between actors and
//! events. Each turns into a change of [`App`]'s selection or view.

use serde::{Deserialize, Serialize};

use crate::place::network::Camera;
use crate::story::dates::{DAY_SECS, When, iso};
use crate::view::app::{App, Selection, Target, Window};

/// A press moves this far (CSS px) before it counts as a drag rather than a click.
const CLICK_SLOP_PX: f64 = 4.0;
/// How close to a window's edge a press grabs the edge.
const EDGE_GRAB_PX: f64 = 6.0;
/// The narrowest time span the axis zooms to.
const MIN_TIME_SPAN_SECS: f64 = 6.0 * 3600.0;

/// What a press becomes once it moves.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Intent {
    /// Nothing to drag (a press on the lane names): only a click.
    None,
    /// A new time window from `anchor_secs` to the pointer.
    Brush { anchor_secs: f64 },
    /// The window moves with the pointer.
    MoveWindow {
        grab_secs: f64,
        start: i64,
        end: i64,
    },
    /// One edge of the window follows the pointer; the other stays at `fixed`.
    ResizeWindow { fixed: i64 },
    /// A node follows the pointer and stays where it is dropped.
    Node { actor: usize },
    /// The network's camera follows the pointer.
    Pan { last: (f64, f64) },
}

/// A press in progress.
#[derive(Debug, Clone)]
pub(crate) struct Drag {
    target: Target,
    intent: Intent,
    origin: (f64, f64),
    pub(crate) moved: bool,
    /// What to restore if the drag is cancelled.
    before_selection: Selection,
    before_camera: Camera,
    before_pins: Vec<(usize, f64, f64)>,
    before_version: u64,
    /// The network's view at the press: while a pan drags it, the ties chosen for it stay.
    before_views: u64,
}

impl Drag {
    /// A drag of the network's empty background that has moved: a pan.
    fn pans_network(&self) -> bool {
        self.moved && self.target == Target::Network && matches!(self.intent, Intent::Pan { .. })
    }
}

/// A burst of wheel turns or pinch steps, ended by a pause (`App::settle_gesture`): such
/// steps have no end of their own the page could pass on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ViewGesture {
    /// The network's view before the gesture first moved it; `None` while it moved only the
    /// time axis.
    network_before: Option<u64>,
    last_step_ms: Option<f64>,
}

/// A pause this long (ms, on the frame clock) between a gesture's steps ends it: the ties are
/// chosen for the view it reached, and the page records that view.
pub const GESTURE_REST_MS: f64 = 250.0;

/// What a frame finds of a wheel's or a pinch's gesture (`App::settle_gesture`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GestureRest {
    /// Steps may still come: frames must keep coming to see the pause.
    Waiting,
    /// It ended now; `network` when it moved the network, whose ties are chosen again.
    Ended { network: bool },
}

/// Where keyboard navigation stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyboard {
    /// The canvas that has keyboard focus.
    pub focus: Option<Target>,
    pub actor: Option<usize>,
    pub event: Option<usize>,
}

/// The item keyboard navigation rests on, with words for a screen reader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyboardItem {
    pub kind: &'static str,
    pub id: String,
    pub label: String,
}

/// The view as a page stores it (in its URL): the time axis's span and the network camera.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ViewState {
    pub time_view: Option<[String; 2]>,
    pub camera: Option<CameraState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CameraState {
    pub k: f64,
    pub x: f64,
    pub y: f64,
}

impl App {
    /// A press on a canvas at CSS px `(x, y)`.
    pub fn pointer_down(&mut self, target: Target, x: f64, y: f64) {
        let intent = match target {
            Target::Network => match self.network.hit(x, y) {
                Some(actor) => Intent::Node { actor },
                None => Intent::Pan { last: (x, y) },
            },
            Target::Timeline => self.timeline_intent(x),
        };
        self.reader.drag = Some(Drag {
            target,
            intent,
            origin: (x, y),
            moved: false,
            before_selection: self.reader.selection.clone(),
            before_camera: self.reader.camera,
            before_pins: self.reader.pins.clone(),
            before_version: self.version(),
            before_views: self.network_view(),
        });
    }

    /// While a drag pans the network or a wheel or a pinch moves it: its view before (see
    /// [`App::tie_choice`]), whose ties are drawn until then.
    pub(crate) fn moving_from(&self) -> Option<u64> {
        self.reader
            .drag
            .as_ref()
            .filter(|d| d.pans_network())
            .map(|d| d.before_views)
            .or(self.reader.gesture.and_then(|g| g.network_before))
    }

    /// Whether a wheel's or a pinch's gesture waits for a pause in its steps.
    pub fn gesturing(&self) -> bool {
        self.reader.gesture.is_some()
    }

    /// A step of a wheel's or a pinch's gesture on `target`: starts one or extends it.
    fn gesture_step(&mut self, target: Target) {
        let before = self.reader.gesture.and_then(|g| g.network_before);
        let network_before = match target {
            Target::Network => before.or(Some(self.network_view())),
            Target::Timeline => before,
        };
        self.reader.gesture = Some(ViewGesture {
            network_before,
            last_step_ms: None,
        });
    }

    /// Ends a gesture once no step came for [`GESTURE_REST_MS`] of the frame clock `now_ms`;
    /// `None` without one.
    pub fn settle_gesture(&mut self, now_ms: f64) -> Option<GestureRest> {
        let gesture = self.reader.gesture.as_mut()?;
        match gesture.last_step_ms {
            // The first frame after a step stamps it: steps come between frames.
            None => {
                gesture.last_step_ms = Some(now_ms);
                Some(GestureRest::Waiting)
            }
            Some(t) if now_ms - t < GESTURE_REST_MS => Some(GestureRest::Waiting),
            Some(_) => {
                let network = gesture.network_before.is_some();
                self.reader.gesture = None;
                if network {
                    self.network_at_rest();
                }
                Some(GestureRest::Ended { network })
            }
        }
    }

    fn timeline_intent(&self, x: f64) -> Intent {
        let Some(scale) = self.timeline.scale else {
            return Intent::None;
        };
        if x < scale.x0 - EDGE_GRAB_PX {
            return Intent::None;
        }
        if let Some(w) = &self.reader.selection.window {
            let (wx0, wx1) = (scale.x(w.start_secs as f64), scale.x(w.end_secs as f64));
            if (x - wx0).abs() <= EDGE_GRAB_PX {
                return Intent::ResizeWindow { fixed: w.end_secs };
            }
            if (x - wx1).abs() <= EDGE_GRAB_PX {
                return Intent::ResizeWindow {
                    fixed: w.start_secs,
                };
            }
            if x > wx0 && x < wx1 {
                return Intent::MoveWindow {
                    grab_secs: scale.secs(x),
                    start: w.start_secs,
                    end: w.end_secs,
                };
            }
        }
        Intent::Brush {
            anchor_secs: scale.secs(x.min(scale.x1)),
        }
    }

    /// True while a press is held.
    pub fn dragging(&self) -> bool {
        self.reader.drag.is_some()
    }

    /// The pointer moved while pressed: follow it.
    pub(crate) fn drag_to(&mut self, x: f64, y: f64) {
        let Some(mut drag) = self.reader.drag.take() else {
            return;
        };
        if !drag.moved && (x - drag.origin.0).hypot(y - drag.origin.1) < CLICK_SLOP_PX {
            self.reader.drag = Some(drag);
            return;
        }
        drag.moved = true;
        let intent = drag.intent.clone();
        // Back in `self` first: what follows sees the drag under way (a pan's
        // `moving_from`, the sizes `derive` holds while a brush moves).
        self.reader.drag = Some(drag);
        match intent {
            Intent::None => {}
            Intent::Brush { anchor_secs } => {
                if let Some(t) = self.secs_at(x) {
                    self.set_window_secs(anchor_secs.min(t), anchor_secs.max(t), Snap::Outward);
                }
            }
            Intent::MoveWindow {
                grab_secs,
                start,
                end,
            } => {
                if let Some(t) = self.secs_at(x) {
                    let shift = t - grab_secs;
                    self.set_window_secs(
                        start as f64 + shift,
                        end as f64 + shift,
                        Snap::KeepLength,
                    );
                }
            }
            Intent::ResizeWindow { fixed } => {
                if let Some(t) = self.secs_at(x) {
                    let fixed = fixed as f64;
                    self.set_window_secs(fixed.min(t), fixed.max(t), Snap::Outward);
                }
            }
            Intent::Node { actor } => {
                // The worker knows nothing of pins: a dragged node's ties pull here.
                self.take_layout_back();
                if let Some((lx, ly)) = self.network.layout_from_screen(x, y) {
                    self.reader.pins.retain(|p| p.0 != actor);
                    self.reader.pins.push((actor, lx, ly));
                    self.reader.fit_locked = true;
                    self.place_network();
                }
            }
            Intent::Pan { last } => {
                self.reader.camera.pan(x - last.0, y - last.1);
                if let Some(drag) = self.reader.drag.as_mut() {
                    drag.intent = Intent::Pan { last: (x, y) };
                }
                self.view_network();
                self.view_changed();
            }
        }
    }

    /// The press ended: a click if it barely moved. True if the state changed.
    pub fn pointer_up(&mut self, target: Target, x: f64, y: f64, additive: bool) -> bool {
        let Some(drag) = self.reader.drag.take() else {
            return self.click(target, x, y, additive);
        };
        if !drag.moved {
            return self.click(drag.target, x, y, additive);
        }
        if drag.pans_network() {
            self.network_at_rest();
        }
        // Sizes held while the drag moved (see `App::derive`) follow the new window now.
        if self.reader.size != crate::story::measures::Measure::Events {
            self.changed();
        }
        self.version() != drag.before_version
    }

    /// The press was taken away (a second finger, the pointer left the window): undo it.
    pub fn pointer_cancel(&mut self) {
        let Some(drag) = self.reader.drag.take() else {
            return;
        };
        if !drag.moved {
            return;
        }
        self.reader.camera = drag.before_camera;
        self.reader.pins = drag.before_pins;
        self.place_network();
        if self.reader.selection != drag.before_selection {
            self.reader.selection = drag.before_selection;
            self.changed();
        } else {
            self.view_changed();
        }
    }

    fn secs_at(&self, x: f64) -> Option<f64> {
        let scale = self.timeline.scale?;
        Some(scale.secs(crate::place::network::clamp(x, scale.x0, scale.x1)))
    }

    /// Sets the window from seconds, snapped to whole days (or hours when zoomed in close),
    /// so it reads and shares as dates.
    fn set_window_secs(&mut self, start: f64, end: f64, snap: Snap) {
        let span = self
            .timeline
            .scale
            .map_or(f64::INFINITY, |s| s.end_secs - s.start_secs);
        let unit = if span > 3.0 * DAY_SECS as f64 {
            DAY_SECS
        } else {
            3600
        } as f64;
        let (s, e) = match snap {
            Snap::Outward => ((start / unit).floor() * unit, (end / unit).ceil() * unit),
            Snap::KeepLength => {
                let len = ((end - start) / unit).round().max(1.0) * unit;
                let s = (start / unit).round() * unit;
                (s, s + len)
            }
        };
        let e = e.max(s + unit);
        let (s, e) = (s as i64, e as i64);
        let by_day = unit >= DAY_SECS as f64;
        let window = Window {
            start_secs: s,
            end_secs: e,
            start_text: iso(s),
            // Dates are inclusive for people: a window ending at midnight ends the day before.
            end_text: if by_day { iso(e - DAY_SECS) } else { iso(e) },
        };
        if self.reader.selection.window.as_ref() != Some(&window) {
            self.reader.selection.window = Some(window);
            self.changed();
        }
    }

    /// Zooms a view by `factor` (> 1 zooms in) around `(x, y)` CSS px.
    pub fn zoom(&mut self, target: Target, factor: f64, x: f64, y: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        match target {
            Target::Network => {
                let (w, h) = (self.network.width, self.network.height);
                self.reader.camera.zoom_at(factor, x, y, w, h);
                self.view_network();
                if factor < 1.0 {
                    self.close_when_zoomed_out();
                }
            }
            Target::Timeline => {
                let (Some(scale), Some((full_start, full_end))) =
                    (self.timeline.scale, self.story_span())
                else {
                    return;
                };
                let full = full_end - full_start;
                let span = crate::place::network::clamp(
                    (scale.end_secs - scale.start_secs) / factor,
                    MIN_TIME_SPAN_SECS,
                    full * 4.0,
                );
                let x = if x >= scale.x0 && x <= scale.x1 {
                    x
                } else {
                    (scale.x0 + scale.x1) / 2.0
                };
                let t = scale.secs(x);
                let start = t - (x - scale.x0) / (scale.x1 - scale.x0) * span;
                self.set_time_view(Some((start, start + span)));
            }
        }
        self.view_changed();
    }

    /// A wheel turn over a canvas: zoom around the pointer, a step of a gesture.
    pub fn wheel(&mut self, target: Target, x: f64, y: f64, delta_y: f64) {
        self.gesture_step(target);
        let factor = (-delta_y.clamp(-600.0, 600.0) * 0.0015).exp();
        self.zoom(target, factor, x, y);
    }

    /// A step of two fingers on a canvas: the zoom by `factor` around their midpoint `(x, y)`
    /// and the midpoint's move by `(dx, dy)` CSS px since the last step, a step of a gesture.
    pub fn pinch(&mut self, target: Target, factor: f64, x: f64, y: f64, dx: f64, dy: f64) {
        self.gesture_step(target);
        // A change too small to see is left out, as the page's jitter would repaint.
        let zooms = factor.is_finite() && factor > 0.0 && (factor - 1.0).abs() > 1e-3;
        let pans = dx.is_finite() && dy.is_finite() && (dx != 0.0 || dy != 0.0);
        match target {
            // Both moves, then one new view: each view places the labels again, the most
            // of a step's script in a crowded network.
            Target::Network if zooms || pans => {
                if zooms {
                    let (w, h) = (self.network.width, self.network.height);
                    self.reader.camera.zoom_at(factor, x, y, w, h);
                }
                if pans {
                    self.reader.camera.pan(dx, dy);
                }
                self.view_network();
                if zooms && factor < 1.0 {
                    self.close_when_zoomed_out();
                }
                self.view_changed();
            }
            Target::Network => {}
            Target::Timeline => {
                if zooms {
                    self.zoom(target, factor, x, y);
                }
                if pans {
                    self.pan(target, dx, dy);
                }
            }
        }
    }

    /// Moves a view by CSS px.
    pub fn pan(&mut self, target: Target, dx: f64, dy: f64) {
        match target {
            Target::Network => {
                self.reader.camera.pan(dx, dy);
                self.view_network();
            }
            Target::Timeline => {
                let Some(scale) = self.timeline.scale else {
                    return;
                };
                let secs_per_px = (scale.end_secs - scale.start_secs) / (scale.x1 - scale.x0);
                let shift = -dx * secs_per_px;
                self.set_time_view(Some((scale.start_secs + shift, scale.end_secs + shift)));
            }
        }
        self.view_changed();
    }

    /// Back to the whole picture.
    pub fn fit(&mut self, target: Target) {
        match target {
            Target::Network => {
                self.reader.camera = Camera::default();
                self.reader.fit_locked = false;
                self.reader.opened.clear();
                self.place_network();
            }
            Target::Timeline => self.set_time_view(None),
        }
        self.view_changed();
    }

    fn set_time_view(&mut self, view: Option<(f64, f64)>) {
        // The same span places the same lanes and marks (a resize places them anew): a link
        // without one, restored at each start, placed W4's 200,000 marks again for nothing.
        if view == self.reader.time_view {
            return;
        }
        self.reader.time_view = view;
        self.place_timeline();
    }

    /// The view, for the page's URL.
    pub fn view_state(&self) -> ViewState {
        ViewState {
            time_view: self
                .reader
                .time_view
                .map(|(s, e)| [iso(s.round() as i64), iso(e.round() as i64)]),
            camera: Some(CameraState {
                k: self.reader.camera.k,
                x: self.reader.camera.x,
                y: self.reader.camera.y,
            }),
        }
    }

    /// Restores a view stored by [`App::view_state`]; missing parts go back to the default.
    pub fn set_view(&mut self, view: &ViewState) -> Result<(), String> {
        self.finish_motion();
        let time_view = match &view.time_view {
            Some([s, e]) => {
                let parse = |t: &str| {
                    When::parse(t)
                        .map(|w| w.start_secs as f64)
                        .map_err(|e| format!("time view: {e}"))
                };
                let (s, e) = (parse(s)?, parse(e)?);
                if e <= s {
                    return Err("the time view ends before it starts".into());
                }
                Some((s, e))
            }
            None => None,
        };
        let camera = view.camera.map_or(Camera::default(), |c| Camera {
            k: c.k.clamp(Camera::MIN_K, Camera::MAX_K),
            x: if c.x.is_finite() { c.x } else { 0.0 },
            y: if c.y.is_finite() { c.y } else { 0.0 },
        });
        self.reader.camera = camera;
        self.view_network();
        self.set_time_view(time_view);
        self.view_changed();
        Ok(())
    }

    /// A canvas gained (or, with `None`, lost) keyboard focus.
    pub fn set_keyboard_focus(&mut self, target: Option<Target>) {
        self.reader.keyboard.focus = target;
        match target {
            Some(Target::Network) if !self.actor_shown(self.reader.keyboard.actor) => {
                self.reader.keyboard.actor = self.actors_in_reading_order().first().copied();
                if self
                    .reader
                    .keyboard
                    .actor
                    .is_some_and(|a| !self.marks.actor_open(a))
                {
                    self.view_network();
                }
            }
            Some(Target::Timeline) if !self.event_shown(self.reader.keyboard.event) => {
                self.reader.keyboard.event = self.derived.nth_visible(0);
            }
            _ => {}
        }
    }

    /// Shown by the time window: the keyboard reaches actors inside a closed community too,
    /// and opens it (`view::overview`).
    fn actor_shown(&self, actor: Option<usize>) -> bool {
        let in_window = |a: usize| {
            self.reader.selection.window.is_none()
                || self.derived.visible_actors.get(a).copied().unwrap_or(false)
        };
        actor.is_some_and(|a| a < self.network.x.len() && in_window(a))
    }

    fn event_shown(&self, event: Option<usize>) -> bool {
        event.is_some_and(|e| self.derived.visible_events.get(e).copied().unwrap_or(false))
    }

    /// Actors top to bottom, then left to right, as a reader scans the picture.
    fn actors_in_reading_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.network.x.len())
            .filter(|&a| self.actor_shown(Some(a)))
            .collect();
        crate::story::order::sort_by_keys(&mut order, |&a| {
            let row = (self.network.y[a] / 40.0).floor();
            [
                crate::story::order::f64_key(row),
                crate::story::order::f64_key(self.network.x[a]),
                0,
            ]
        });
        order
    }

    /// A key pressed on a focused canvas; true if it was used.
    pub fn key(&mut self, target: Target, key: &str, additive: bool) -> bool {
        self.set_keyboard_focus(Some(target));
        match target {
            Target::Network => self.key_network(key, additive),
            Target::Timeline => self.key_timeline(key),
        }
    }

    fn key_network(&mut self, key: &str, additive: bool) -> bool {
        let Some(current) = self.reader.keyboard.actor else {
            return false;
        };
        let order = self.actors_in_reading_order();
        let next = match key {
            "ArrowLeft" => self.nearest_actor(current, (-1.0, 0.0)),
            "ArrowRight" => self.nearest_actor(current, (1.0, 0.0)),
            "ArrowUp" => self.nearest_actor(current, (0.0, -1.0)),
            "ArrowDown" => self.nearest_actor(current, (0.0, 1.0)),
            "Home" => order.first().copied(),
            "End" => order.last().copied(),
            "Enter" | " " => {
                self.toggle_actor(current, additive);
                return true;
            }
            _ => return false,
        };
        if let Some(a) = next {
            self.reader.keyboard.actor = Some(a);
            // Into a closed community: it opens.
            if !self.marks.actor_open(a) {
                self.view_network();
            }
        }
        true
    }

    /// The closest shown actor within 70° of `direction`, preferring those straight ahead.
    fn nearest_actor(&self, from: usize, direction: (f64, f64)) -> Option<usize> {
        let (fx, fy) = (self.network.x[from], self.network.y[from]);
        (0..self.network.x.len())
            .filter(|&a| a != from && self.actor_shown(Some(a)))
            .filter_map(|a| {
                let (dx, dy) = (self.network.x[a] - fx, self.network.y[a] - fy);
                let dist = dx.hypot(dy);
                let cos = (dx * direction.0 + dy * direction.1) / dist.max(1e-9);
                (cos > 0.34).then_some((a, dist * (2.0 - cos)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(a, _)| a)
    }

    fn key_timeline(&mut self, key: &str) -> bool {
        // Neighbours in time through the visible list, not a scan of every event.
        let d = &self.derived;
        let Some(current) = self.reader.keyboard.event else {
            return false;
        };
        let at = d.rank_of(current).unwrap_or(0);
        let count = d.visible_event_count();
        let next = match key {
            "ArrowRight" | "ArrowDown" => d.nth_visible(at + 1),
            "ArrowLeft" | "ArrowUp" => at.checked_sub(1).and_then(|i| d.nth_visible(i)),
            "Home" => d.nth_visible(0),
            "End" => count.checked_sub(1).and_then(|i| d.nth_visible(i)),
            "Enter" | " " => {
                let id = self.fixed.story.events[current].id.clone();
                let _ = self.focus_event(Some(&id));
                return true;
            }
            _ => return false,
        };
        if let Some(e) = next {
            self.reader.keyboard.event = Some(e);
        }
        true
    }

    /// The item keyboard navigation rests on in the focused canvas.
    pub fn keyboard_item(&self) -> Option<KeyboardItem> {
        match self.reader.keyboard.focus? {
            Target::Network => {
                let a = self.reader.keyboard.actor?;
                let actor = self.fixed.story.actors.get(a)?;
                let mut label = actor.name.clone();
                if let Some(role) = &actor.role {
                    label.push_str(", ");
                    label.push_str(role);
                }
                let n = self.fixed.graph.event_count(a);
                label.push_str(&format!(", {n} event{}", if n == 1 { "" } else { "s" }));
                if self.reader.selection.actors.contains(&a) {
                    label.push_str(", selected");
                }
                Some(KeyboardItem {
                    kind: "actor",
                    id: actor.id.clone(),
                    label,
                })
            }
            Target::Timeline => {
                let e = self.reader.keyboard.event?;
                let event = self.fixed.story.events.get(e)?;
                Some(KeyboardItem {
                    kind: "event",
                    id: event.id.clone(),
                    label: format!("{}, {}", event.title, event.when.label()),
                })
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Snap {
    /// Start rounds down and end rounds up: the window covers what was brushed.
    Outward,
    /// A moved window keeps its length.
    KeepLength,
}
