//! The browser side: one handle, [`Viewer`], that the JS shell feeds DOM events into and asks
//! to paint. This is the only module that knows about wasm-bindgen; everything it does is a
//! thin translation onto [`App`].
//!
//! It is built twice (`make wasm`): without the `full` feature as `pkg/castline.js`, the page's
//! first download, which shows a Castline JSON story that has nothing to report; and with it as
//! `pkg/castline_full.js`, which `www/castline.js` loads only when the data is another format
//! or has problems to explain. Both have the same `Viewer`; the full one adds the generator
//! and [`LayoutRun`] for the benchmarks.

use std::cell::RefCell;

// Our own canvas backend: one path per run of same-style shapes instead of one per shape.
use crate::draw::canvas::BatchedCanvas;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::draw::{Pen, draw_network, draw_network_marks, draw_timeline, draw_timeline_marks};
use crate::view::app::{App, Target};
use crate::view::interact::GestureRest;
use crate::view::repaint::Repaints;

/// `draw_network` or `draw_timeline` (or their layers' `…_marks`), onto the page's canvas.
type Draw = fn(
    &crate::draw::Frame,
    &mut Pen<'_, BatchedCanvas>,
) -> Result<(), plotters_backend::DrawingErrorKind<crate::draw::canvas::CanvasError>>;

/// How long layout may run in one animation frame, so the page never stalls.
const LAYOUT_BUDGET_MS: f64 = 8.0;

/// For work done in parts: a clock that says when `budget_ms` have passed since it was made
/// (at once without a clock: one part at a time).
fn time_up_after(budget_ms: f64) -> impl FnMut() -> bool {
    let performance = web_sys::window().and_then(|w| w.performance());
    let started = performance.as_ref().map_or(0.0, |p| p.now());
    move || {
        performance
            .as_ref()
            .is_none_or(|p| p.now() - started >= budget_ms)
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the panic message for the page to show, and logs it to the console.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
        console_error_panic_hook::hook(info);
    }));
}

/// The message of the last Rust panic, if any: the page shows it instead of a dead canvas.
#[wasm_bindgen(js_name = panicMessage)]
pub fn panic_message() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// A value for JS, through JSON text and `JSON.parse`: serde_json is in the module anyway, and
/// serde-wasm-bindgen cost 4.7 KB more of wasm (3 KB gzip; issue 6).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("the viewer's answer is not JSON"))
}

#[cfg(feature = "full")]
fn set(object: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new(&format!("could not set \"{key}\"")))
}

#[cfg(feature = "full")]
/// A recorded scene as plain objects with typed arrays: copying flat arrays is cheap, where
/// serde would make one JS number per coordinate.
fn recorded_to_js(recorder: &crate::draw::record::Recorder) -> Result<JsValue, JsError> {
    let f64s = |v: &[f64]| JsValue::from(js_sys::Float64Array::from(v));
    let out = js_sys::Object::new();
    let (width, height) = plotters_backend::DrawingBackend::get_size(recorder);
    set(&out, "width", &JsValue::from(width))?;
    set(&out, "height", &JsValue::from(height))?;
    let shapes = js_sys::Array::new();
    for g in &recorder.shapes {
        let o = js_sys::Object::new();
        set(&o, "fill", &JsValue::from(g.paint.is_fill()))?;
        set(&o, "color", &JsValue::from(g.paint.css()))?;
        set(&o, "width", &JsValue::from(g.paint.width()))?;
        set(&o, "lines", &f64s(&g.lines))?;
        set(&o, "rects", &f64s(&g.rects))?;
        set(&o, "circles", &f64s(&g.circles))?;
        set(&o, "paths", &f64s(&g.paths))?;
        set(
            &o,
            "pathLens",
            &JsValue::from(js_sys::Uint32Array::from(&g.path_lens[..])),
        )?;
        shapes.push(&o);
    }
    set(&out, "shapes", &shapes)?;
    let texts = js_sys::Array::new();
    for g in &recorder.texts {
        let o = js_sys::Object::new();
        set(&o, "font", &JsValue::from(g.font.as_str()))?;
        set(&o, "color", &JsValue::from(g.color.as_str()))?;
        set(&o, "align", &JsValue::from(g.align))?;
        set(&o, "baseline", &JsValue::from(g.baseline))?;
        let strings: js_sys::Array = g.texts.iter().map(|t| JsValue::from(t.as_str())).collect();
        set(&o, "texts", &strings)?;
        set(&o, "xy", &f64s(&g.xy))?;
        texts.push(&o);
    }
    set(&out, "texts", &texts)?;
    Ok(out.into())
}

#[derive(Serialize)]
struct Point {
    x: f64,
    y: f64,
}

/// One mounted story on two canvases.
#[wasm_bindgen]
pub struct Viewer {
    app: App,
    network: HtmlCanvasElement,
    timeline: HtmlCanvasElement,
    device_pixel_ratio: f64,
    repaints: Repaints,
    /// Transparent canvases above the network and the time axis for the pointer's and the
    /// keyboard's rings; without them the rings are painted onto the pictures.
    layers: Option<(HtmlCanvasElement, HtmlCanvasElement)>,
    /// The CSS height the time axis's canvas is sized for ([`Viewer::timeline_height`]).
    timeline_height: f64,
    /// The time axis's lanes changed without a resize: its canvas is sized again just
    /// before its next paint.
    timeline_refit: bool,
}

#[wasm_bindgen]
impl Viewer {
    /// Loads a story from its text. Throws when nothing can be read; records with problems
    /// are left out and listed by `diagnostics()`. The first build reads a story in parts
    /// instead (`StoryReading`, `fromReading`) and has no other way in.
    #[cfg(feature = "full")]
    #[wasm_bindgen(constructor)]
    pub fn new(
        network: HtmlCanvasElement,
        timeline: HtmlCanvasElement,
        text: &str,
        name: Option<String>,
    ) -> Result<Viewer, JsError> {
        // The name is what diagnostics call the file ("events.csv:4:2: error: …").
        let name = name.filter(|n| !n.trim().is_empty());
        let file = name.as_deref().unwrap_or("data");
        let loaded = crate::read::detect::load_any(file, text);
        Viewer::opened(network, timeline, loaded)
    }

