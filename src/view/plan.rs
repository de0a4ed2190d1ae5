//! The paint plan: what the next paints of each canvas draw (the ties chosen, the network's
//! node groups, each lane's marks and density), worked out once per picture and kept between
//! frames while its key, a count of the changes that alter that picture, stays the same.
//! A hover or a theme change repaints the same plan.

use std::rc::Rc;

use crate::place::lod::{LaneMarks, NetworkPaint, TieChoice};
use crate::view::app::App;
use crate::view::state::Target;

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

/// The values kept between frames.
#[derive(Default)]
pub(crate) struct PaintPlan {
    /// The ties and nodes the network draws, once per view and selection.
    paint_cache: Memo<(u64, u64), NetworkPaint>,
    /// The ties drawn, kept apart: with the whole network on the canvas they do not depend on
    /// where it is, so a pan or a layout step that keeps it there draws the same ones.
    tie_cache: Memo<(u64, u64), TieChoice>,
    /// Each lane's visible marks and density, once per placement and selection.
    lane_cache: Memo<(u64, u64), LaneMarks>,
}

/// Counts of changes, one per kind: they key the plan and tell the page what to store and
/// repaint. Each only ever grows.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Changes {
    /// The selection, the window, the focus, or a view (zoom, pan): what the URL stores.
    pub(crate) state: u64,
    /// The selection, the window or the focus alone: both pictures change with it.
    pub(crate) selection: u64,
    /// Where the network's nodes are on screen: placement, camera, filter (not a pan by
    /// 0 px, a hover or a theme).
    pub(crate) network: u64,
    /// Placements of the time axis (size, zoom, pan).
    pub(crate) timeline: u64,
}

impl App {
    /// What the network's next paint draws, from `work_out` when its picture changed since
    /// the last call (a hover or a theme change repaints the same ties and nodes).
    pub(crate) fn network_paint(
        &self,
        work_out: impl FnOnce() -> NetworkPaint,
    ) -> Rc<NetworkPaint> {
        self.plan
            .paint_cache
            .get(self.picture_version(Target::Network), work_out)
    }

    /// The ties to draw, from `choose` when the selection changed since the last call or,
    /// unless the whole network is on the canvas (`all_on_canvas`) now and then or a pan, a
    /// wheel's or a pinch's gesture is under way, the view.
    pub(crate) fn tie_choice(
        &self,
        all_on_canvas: bool,
        choose: impl FnOnce() -> TieChoice,
    ) -> Rc<TieChoice> {
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
            self.changes.network
        };
        self.plan
            .tie_cache
            .get((self.changes.selection, view), choose)
    }

    /// Each lane's visible marks and density strip, from `find` when the time axis was
    /// placed again or the selection changed since the last call.
    pub(crate) fn lane_marks(&self, find: impl FnOnce() -> LaneMarks) -> Rc<LaneMarks> {
        self.plan
            .lane_cache
            .get(self.picture_version(Target::Timeline), find)
    }

    /// Whether what a paint of `target` needs first (see `draw::prepare`) is already kept.
    pub(crate) fn prepared(&self, target: Target) -> bool {
        let key = self.picture_version(target);
        match target {
            Target::Network => self.plan.paint_cache.holds(key),
            Target::Timeline => self.plan.lane_cache.holds(key),
        }
    }

    /// Changes whenever the picture on `target` may have (its placement, view or the
    /// selection), but not for a hover or a keyboard move, which only move rings. It keys
    /// the ties and lane marks kept between frames.
    pub fn picture_version(&self, target: Target) -> (u64, u64) {
        let places = match target {
            Target::Network => self.changes.network,
            Target::Timeline => self.changes.timeline,
        };
        (places, self.changes.selection)
    }
}
