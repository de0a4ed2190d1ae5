//! Which canvas to paint next. Each canvas is repainted only when its picture changed; a big
//! story does one step per frame (prepare one canvas's paint, or paint one canvas; see
//! `Viewer::frame`), so that no one task (with the browser's raster after it) does two. The
//! canvas the reader is acting on goes first, so a brush or a drag follows the pointer, and
//! a canvas left over from the last frame goes before it.
//!
//! Above each canvas lies a transparent layer with the pointer's and the keyboard's rings
//! (`draw::draw_network_marks`, `draw::draw_timeline_marks`). A hover or a keyboard move
//! repaints only the layer: a few rings, where the picture under them can take tens of
//! milliseconds at 50,000 events.

use crate::view::app::{App, Hover, Target};
use crate::view::interact::Keyboard;

/// A canvas's place in the per-canvas flags below.
fn slot(target: Target) -> usize {
    match target {
        Target::Network => 0,
        Target::Timeline => 1,
    }
}

/// What the pictures and their rings show, to tell what an input or a frame changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pictures: [(u64, u64); 2],
    hover: Option<Hover>,
    keyboard: Keyboard,
}

impl App {
    pub fn seen(&self) -> Seen {
        Seen {
            pictures: [Target::Network, Target::Timeline].map(|t| self.picture_version(t)),
            hover: self.reader.hover,
            keyboard: self.reader.keyboard.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repaints {
    /// Per canvas (see `slot`): its picture is to be painted.
    picture: [bool; 2],
    /// Per canvas: the layer of rings above it is to be painted.
    layer: [bool; 2],
    /// The canvas of the reader's last input.
    acting_on: Target,
    /// A canvas that was due in the last frame but left for this one.
    left_over: Option<Target>,
    /// The canvas whose paint the last step only prepared (see `put_back`).
    prepared_apart: Option<Target>,
    /// Per canvas: painted at least once.
    shown: [bool; 2],
}

impl Default for Repaints {
    fn default() -> Self {
        Repaints {
            picture: [true; 2],
            layer: [true; 2],
            acting_on: Target::Network,
            left_over: None,
            prepared_apart: None,
            shown: [false; 2],
        }
    }
}

impl Repaints {
    /// The picture on `target` changed, and with it where the layer's rings go.
    pub fn mark(&mut self, target: Target) {
        self.picture[slot(target)] = true;
        self.mark_layer(target);
    }

    pub fn mark_both(&mut self) {
        self.mark(Target::Network);
        self.mark(Target::Timeline);
    }

    /// Only the rings above `target` changed (a hover, a keyboard move).
    pub fn mark_layer(&mut self, target: Target) {
        self.layer[slot(target)] = true;
    }

    /// Marks what changed between `before` and `after`: a picture that changed (a
    /// selection shows on both), and the rings of the hover and the keyboard, on their
    /// `layers` if the page has them, else with their pictures.
    pub fn follow(&mut self, before: &Seen, after: &Seen, layers: bool) {
        for t in [Target::Network, Target::Timeline] {
            if before.pictures[slot(t)] != after.pictures[slot(t)] {
                self.mark(t);
            }
        }
        let mut rings = |t: Target| {
            if layers {
                self.mark_layer(t);
            } else {
                self.mark(t);
            }
        };
        if before.hover != after.hover {
            for h in [before.hover, after.hover].into_iter().flatten() {
                rings(match h {
                    Hover::Actor(_) | Hover::Community(_) => Target::Network,
                    Hover::Event(_) => Target::Timeline,
                });
            }
        }
        if before.keyboard != after.keyboard {
            for t in [before.keyboard.focus, after.keyboard.focus]
                .into_iter()
                .flatten()
            {
                rings(t);
            }
        }
    }

    /// Whether to paint the layer above `target` now, taken off the list. It waits while
    /// its canvas is due, so the rings never run ahead of the picture they ring.
    pub fn take_layer(&mut self, target: Target) -> bool {
        let now = self.layer[slot(target)] && !self.due(target);
        if now {
            self.layer[slot(target)] = false;
        }
        now
    }

    /// The reader acts on `target` (a press, a drag, a wheel, a key): it is painted first.
    pub fn acting_on(&mut self, target: Target) {
        self.acting_on = target;
    }

    pub fn due(&self, target: Target) -> bool {
        self.picture[slot(target)]
    }

    /// The canvas to paint now, taken off the list; `None` when both are up to date.
    pub fn take_next(&mut self) -> Option<Target> {
        let other = |t: Target| match t {
            Target::Network => Target::Timeline,
            Target::Timeline => Target::Network,
        };
        let first = self.left_over.take().unwrap_or(self.acting_on);
        let pick = [first, other(first)].into_iter().find(|&t| self.due(t))?;
        self.picture[slot(pick)] = false;
        Some(pick)
    }

    /// `target`, taken by `take_next`, is not painted in this frame after all, only
    /// prepared: it goes first in the next (a big story prepares a paint in one frame and
    /// paints in the next).
    pub fn put_back(&mut self, target: Target) {
        self.picture[slot(target)] = true;
        self.left_over = Some(target);
        self.prepared_apart = Some(target);
    }

    /// Whether `target`'s paint may be prepared in a frame of its own. Not twice in a row:
    /// a picture that changes on every frame (a drag, playback) would never be painted.
    pub fn may_prepare_apart(&self, target: Target) -> bool {
        self.prepared_apart != Some(target)
    }

    /// `target` was painted.
    pub fn painted(&mut self, target: Target) {
        self.shown[slot(target)] = true;
        if self.prepared_apart == Some(target) {
            self.prepared_apart = None;
        }
    }

    /// Whether `target` has been painted at least once.
    pub fn ever_painted(&self, target: Target) -> bool {
        self.shown[slot(target)]
    }

    /// A canvas has never been painted: the first pictures go one per frame at any size, so
    /// that the page's start (its first paint, each canvas's raster) makes no long task.
    pub fn first_pictures(&self) -> bool {
        self.shown.contains(&false)
    }

    /// Whether a picture is still to be painted in a coming frame: the first pictures until
    /// both are painted, then any that is due, unless the network `moving` (its layout) keeps
    /// one always due. The page puts a big story's lists off until then, so that their DOM
    /// is not built and laid out between the first pictures' frames.
    pub fn pending(&self, moving: bool) -> bool {
        self.first_pictures()
            || (!moving && (self.due(Target::Network) || self.due(Target::Timeline)))
    }

    /// Ends the frame with what is still due left for the next one; true if anything is.
    pub fn leave_for_next_frame(&mut self) -> bool {
        self.left_over = [Target::Network, Target::Timeline]
            .into_iter()
            .find(|&t| self.due(t));
        self.left_over.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After the first frame: nothing due.
    fn painted_once() -> Repaints {
        let mut r = Repaints::default();
        while r.take_next().is_some() {}
        r
    }

    #[test]
    fn only_changed_canvases_are_painted() {
        let mut r = Repaints::default();
        assert_eq!(r.take_next(), Some(Target::Network));
        assert_eq!(r.take_next(), Some(Target::Timeline));
        assert_eq!(r.take_next(), None);
        r.mark(Target::Timeline);
        assert_eq!(r.take_next(), Some(Target::Timeline));
        assert_eq!(r.take_next(), None);
    }

    #[test]
    fn the_first_pictures_are_pending_while_the_network_moves() {
        let mut r = Repaints::default();
        assert!(r.pending(true) && r.pending(false));
        assert_eq!(r.take_next(), Some(Target::Network));
        r.painted(Target::Network);
        assert!(r.pending(true), "the time axis is still to be painted once");
        assert_eq!(r.take_next(), Some(Target::Timeline));
        r.painted(Target::Timeline);
        assert!(!r.pending(true) && !r.pending(false));
        // Painted once, a due picture is pending only while the network is still.
        r.mark(Target::Network);
        assert!(r.pending(false));
        assert!(!r.pending(true), "a moving network is always due");
    }

    #[test]
    fn the_canvas_acted_on_goes_first() {
        let mut r = painted_once();
        r.acting_on(Target::Timeline);
        r.mark_both();
        assert_eq!(r.take_next(), Some(Target::Timeline));
        assert_eq!(r.take_next(), Some(Target::Network));
    }

    #[test]
    fn a_hover_repaints_only_the_layer_and_waits_for_its_canvas() {
        let mut r = painted_once();
        assert!(r.take_layer(Target::Network) && r.take_layer(Target::Timeline));
        r.mark_layer(Target::Network);
        assert_eq!(r.take_next(), None, "no canvas is repainted for a hover");
        assert!(!r.take_layer(Target::Timeline));
        assert!(r.take_layer(Target::Network));
        assert!(!r.take_layer(Target::Network), "painted once");
        // A pan moves the picture and its rings: the layer waits until the picture is painted.
        r.mark(Target::Timeline);
        assert!(!r.take_layer(Target::Timeline));
        assert_eq!(r.take_next(), Some(Target::Timeline));
        assert!(r.take_layer(Target::Timeline));
    }

    #[test]
    fn what_an_input_changed_is_repainted_and_nothing_else() {
        let mut app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        app.resize(620.0, 460.0, 700.0);
        let (x, y) = app.actor_position("rubio").unwrap();
        let mut r = painted_once();
        let mut step = |app: &mut App, f: &dyn Fn(&mut App), layers: bool| {
            while r.take_layer(Target::Network) || r.take_layer(Target::Timeline) {}
            let before = app.seen();
            f(app);
            r.follow(&before, &app.seen(), layers);
            let due = (r.due(Target::Network), r.due(Target::Timeline));
            let layer = (
                r.take_layer(Target::Network),
                r.take_layer(Target::Timeline),
            );
            while r.take_next().is_some() {}
            (due, layer)
        };
        // A hover: the network's rings only, on the layer if there is one.
        let hover = |app: &mut App| {
            app.pointer_move(Target::Network, x, y);
        };
        assert_eq!(
            step(&mut app, &hover, true),
            ((false, false), (true, false))
        );
        assert_eq!(
            step(&mut app, &hover, true),
            ((false, false), (false, false)),
            "unchanged"
        );
        let leave = |app: &mut App| app.pointer_leave();
        assert_eq!(
            step(&mut app, &leave, false),
            ((true, false), (false, false)),
            "without layers, the rings are repainted with their picture"
        );
        // A selection: both pictures.
        let click = |app: &mut App| {
            app.click(Target::Network, x, y, false);
        };
        assert_eq!(step(&mut app, &click, true).0, (true, true));
        // A zoom: the one it zoomed.
        let zoom = |app: &mut App| app.zoom(Target::Timeline, 2.0, 300.0, 50.0);
        assert_eq!(step(&mut app, &zoom, true).0, (false, true));
        // The keyboard's focus: its rings.
        let focus = |app: &mut App| app.set_keyboard_focus(Some(Target::Timeline));
        assert_eq!(
            step(&mut app, &focus, true),
            ((false, false), (false, true))
        );
    }

    #[test]
    fn a_canvas_put_back_goes_first_in_the_next_frame() {
        let mut r = painted_once();
        r.acting_on(Target::Network);
        r.mark_both();
        assert_eq!(r.take_next(), Some(Target::Network));
        r.put_back(Target::Network);
        assert_eq!(
            r.take_next(),
            Some(Target::Network),
            "first in the next frame"
        );
        assert_eq!(r.take_next(), Some(Target::Timeline));
        assert_eq!(r.take_next(), None);
    }

    // A drag changes the picture on every frame, so each frame's paint needs preparing
    // again: at most one frame in two only prepares, so the picture follows the pointer.
    #[test]
    fn a_picture_changed_on_every_frame_is_painted_every_other_frame() {
        let mut r = painted_once();
        let mut painted = Vec::new();
        for _ in 0..6 {
            r.mark(Target::Network); // one pointer move per frame
            let on = r.take_next().expect("the network is due");
            // As `Viewer::frame`: prepare apart when allowed (here always needed).
            if r.may_prepare_apart(on) {
                r.put_back(on);
                painted.push(false);
            } else {
                r.painted(on);
                painted.push(true);
            }
        }
        assert_eq!(painted, [false, true, false, true, false, true]);
    }

    #[test]
    fn the_first_pictures_are_painted_one_per_frame() {
        let mut r = Repaints::default();
        assert!(r.first_pictures());
        let on = r.take_next().expect("a picture is due");
        r.painted(on);
        assert!(r.first_pictures(), "one canvas is still unpainted");
        assert!(r.leave_for_next_frame());
        let other = r.take_next().expect("the other picture is due");
        assert_ne!(on, other);
        r.painted(other);
        assert!(!r.first_pictures());
    }

    // A brush repaints both canvases on every move; the network, left over, must not wait
    // behind the time axis frame after frame.
    #[test]
    fn a_left_over_canvas_goes_first_in_the_next_frame() {
        let mut r = painted_once();
        r.acting_on(Target::Timeline);
        let mut painted = Vec::new();
        for _ in 0..4 {
            r.mark_both(); // one pointer move per frame
            painted.push(r.take_next());
            assert!(r.leave_for_next_frame());
        }
        assert_eq!(
            painted,
            [
                Some(Target::Timeline),
                Some(Target::Network),
                Some(Target::Timeline),
                Some(Target::Network)
            ]
        );
        r.take_next();
        r.take_next();
        assert!(
            !r.leave_for_next_frame(),
            "nothing left once both are painted"
        );
    }
}