    pub fn diagnostics(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.diagnostics())
    }

    /// The story's header, groups and actors, and `eventCount`; its events come from
    /// `events`, in parts (the handle's `story()`).
    pub fn story(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.story_outline())
    }

    /// What the page shows around the pictures: header, groups with their member counts,
    /// the counts of actors and events, the first and last dates, the span in ms.
    pub fn head(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.story_head())
    }

    /// The actor buttons' items for these ids, or for every actor: each as `story()` has it.
    #[wasm_bindgen(js_name = actorItems)]
    pub fn actor_items(&self, ids: Option<Vec<String>>) -> Result<JsValue, JsError> {
        to_js(&self.app.actor_items(ids.as_deref()))
    }

    /// The event list's items for these ids, or for every event: each event as `events`
    /// gives it, with `actorNames`.
    #[wasm_bindgen(js_name = eventItems)]
    pub fn event_items(&self, ids: Option<Vec<String>>) -> Result<JsValue, JsError> {
        to_js(&self.app.event_items(ids.as_deref()))
    }

    /// The ids of the actors at these positions (`visibleActorIndices`), or of all.
    #[wasm_bindgen(js_name = actorIds)]
    pub fn actor_ids(&self, positions: Option<Vec<u32>>) -> Vec<String> {
        let ids = self.app.actor_ids_at(positions.as_deref());
        ids.into_iter().map(String::from).collect()
    }

    /// The ids of the events at these positions (`visibleEventIndices`), or of all.
    #[wasm_bindgen(js_name = eventIds)]
    pub fn event_ids(&self, positions: Option<Vec<u32>>) -> Vec<String> {
        let ids = self.app.event_ids_at(positions.as_deref());
        ids.into_iter().map(String::from).collect()
    }

    #[wasm_bindgen(js_name = hasActor)]
    pub fn has_actor(&self, id: &str) -> bool {
        self.app.actor_id(id).is_some()
    }

    #[wasm_bindgen(js_name = hasEvent)]
    pub fn has_event(&self, id: &str) -> bool {
        self.app.event_id(id).is_some()
    }

    /// Folds up to `count` more of the story's entries for search; true once all are (the
    /// page calls it in idle tasks after the start, so that no search task runs long).
    #[wasm_bindgen(js_name = foldForSearch)]
    pub fn fold_for_search(&self, count: u32) -> bool {
        self.app.fold_for_search(count as usize)
    }

    /// The search box's best answers for `query`: `[{ kind, id, label, detail }]`.
    pub fn search(&self, query: &str) -> Result<JsValue, JsError> {
        to_js(&self.app.search(query, crate::view::search::MAX_RESULTS))
    }

    /// Up to `count` of the story's events from the `first`.
    pub fn events(&self, first: u32, count: u32) -> Result<JsValue, JsError> {
        to_js(&self.app.event_views(first as usize, count as usize))
    }

    /// Sets the canvases' CSS sizes and the device pixel ratio; returns the CSS height the
    /// time axis wants. The drawing buffers are sized in device pixels for crisp lines.
    pub fn resize(
        &mut self,
        network_width: f64,
        network_height: f64,
        timeline_width: f64,
        device_pixel_ratio: f64,
    ) -> f64 {
        let dpr = if device_pixel_ratio.is_finite() && device_pixel_ratio > 0.0 {
            device_pixel_ratio
        } else {
            1.0
        };
        self.device_pixel_ratio = dpr;
        let timeline_height = self
            .app
            .resize(network_width, network_height, timeline_width);
        let px = |css: f64| (css.max(0.0) * dpr).round() as u32;
        self.network.set_width(px(network_width));
        self.network.set_height(px(network_height));
        self.timeline.set_width(px(timeline_width));
        self.timeline.set_height(px(timeline_height));
        self.timeline_height = timeline_height;
        self.timeline_refit = false;
        self.size_layers();
        #[cfg(feature = "full")]
        self.make_contexts();
        self.repaints.mark_both();
        timeline_height
    }

    /// Puts the pointer's and the keyboard's rings on their own transparent canvases, laid
    /// by the page exactly over the network and the time axis, so that a hover or a keyboard
    /// move repaints a few rings instead of the picture.
    #[wasm_bindgen(js_name = setLayers)]
    pub fn set_layers(&mut self, network: HtmlCanvasElement, timeline: HtmlCanvasElement) {
        self.layers = Some((network, timeline));
        self.size_layers();
        #[cfg(feature = "full")]
        self.make_contexts();
        // The rings leave the pictures for the layers.
        self.repaints.mark_both();
    }

    /// Makes each canvas's 2D context when it is sized, before anything is painted: the
    /// first `getContext` of a canvas took 5–6 ms, which a big story's first pictures'
    /// frames paid (the full build's; a small story's frames have room for it).
    #[cfg(feature = "full")]
    fn make_contexts(&self) {
        let layers = self.layers.iter().flat_map(|(n, t)| [n, t]);
        for canvas in [&self.network, &self.timeline].into_iter().chain(layers) {
            // A canvas without one is reported when it is painted.
            let _ = canvas.get_context("2d");
        }
    }

    /// Each layer's drawing buffer is its canvas's.
    fn size_layers(&self) {
        if let Some((network, timeline)) = &self.layers {
            for (layer, under) in [(network, &self.network), (timeline, &self.timeline)] {
                layer.set_width(under.width());
                layer.set_height(under.height());
            }
        }
    }

    /// Steps the layout within a time budget and repaints what changed. Returns true while
    /// it wants another frame.
    pub fn frame(&mut self, now_ms: f64) -> Result<bool, JsError> {
        // A big story's communities (Louvain over every tie: a few hundred ms at W4) are
        // found in a frame of their own once both canvases were first painted, so the start
        // is not held up; the network draws every actor until then.
        if !self.repaints.first_pictures() && self.app.communities_due() {
            self.app.find_communities();
            self.repaints.mark(Target::Network);
            return Ok(true);
        }
        // Then, in frames of their own too, the time axis takes a lane per community.
        if self.app.community_lanes_due() {
            if self
                .app
                .place_community_lanes_for(&mut time_up_after(LAYOUT_BUDGET_MS))
            {
                self.timeline_refit = true;
                self.repaints.mark(Target::Timeline);
            }
            return Ok(true);
        }
        // Playback moves the window on the frame clock.
        let seen = self.app.seen();
        let playing = self.app.advance_playback(now_ms);
        // The glide into a step, on the same clock.
        let gliding = self.app.advance_motion(now_ms);
        self.repaints
            .follow(&seen, &self.app.seen(), self.layers.is_some());
        // A wheel's or a pinch's gesture waits for a pause in its steps, then draws the ties
        // for where the network is.
        let gesture = self.app.settle_gesture(now_ms);
        if gesture == Some(GestureRest::Ended { network: true }) {
            self.repaints.mark(Target::Network);
        }
        if self.app.layout_running() || self.app.sizing() {
            let mut time_up = time_up_after(LAYOUT_BUDGET_MS);
            if self.app.step_layout_for(&mut time_up) > 0 {
                self.repaints.mark(Target::Network);
            }
            // A big story's betweenness, counted in what is left of the frame's budget.
            if self.app.step_sizes_for(&mut time_up) {
                self.repaints.mark(Target::Network);
            }
        }
        let big = self.app.big_story();
        let apart = big || self.repaints.first_pictures();
        let mut more = false;
        while let Some(on) = self.repaints.take_next() {
            // A big story finds what a paint needs (`draw::prepare`) in one frame and paints
            // in the next: each alone, with the input before it or the browser's raster
            // after it, fits in one frame's time. Not the network's while the layout moves,
            // nor twice in a row (a drag): every frame would find them again, and none would
            // paint. Except its first paint: the ties it chooses then (one pass over every
            // tie) hold while the moving network stays on its canvas. The time axis's plan
            // does not follow the layout, so it is found apart even then. (Each first paint,
            // with the layout's worker at work, was a task of 60–80 ms at W3 and W4.)
            if big
                && (on == Target::Timeline
                    || !self.app.layout_running()
                    || !self.repaints.ever_painted(on))
                && self.repaints.may_prepare_apart(on)
                && self.app.prepare(on)
            {
                // The raster's code compiled a frame ahead of the network's first picture,
                // which would otherwise compile it (`raster::warm_up`).
                #[cfg(feature = "full")]
                if on == Target::Network && !self.repaints.ever_painted(on) {
                    crate::draw::raster::warm_up();
                }
                self.repaints.put_back(on);
                more = true;
                break;
            }
            if on == Target::Timeline && std::mem::take(&mut self.timeline_refit) {
                self.fit_timeline_canvas();
            }
            let (canvas, what, draw, marks): (_, _, Draw, Draw) = match on {
                Target::Network => (&self.network, "network", draw_network, draw_network_marks),
                Target::Timeline => (
                    &self.timeline,
                    "timeline",
                    draw_timeline,
                    draw_timeline_marks,
                ),
            };
            self.paint(canvas, what, draw, false)?;
            self.repaints.painted(on);
            if self.layers.is_none() {
                self.paint(canvas, what, marks, false)?;
            }
            // A big story paints one canvas per frame: with the browser's raster of each
            // after it, and the input that changed them, two would make one long task. So
            // does any story's start (`first_pictures`).
            if apart && self.repaints.leave_for_next_frame() {
                more = true;
                break;
            }
        }
        if let Some((network, timeline)) = &self.layers {
            if self.repaints.take_layer(Target::Network) {
                self.paint(network, "network layer", draw_network_marks, true)?;
            }
            if self.repaints.take_layer(Target::Timeline) {
                self.paint(timeline, "timeline layer", draw_timeline_marks, true)?;
            }
        }
        Ok(more
            || playing
            || gliding
            || gesture == Some(GestureRest::Waiting)
            || self.app.layout_running()
            || self.app.sizing())
    }

    /// The CSS height the time axis's canvas is sized for: what `resize` returned, unless
    /// its lanes changed since (a big story's communities, found after the first pictures,
    /// take the lanes). The page sets the canvas's CSS height to it after each frame.
    #[wasm_bindgen(js_name = timelineHeight)]
    pub fn timeline_height(&self) -> f64 {
        self.timeline_height
    }

    /// Sizes the time axis's drawing buffer (and its layer's) for the height its lanes
    /// want, just before it is painted, so it is never shown cleared.
    fn fit_timeline_canvas(&mut self) {
        let height = self.app.timeline_height().max(0.0);
        let want = (height * self.device_pixel_ratio).round() as u32;
        if self.timeline.width() > 0 && self.timeline.height() != want {
            self.timeline.set_height(want);
            self.timeline_height = height;
            self.size_layers();
            self.repaints.mark_layer(Target::Timeline);
        }
    }

    /// Whether a picture is still to be painted in a coming frame (`Repaints::pending`): the
    /// page builds a big story's lists, and swaps out a stand-in, after the last.
    #[wasm_bindgen(js_name = picturesPending)]
    pub fn pictures_pending(&self) -> bool {
        self.repaints.pending(self.app.layout_running())
    }

    /// Paints one view onto its canvas (cleared first if `clear`, for a layer); the batched
    /// backend paints what is left when dropped.
    fn paint(
        &self,
        canvas: &HtmlCanvasElement,
        what: &str,
        draw: Draw,
        clear: bool,
    ) -> Result<(), JsError> {
        let mut backend = BatchedCanvas::new(canvas.clone())
            .ok_or_else(|| JsError::new(&format!("the {what} canvas has no 2D context")))?;
        if clear {
            backend.clear();
        }
        draw(
            &self.app.frame(),
            &mut Pen::new(&mut backend, self.device_pixel_ratio),
        )
        .map_err(|e| JsError::new(&e.to_string()))
    }

    fn repaint_if(&mut self, changed: bool) {
        if changed {
            self.repaints.mark_both();
        }
    }

    fn track(&mut self, f: impl FnOnce(&mut App) -> Result<(), String>) -> Result<(), JsError> {
        let before = self.app.version();
        f(&mut self.app).map_err(|e| JsError::new(&e))?;
        let changed = self.app.version() != before;
        self.repaint_if(changed);
        Ok(())
    }

    /// Selects exactly these actors (ids); throws on an unknown id.
    pub fn select(&mut self, ids: Vec<String>) -> Result<(), JsError> {
        self.track(|app| app.select(&ids))
    }

    /// Adds the actor to the selection, or takes it out (an actor's button).
    #[wasm_bindgen(js_name = toggleActor)]
    pub fn toggle_actor(&mut self, id: &str) -> Result<(), JsError> {
        self.track(|app| {
            let a = app
                .actor_id(id)
                .ok_or_else(|| format!("there is no actor with id \"{id}\""))?;
            app.toggle_actor(a, true);
            Ok(())
        })
    }

    pub fn clear(&mut self) -> Result<(), JsError> {
        self.track(|app| {
            app.clear();
            Ok(())
        })
    }

    #[wasm_bindgen(js_name = focusEvent)]
    pub fn focus_event(&mut self, id: Option<String>) -> Result<(), JsError> {
        self.track(|app| app.focus_event(id.as_deref()))
    }

    /// Limits what is shown to a time window (ISO dates, inclusive); nulls clear it.
    #[wasm_bindgen(js_name = setTimeWindow)]
    pub fn set_time_window(
        &mut self,
        start: Option<String>,
        end: Option<String>,
    ) -> Result<(), JsError> {
        self.track(|app| app.set_time_window(start.as_deref(), end.as_deref()))
    }

    pub fn state(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.state())
    }

    /// `state()` with `visibleEventCount` and `visibleActorCount` in place of the lists:
    /// what the page reads after every change, whatever the story's size.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.summary())
    }

    /// `{ events, actors }`: whether the page lists them a page at a time (a big story).
    #[wasm_bindgen(js_name = listPages)]
    pub fn list_pages(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.list_pages())
    }

    /// Up to `limit` visible event ids in time order (around the focused event if it lies
    /// further on): `{ ids, before, after }`, the counts of those left out on each side.
    #[wasm_bindgen(js_name = listedEvents)]
    pub fn listed_events(&self, limit: u32) -> Result<JsValue, JsError> {
        to_js(&self.app.listed_events(limit as usize))
    }

    /// The visible events' positions in `story().events`, ascending: numbers, not strings,
    /// so the page can keep every change's list at the cost of a copy.
    #[wasm_bindgen(js_name = visibleEventIndices)]
    pub fn visible_event_indices(&self) -> Vec<u32> {
        let d = &self.app.derived;
        (0..d.visible_event_count())
            .filter_map(|k| d.nth_visible(k))
            .map(|e| e as u32)
            .collect()
    }

    /// The visible actors' positions in `story().actors`, ascending.
    #[wasm_bindgen(js_name = visibleActorIndices)]
    pub fn visible_actor_indices(&self) -> Vec<u32> {
        let visible = &self.app.derived.visible_actors;
        (0..visible.len())
            .filter(|&a| visible[a])
            .map(|a| a as u32)
            .collect()
    }

    /// Up to `limit` actor ids: the selected ones, then the visible ones with most events.
    #[wasm_bindgen(js_name = listedActors)]
    pub fn listed_actors(&self, limit: u32) -> Vec<String> {
        self.app.listed_actors(limit as usize)
    }

    /// Where an actor is drawn, CSS px relative to the network canvas, or null.
    #[wasm_bindgen(js_name = actorPosition)]
    pub fn actor_position(&self, id: &str) -> Result<JsValue, JsError> {
        match self.app.actor_position(id) {
            Some((x, y)) => to_js(&Point { x, y }),
            None => Ok(JsValue::NULL),
        }
    }

    /// Collapses a group into one mark on the network, or expands it again; throws on an
    /// unknown id.
    #[wasm_bindgen(js_name = collapseGroup)]
    pub fn collapse_group(&mut self, id: &str, collapse: bool) -> Result<(), JsError> {
        self.track(|app| app.collapse_group(id, collapse))
    }

    /// `[x, y, r, members]`: a collapsed group's mark on the network canvas (CSS px) and its
    /// members shown, or nothing when the group is drawn as its actors. Numbers rather than an
    /// object: no serializer in the first download for it.
    #[wasm_bindgen(js_name = groupMark)]
    pub fn group_mark(&self, id: &str) -> Option<Vec<f64>> {
        let m = self.app.group_mark(id)?;
        Some(vec![m.x, m.y, m.r, f64::from(m.members)])
    }

    /// "all" or "any" of the selected actors.
    #[wasm_bindgen(js_name = setMode)]
    pub fn set_mode(&mut self, mode: &str) -> Result<(), JsError> {
        let mode = crate::view::app::Mode::parse(mode)
            .ok_or_else(|| JsError::new(&format!("unknown mode \"{mode}\"")))?;
        self.track(|app| {
            app.set_mode(mode);
            Ok(())
        })
    }

    /// What the network's node sizes show: "events" (in the whole story), or on the time
    /// window "ties" (how many others an actor met) or "betweenness" (how often it lies
    /// between two others).
    #[wasm_bindgen(js_name = setSize)]
    pub fn set_size(&mut self, size: &str) -> Result<(), JsError> {
        let size = crate::story::measures::Measure::parse(size)
            .ok_or_else(|| JsError::new(&format!("unknown size \"{size}\"")))?;
        self.track(|app| {
            app.set_size(size);
            Ok(())
        })
    }

    /// Selects every actor of a group (in "any" mode).
    #[wasm_bindgen(js_name = selectGroup)]
    pub fn select_group(&mut self, id: &str) -> Result<(), JsError> {
        self.track(|app| app.select_group(id))
    }

    /// The actor or event keyboard navigation rests on, with a label to announce; or null.
    #[wasm_bindgen(js_name = keyboardItem)]
    pub fn keyboard_item(&self) -> Result<JsValue, JsError> {
        match self.app.keyboard_item() {
            Some(item) => to_js(&item),
            None => Ok(JsValue::NULL),
        }
    }

    /// "light" or "dark" colours for the canvases.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, theme: &str) -> Result<(), JsError> {
        self.app.reader.dark = match theme {
            "dark" => true,
            "light" => false,
            other => return Err(JsError::new(&format!("unknown theme \"{other}\""))),
        };
        self.repaint_if(true);
        Ok(())
    }

    /// The story's steps: `[{ title, text, sources: [{ name, quote, url }] }]`.
    pub fn steps(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.step_items())
    }

    /// Goes to step `n` (from 1): its view, with the pictures gliding there when `glide`
    /// (whole at once with less motion). Throws on a step the story does not have.
    #[wasm_bindgen(js_name = goToStep)]
    pub fn go_to_step(&mut self, n: u32, glide: bool) -> Result<(), JsError> {
        self.app
            .go_to_step(n as usize, glide)
            .map_err(|e| JsError::new(&e))?;
        self.repaint_if(true);
        Ok(())
    }

    /// The zoom of both views, for the page's URL: `{ timeView, camera }`.
    pub fn view(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.view_state())
    }

    /// Restores a view from `view()`; missing parts go back to the whole picture.
    #[wasm_bindgen(js_name = setView)]
    pub fn set_view(&mut self, view: JsValue) -> Result<(), JsError> {
        let text = js_sys::JSON::stringify(&view)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| JsError::new("view: expected an object"))?;
        let view: crate::view::interact::ViewState =
            serde_json::from_str(&text).map_err(|e| JsError::new(&format!("view: {e}")))?;
        self.app.set_view(&view).map_err(|e| JsError::new(&e))?;
        self.repaint_if(true);
        Ok(())
    }

    /// Where an event is drawn, CSS px relative to the time-axis canvas, or null.
    #[wasm_bindgen(js_name = eventPosition)]
    pub fn event_position(&self, id: &str) -> Result<JsValue, JsError> {
        match self.app.event_position(id) {
            Some((x, y)) => to_js(&Point { x, y }),
            None => Ok(JsValue::NULL),
        }
    }

    /// How far the layout has settled, 0 to 1 (1 once it is still): for a progress bar.
    #[wasm_bindgen(js_name = layoutProgress)]
    pub fn layout_progress(&self) -> f64 {
        self.app.layout_progress()
    }

    /// Hands a big story's layout to the page's worker when the viewer's rules say so
    /// (`App::lay_out_elsewhere`): the graph for the full build's `LayoutRun.fromGraph`, or
    /// nothing. Until then `frame` does not step the layout. Only in the full build, with
    /// which the page opens a big story (`shell/wasm.js`).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = sendLayout)]
    pub fn send_layout(&mut self) -> Option<Vec<f64>> {
        self.app.lay_out_elsewhere()
    }

    /// How many of `sendLayout`'s links are the story's ties, when the worker is to find a big
    /// story's communities over them (`LayoutRun.communitiesOf`, then `setCommunities`); 0
    /// when the page finds them itself.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = communitiesElsewhere)]
    pub fn communities_elsewhere(&self) -> u32 {
        self.app.communities_elsewhere() as u32
    }

    /// Takes the communities the worker found (`LayoutRun.communitiesOf`): the overview is
    /// drawn with them, and the page does not find them again. False when they do not fit
    /// (the page then finds them itself).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = setCommunities)]
    pub fn set_communities(&mut self, of: &[u32]) -> bool {
        let taken = self.app.take_communities(of);
        self.repaints.mark(Target::Network);
        taken
    }

    /// Places the nodes where the worker's `LayoutRun.state()` has them. False once the viewer
    /// no longer takes its states (at rest, or the reader dragged a node): the worker can
    /// stop. A state that does not fit (an empty one, when the worker failed) hands the
    /// layout back to `frame`, from the last state taken.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = setLayoutPositions)]
    pub fn set_layout_positions(&mut self, state: &[f64]) -> bool {
        self.repaints.mark(Target::Network);
        self.app.follow_layout(state)
    }

    /// Runs the layout for up to `max_ms` without painting; true once it is at rest. For
    /// benchmarks, so a timed redraw is only a redraw (`frame()` also steps a running layout).
    #[wasm_bindgen(js_name = settleLayout)]
    pub fn settle_layout(&mut self, max_ms: f64) -> bool {
        let performance = web_sys::window().and_then(|w| w.performance());
        let started = performance.as_ref().map_or(0.0, |p| p.now());
        while self.app.layout_running() {
            self.app.step_layout(1);
            self.repaints.mark(Target::Network);
            // Without a clock, one step per call.
            let elapsed = performance.as_ref().map_or(max_ms, |p| p.now() - started);
            if elapsed >= max_ms {
                break;
            }
        }
        !self.app.layout_running()
    }

    /// Increases whenever the selection, the time window or the focus changes.
    pub fn version(&self) -> f64 {
        self.app.version() as f64
    }

    /// Draws the picture as shown, the network above the time axis, on `canvas` (sized to fit)
    /// at `ratio` device px per CSS px: the page's PNG download, sharper than the screen.
    #[wasm_bindgen(js_name = drawPicture)]
    pub fn draw_picture(&self, canvas: HtmlCanvasElement, ratio: f64) -> Result<(), JsError> {
        let ratio = if ratio.is_finite() && ratio > 0.0 {
            ratio
        } else {
            1.0
        };
        let (width, height) = crate::render::picture_size(&self.app);
        canvas.set_width((width * ratio).ceil() as u32);
        canvas.set_height((height * ratio).ceil() as u32);
        let mut backend = BatchedCanvas::new(canvas)
            .ok_or_else(|| JsError::new("the picture's canvas has no 2D context"))?;
        crate::render::draw_picture(&self.app, &mut backend, ratio, false)
            .map_err(|e| JsError::new(&e))
    }

    /// Where the network's nodes are (see [`App::placement`]): the full build's `setPlacement`
    /// takes it to make the SVG download of the picture this viewer shows.
    pub fn placement(&self) -> Vec<f64> {
        self.app.placement()
    }
}

/// The reader's input, playback and the legend: each a thin translation onto `view/input.rs`,
/// `view/playback.rs` and `view/legend.rs`, where their rules are.
#[wasm_bindgen]
impl Viewer {
    /// One of the reader's inputs (`view::input::Input`): a canvas's pointer, wheel and
    /// keys, and the zoom, pan and fit of the buttons and the handle, as a flat object, e.g.
    /// `{ kind: "pointerDown", on: "network", pointer, device, x, y, timeMs }`. Returns what
    /// the page is to show (`Outcome`: the tooltip, the cursor, when to send a `tick`).
    /// Throws on an unknown kind, canvas or field, or a field missing or of the wrong type.
    pub fn input(&mut self, input: JsValue) -> Result<JsValue, JsError> {
        let text = js_sys::JSON::stringify(&input)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| JsError::new("input: expected an object"))?;
        let input = crate::view::input::Input::from_json(&text)
            .map_err(|e| JsError::new(&format!("input: {e}")))?;
        let seen = self.app.seen();
        let outcome = self.app.input(input);
        self.repaints
            .follow(&seen, &self.app.seen(), self.layers.is_some());
        if let Some(on) = outcome.acting_on {
            self.repaints.acting_on(on);
        }
        to_js(&outcome)
    }

    /// Whether a wheel's or a pinch's steps are still coming: the page records the view once
    /// they have paused.
    pub fn gesturing(&self) -> bool {
        self.app.gesturing()
    }

    /// Starts playback (`frame` moves it on); false if the story has no span in time or it
    /// plays already.
    pub fn play(&mut self) -> bool {
        let before = self.app.version();
        let started = self.app.play();
        self.repaint_if(self.app.version() != before);
        started
    }

    /// Pauses playback; false if it was not playing.
    pub fn pause(&mut self) -> bool {
        self.app.pause()
    }

    /// "slow", "normal" or "fast".
    #[wasm_bindgen(js_name = setPlaybackSpeed)]
    pub fn set_playback_speed(&mut self, speed: &str) -> Result<(), JsError> {
        self.app.reader.playback.speed = crate::view::playback::Speed::parse(speed)
            .ok_or_else(|| JsError::new(&format!("unknown speed \"{speed}\"")))?;
        Ok(())
    }

    /// The reader prefers less motion: playback steps a whole window at a time.
    #[wasm_bindgen(js_name = setReducedMotion)]
    pub fn set_reduced_motion(&mut self, reduce: bool) {
        self.app.reader.playback.reduced_motion = reduce;
    }

    /// `{ available, playing, label, wakeInMs }`: the play button, and when to wake the frame
    /// loop for the next step with less motion.
    pub fn playback(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.playback_view())
    }

    /// Each group's icon for the legend: `[{ group, size, fill, circle, points }]`, the
    /// node as the network draws it.
    pub fn legend(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.legend())
    }
}

/// What only the wasm boundary needs of a viewer, apart from its exported methods.
impl Viewer {
    /// A viewer of what a reader loaded; when nothing could be read, the problems as one
    /// error, a line each.
    #[cfg(feature = "full")]
    fn opened(
        network: HtmlCanvasElement,
        timeline: HtmlCanvasElement,
        loaded: Result<crate::read::load::Loaded, Vec<crate::read::load::Diagnostic>>,
    ) -> Result<Viewer, JsError> {
        let loaded = loaded.map_err(|diagnostics| {
            let lines: Vec<String> = diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.location, d.message))
                .collect();
            JsError::new(&lines.join("\n"))
        })?;
        let app = App::new(loaded.story, loaded.diagnostics);
        Ok(Viewer::with_app(network, timeline, app))
    }

    fn with_app(network: HtmlCanvasElement, timeline: HtmlCanvasElement, mut app: App) -> Viewer {
        // A big story's communities are found in a frame of their own after the first
        // pictures, not while it mounts.
        app.defer_communities(true);
        Viewer {
            app,
            network,
            timeline,
            device_pixel_ratio: 1.0,
            repaints: Repaints::default(),
            layers: None,
            timeline_height: 0.0,
            timeline_refit: false,
        }
    }
}

/// A story read, checked and made ready in parts (both builds: the page opens a big story with
/// the full one, for its overview and layout): the page calls
/// `work` between paints until it says all is done, showing `progress()`, then
/// `Viewer.fromReading`. A big story is then never one long task of reading (`read::parts`)
/// or of building what the viewer keeps (`view::fixed::Fixing`).
#[wasm_bindgen]
pub struct StoryReading {
    stage: Opening,
}

/// Where a `StoryReading` is.
enum Opening {
    Reading(Box<crate::read::parts::Reading>),
    /// All read; the events are sorted and the steps checked next.
    Read(Box<crate::read::parts::Reading>),
    Fixing(Box<crate::view::fixed::Fixing>),
    Fixed(Box<crate::view::fixed::Fixed>),
    Laid(Box<(crate::view::fixed::Fixed, crate::place::layout::Layout)>),
    Ready(Box<App>),
    Taken,
}

#[wasm_bindgen]
impl StoryReading {
    /// Scans the text's top level. Fails when it is not a clean Castline JSON story: the
    /// page then loads the full build, which says why. Not exported: the page hands the
    /// story over as bytes ([`StoryReading::from_bytes`]).
    fn open(text: String, name: Option<String>) -> Result<StoryReading, JsError> {
        let name = name.filter(|n| !n.trim().is_empty());
        let reading = crate::read::parts::Reading::new(name.as_deref().unwrap_or("data"), text)
            .map_err(refused)?;
        Ok(StoryReading {
            stage: Opening::Reading(Box::new(reading)),
        })
    }

    /// The same from the text's UTF-8 bytes (`TextEncoder`'s): wasm-bindgen hands a long
    /// string over a character at a time while it is ASCII (177 ms for W4's 23.6 MB), bytes
    /// in one copy. Throws on bytes that are not UTF-8.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: Vec<u8>, name: Option<String>) -> Result<StoryReading, JsError> {
        let text = String::from_utf8(bytes)
            .map_err(|e| JsError::new(&format!("the story is not UTF-8 text: {e}")))?;
        StoryReading::open(text, name)
    }

    /// Works for about `ms` milliseconds (a part past its reading may take longer: each is
    /// one step); true when all is done. Throws as `fromBytes` does, or when the story has
    /// anything to report.
    pub fn work(&mut self, ms: f64) -> Result<bool, JsError> {
        let mut time_up = time_up_after(ms);
        loop {
            self.stage = match std::mem::replace(&mut self.stage, Opening::Taken) {
                Opening::Reading(mut reading) => {
                    let done = reading.work(&mut time_up).map_err(refused)?;
                    if !done {
                        self.stage = Opening::Reading(reading);
                        return Ok(false);
                    }
                    Opening::Read(reading)
                }
                Opening::Read(reading) => {
                    let loaded = reading.finish().and_then(clean).map_err(refused)?;
                    let fixing = crate::view::fixed::Fixing::new(loaded.story, loaded.diagnostics);
                    Opening::Fixing(Box::new(fixing))
                }
                Opening::Fixing(mut fixing) => {
                    if fixing.step() {
                        Opening::Fixing(fixing)
                    } else {
                        Opening::Fixed(Box::new(fixing.finish()))
                    }
                }
                Opening::Fixed(fixed) => {
                    let layout = fixed.layout();
                    Opening::Laid(Box::new((*fixed, layout)))
                }
                Opening::Laid(laid) => {
                    let (fixed, layout) = *laid;
                    Opening::Ready(Box::new(App::from_layout(fixed, layout)))
                }
                done @ (Opening::Ready(_) | Opening::Taken) => {
                    self.stage = done;
                    return Ok(true);
                }
            };
            if time_up() {
                return Ok(false);
            }
        }
    }

    /// How much is done, 0 to 1: reading is most of it. NaN while a download of unknown
    /// length comes (`streaming` with no `expected`, or more than it came).
    pub fn progress(&self) -> f64 {
        match &self.stage {
            Opening::Reading(r) => 0.8 * r.progress(),
            Opening::Read(_) => 0.8,
            Opening::Fixing(f) => 0.85 + 0.1 * f.progress(),
            Opening::Fixed(_) => 0.95,
            Opening::Laid(_) => 0.97,
            Opening::Ready(_) | Opening::Taken => 1.0,
        }
    }
}

/// A big story read while it downloads (the full build opens big stories).
#[cfg(feature = "full")]
#[wasm_bindgen]
impl StoryReading {
    /// A reading of bytes still to come: `push` each part as it comes and `work` between
    /// them (false, with `hungry()` true, when it waits for more), then `end` after the last
    /// and `work` until done. `expected` is the download's length if known, else 0.
    pub fn streaming(name: Option<String>, expected: f64) -> StoryReading {
        let name = name.filter(|n| !n.trim().is_empty());
        let expected = if expected.is_finite() && expected > 0.0 {
            expected as usize
        } else {
            0
        };
        let reading =
            crate::read::parts::Reading::streaming(name.as_deref().unwrap_or("data"), expected);
        StoryReading {
            stage: Opening::Reading(Box::new(reading)),
        }
    }

    /// The next part of the story's UTF-8 bytes (it may end inside a character). Throws when
    /// they are not clean so far (not UTF-8, too big), or when the reading is past them.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        match &mut self.stage {
            Opening::Reading(reading) => reading.push(bytes).map_err(refused),
            _ => Err(JsError::new("the story has been read already")),
        }
    }

    /// All the bytes have come. Throws when they end inside a character.
    pub fn end(&mut self) -> Result<(), JsError> {
        match &mut self.stage {
            Opening::Reading(reading) => reading.end().map_err(refused),
            _ => Ok(()),
        }
    }

    /// Whether `work` stopped for want of bytes: `push` the next part (or `end`).
    pub fn hungry(&self) -> bool {
        matches!(&self.stage, Opening::Reading(r) if r.hungry())
    }
}

#[wasm_bindgen]
impl Viewer {
    /// The viewer of a story made ready in parts (`StoryReading`, which it takes).
    #[wasm_bindgen(js_name = fromReading)]
    pub fn from_reading(
        network: HtmlCanvasElement,
        timeline: HtmlCanvasElement,
        reading: &mut StoryReading,
    ) -> Result<Viewer, JsError> {
        while !reading.work(f64::INFINITY)? {}
        match std::mem::replace(&mut reading.stage, Opening::Taken) {
            Opening::Ready(app) => Ok(Viewer::with_app(network, timeline, *app)),
            _ => Err(JsError::new(
                "this story has been given to a viewer already",
            )),
        }
    }
}

/// A story with nothing to report, or its diagnostics: the first build shows only the first.
fn clean(
    loaded: crate::read::load::Loaded,
) -> Result<crate::read::load::Loaded, Vec<crate::read::load::Diagnostic>> {
    if loaded.diagnostics.is_empty() {
        Ok(loaded)
    } else {
        Err(loaded.diagnostics)
    }
}

/// The refusal's diagnostics as the error the page sees.
fn refused(diagnostics: Vec<crate::read::load::Diagnostic>) -> JsError {
    let lines: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.location, d.message))
        .collect();
    JsError::new(&lines.join("\n"))
}

/// The SVG, JSON and CSV downloads, only in the full build: they cost the first download 18 KB
/// of gzip (issue 6). The page reads the same text into a full viewer off screen to make
/// them, giving it the sizes, colours, selection, view and `placement()` of the one shown.
#[cfg(feature = "full")]
#[wasm_bindgen]
impl Viewer {
    /// Puts the nodes where another viewer of the same story has them (its `placement()`).
    #[wasm_bindgen(js_name = setPlacement)]
    pub fn set_placement(&mut self, placement: Vec<f64>) -> Result<(), JsError> {
        self.app
            .set_placement(&placement)
            .map_err(|e| JsError::new(&e))?;
        // The SVG download is drawn at once: its overview's communities too.
        if self.app.communities_due() {
            self.app.find_communities();
        }
        if self.app.community_lanes_due() {
            self.app.place_timeline();
        }
        self.repaint_if(true);
        Ok(())
    }

    /// The picture as shown, as an SVG document (the same drawing as the canvases).
    pub fn svg(&self) -> Result<String, JsError> {
        crate::render::svg_as_shown(&self.app).map_err(|e| JsError::new(&e))
    }

    /// Loads a story from several files read together, as `castline publish` reads them (a
    /// spreadsheet's events, actors and relations sheets): `texts[i]` is the file `names[i]`.
    #[wasm_bindgen(js_name = fromFiles)]
    pub fn from_files(
        network: HtmlCanvasElement,
        timeline: HtmlCanvasElement,
        names: Vec<String>,
        texts: Vec<String>,
    ) -> Result<Viewer, JsError> {
        if names.len() != texts.len() {
            return Err(JsError::new("fromFiles needs one name for each text"));
        }
        let files: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().map(String::as_str))
            .collect();
        Viewer::opened(network, timeline, crate::read::detect::load_files(&files))
    }

    /// The story as Castline JSON, whatever format it was read from.
    #[wasm_bindgen(js_name = castlineJson)]
    pub fn castline_json(&self) -> Result<String, JsError> {
        crate::write::json::to_json(self.app.story()).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The events as a Castline CSV events sheet.
    #[wasm_bindgen(js_name = eventsCsv)]
    pub fn events_csv(&self) -> String {
        crate::write::csv::events_csv(self.app.story())
    }
}

/// Benchmarks only, so the page's first download does not carry a third copy of the drawing.
#[cfg(feature = "full")]
#[wasm_bindgen]
impl Viewer {
    /// The scene both canvases show now, recorded instead of painted (see [`crate::draw::record`]):
    /// `{ network, timeline }`, each `{ width, height, shapes, texts }` in device px, for the
    /// benchmark's hand-batched reference. Same calls as `frame()`, through a recorder.
    #[wasm_bindgen(js_name = recordScene)]
    pub fn record_scene(&self) -> Result<JsValue, JsError> {
        use crate::draw::record::Recorder;
        let mut network = Recorder::new(self.network.width(), self.network.height());
        draw_network(
            &self.app.frame(),
            &mut Pen::new(&mut network, self.device_pixel_ratio),
        )
        .map_err(|e| JsError::new(&e.to_string()))?;
        let mut timeline = Recorder::new(self.timeline.width(), self.timeline.height());
        draw_timeline(
            &self.app.frame(),
            &mut Pen::new(&mut timeline, self.device_pixel_ratio),
        )
        .map_err(|e| JsError::new(&e.to_string()))?;
        let scene = js_sys::Object::new();
        set(&scene, "network", &recorded_to_js(&network)?)?;
        set(&scene, "timeline", &recorded_to_js(&timeline)?)?;
        Ok(scene.into())
    }
}

/// The force layout alone, for benchmarks against other layout libraries on the same graph.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub struct LayoutRun {
    layout: crate::place::layout::Layout,
}

#[cfg(feature = "full")]
#[wasm_bindgen]
impl LayoutRun {
    /// `edges` holds node index pairs `[a0, b0, a1, b1, …]`; `radius` is every node's radius.
    #[wasm_bindgen(constructor)]
    pub fn new(node_count: u32, edges: Vec<u32>, radius: f64) -> LayoutRun {
        let n = node_count as usize;
        let links = edges
            .chunks_exact(2)
            .filter(|p| (p[0] as usize) < n && (p[1] as usize) < n && p[0] != p[1])
            .map(|p| crate::place::layout::Link {
                a: p[0] as usize,
                b: p[1] as usize,
                distance: 70.0,
                weight: 1.0,
            })
            .collect();
        LayoutRun {
            layout: crate::place::layout::Layout::new(vec![radius; n], links),
        }
    }

    /// The same graph laid out coarse to fine when it is big, as the viewer lays out a story
    /// without stored positions (`place::multilevel`).
    pub fn multilevel(node_count: u32, edges: Vec<u32>, radius: f64) -> LayoutRun {
        let plain = LayoutRun::new(node_count, edges, radius);
        let links = plain.layout.links().to_vec();
        LayoutRun {
            layout: crate::place::multilevel::layout(vec![radius; plain.layout.len()], links),
        }
    }

    /// The viewer's own layout of its network (`Viewer.sendLayout`): coarse to fine, tick for
    /// tick as the viewer would run it. Throws on numbers that are not a graph.
    #[wasm_bindgen(js_name = fromGraph)]
    pub fn from_graph(graph: &[f64]) -> Result<LayoutRun, JsError> {
        let (radius, links) = crate::place::layout::Layout::graph_parts(graph)
            .ok_or_else(|| JsError::new("fromGraph: not a layout's graph"))?;
        Ok(LayoutRun {
            layout: crate::place::multilevel::layout(radius, links),
        })
    }

    /// The communities of a graph as `Viewer.sendLayout` gives it, over its first `ties` links
    /// (`Viewer.communitiesElsewhere`): each node's, for `Viewer.setCommunities`. Throws on
    /// numbers that are not a graph.
    #[wasm_bindgen(js_name = communitiesOf)]
    pub fn communities_of(graph: &[f64], ties: u32) -> Result<Vec<u32>, JsError> {
        crate::place::overview::partition_of_layout_graph(graph, ties as usize)
            .ok_or_else(|| JsError::new("communitiesOf: not a layout's graph"))
    }

    /// Runs the layout, in pieces, for about `ms` milliseconds of the clock (a worker has no
    /// window, so `Date`); true once it is at rest.
    pub fn work(&mut self, ms: f64) -> bool {
        let started = js_sys::Date::now();
        self.layout
            .work(&mut || js_sys::Date::now() - started >= ms);
        !self.layout.running()
    }

    /// Where the nodes are and how hot the layout is, for `Viewer.setLayoutPositions`
    /// (`Layout::state`).
    pub fn state(&self) -> Vec<f64> {
        self.layout.state()
    }

    /// Runs `ticks` steps (fewer if the layout cools first).
    pub fn step(&mut self, ticks: u32) {
        self.layout.run(ticks);
    }

    pub fn running(&self) -> bool {
        self.layout.running()
    }

    /// How far the layout has cooled, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.layout.progress()
    }

    /// Positions as `[x0, y0, x1, y1, …]`.
    pub fn positions(&self) -> Vec<f64> {
        self.layout
            .x
            .iter()
            .zip(&self.layout.y)
            .flat_map(|(x, y)| [*x, *y])
            .collect()
    }
}

/// A synthetic story as Castline JSON, the same text for the same seed (see
/// [`crate::write::generate`]): benchmarks and demos load it like any story.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = generateStory)]
pub fn generate_story(actors: u32, events: u32, seed: u32) -> String {
    crate::write::generate::generate(actors as usize, events as usize, u64::from(seed))
}

/// The co-participation graph of [`generate_story`]'s story for the same arguments, as node
/// index pairs `[a0, b0, a1, b1, …]`: what benchmarks hand every layout library.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = generateEdges)]
pub fn generate_edges(actors: u32, events: u32, seed: u32) -> Vec<u32> {
    let story =
        crate::write::generate::synthesize(actors as usize, events as usize, u64::from(seed));
    crate::write::generate::cooccurrence_edges(&story)
}

/// The weighted co-participation ties of [`generate_story`]'s story for the same arguments,
/// as `[a0, b0, weight0, a1, …]`: what the overview benchmark hands every Louvain.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = generateTies)]
pub fn generate_ties(actors: u32, events: u32, seed: u32) -> Vec<u32> {
    let story =
        crate::write::generate::synthesize(actors as usize, events as usize, u64::from(seed));
    let pairs = crate::write::generate::cooccurrence_pairs(&story);
    let mut out: Vec<u32> = Vec::new();
    for p in pairs.chunk_by(|x, y| x == y) {
        out.extend([p[0].0, p[0].1, p.len() as u32]);
    }
    out
}

/// Ties as `[a0, b0, weight0, …]` into the story's edges.
#[cfg(feature = "full")]
fn edges_of(node_count: u32, ties: &[u32]) -> Vec<crate::story::graph::Edge> {
    ties.chunks_exact(3)
        .filter(|t| t[0] < node_count && t[1] < node_count)
        .map(|t| crate::story::graph::Edge {
            a: t[0] as usize,
            b: t[1] as usize,
            weight: t[2],
        })
        .collect()
}

/// Castline's communities (`story::communities::louvain`) of `node_count` nodes over
/// `ties` (`[a, b, weight, …]`): `[modularity, count, community of node 0, …]`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = louvain)]
pub fn louvain(node_count: u32, ties: Vec<u32>) -> Vec<f64> {
    let found =
        crate::story::communities::louvain(node_count as usize, &edges_of(node_count, &ties));
    let mut out = vec![found.modularity, found.count as f64];
    out.extend(found.of.iter().map(|&c| c as f64));
    out
}

/// The modularity of the partition `of` over `ties`, by Castline's count: another library's
/// partition measured the same way.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn modularity(node_count: u32, ties: Vec<u32>, of: Vec<u32>) -> f64 {
    let of: Vec<usize> = of.iter().map(|&c| c as usize).collect();
    if of.len() != node_count as usize {
        return f64::NAN;
    }
    crate::story::communities::modularity(node_count as usize, &edges_of(node_count, &ties), &of)
}

/// A story's network on a `width × height` canvas at fit zoom, drawn through the recorder:
/// `[marks drawn, actors inside them, actors drawn singly, ms to load, ms to place (the
/// communities found) and plan, ms to draw]` (the overview benchmark).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = overviewAtFit)]
pub fn overview_at_fit(text: &str, width: f64, height: f64) -> Result<Vec<f64>, JsError> {
    let t0 = js_sys::Date::now();
    let mut app = App::from_text("story.json", text)
        .map_err(|d| JsError::new(&d.first().map_or(String::new(), |d| d.message.clone())))?;
    let t1 = js_sys::Date::now();
    app.resize(width, height, width);
    app.prepare(Target::Network);
    let t2 = js_sys::Date::now();
    let mut recorder = crate::draw::record::Recorder::new(width as u32, height as u32);
    draw_network(&app.frame(), &mut Pen::new(&mut recorder, 1.0))
        .map_err(|e| JsError::new(&e.to_string()))?;
    let t3 = js_sys::Date::now();
    // Marks are the filled circles in their community's colour at their place.
    let drawn = app.marks.communities.as_ref().map_or(0, |k| {
        app.marks
            .marks
            .iter()
            .filter(|m| {
                let rgb = k.colors[m.community as usize];
                recorder.shapes.iter().any(|g| {
                    g.paint.is_fill()
                        && g.paint.rgb() == (rgb.0, rgb.1, rgb.2)
                        && g.circles.chunks_exact(3).any(|c| {
                            (c[0] - m.x.round()).abs() <= 1.0 && (c[1] - m.y.round()).abs() <= 1.0
                        })
                })
            })
            .count()
    });
    let inside: u32 = app.marks.marks.iter().map(|m| m.members).sum();
    let single = (0..app.story().actors.len())
        .filter(|&a| app.network.on_screen(a))
        .count();
    Ok(vec![
        drawn as f64,
        f64::from(inside),
        single as f64,
        t1 - t0,
        t2 - t1,
        t3 - t2,
    ])
}
