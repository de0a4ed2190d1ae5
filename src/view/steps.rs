//! The story told in steps: going to a step (its selection, window, focus, the time axis's
//! span, and a camera that frames its actors at any canvas size), whether the reader is still
//! on it or has left it by changing the view, and the pictures' glide into each step on the
//! frame clock (whole at once when the reader prefers less motion).
//!
//! A step is "shown" while nothing has changed the state since going to it: the count of
//! changes ([`App::version`]) is kept with it, so any click, brush, key or call that changes
//! what is shown leaves the steps, keeping what the reader did, and nothing has to list
//! which inputs do.

use serde::Serialize;

use crate::place::network::Camera;
use crate::story::dates::When;
use crate::story::model::Step;
use crate::view::app::{App, Mode, Selection, window_of};
use crate::view::story_view::SourceView;

/// How long the glide into a step lasts (ms).
pub const MOTION_MS: f64 = 650.0;

/// The last step gone to, and the count of changes just after: while they are equal, the
/// step is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepPlace {
    /// The step's place in the story's list (from 0).
    pub at: Option<usize>,
    version: u64,
}

/// The pictures moving from where they were to a step's view: the camera and the time axis
/// shown are between `from` and the reader's (the step's), which the state holds already.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Motion {
    from_camera: Camera,
    /// The time axis's span when the move began (seconds).
    from_time: Option<(f64, f64)>,
    /// The span it goes to: the step's, or the whole story's.
    to_time: Option<(f64, f64)>,
    /// Stamped by the first frame after the step was gone to.
    started_ms: Option<f64>,
    /// How far it has come, 0 to 1, eased.
    at: f64,
}

/// A step as the page shows it: words, and the sources as the event list cites them.
#[derive(Debug, Clone, Serialize)]
pub struct StepItem<'a> {
    pub title: &'a str,
    pub text: Option<&'a str>,
    pub sources: Vec<SourceView<'a>>,
}

/// Ease in and out, so a glide neither starts nor stops with a jolt.
fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

impl App {
    /// The story's steps, as the page shows them.
    pub fn step_items(&self) -> Vec<StepItem<'_>> {
        let story = &self.fixed.story;
        story
            .steps
            .iter()
            .map(|step| StepItem {
                title: &step.title,
                text: step.text.as_deref(),
                sources: step
                    .sources
                    .iter()
                    .filter_map(|c| {
                        let source = story.sources.get(c.source)?;
                        Some(SourceView {
                            name: &source.name,
                            quote: c.quote.as_deref(),
                            url: c.url.as_deref().or(source.url.as_deref()),
                        })
                    })
                    .collect(),
            })
            .collect()
    }

    /// The step shown (from 0): the last one gone to, unless the state changed since.
    pub fn step_shown(&self) -> Option<usize> {
        let place = self.reader.steps;
        place.at.filter(|_| place.version == self.version())
    }

    /// Shows step `n` (from 1): its selection, window and focus, the time axis's span and
    /// the camera framing its actors. With `glide`, the pictures move there over
    /// [`MOTION_MS`] of frames (`advance_motion`), unless the reader prefers less motion or
    /// the story is too big to place its pictures every frame.
    pub fn go_to_step(&mut self, n: usize, glide: bool) -> Result<(), String> {
        let count = self.fixed.story.steps.len();
        let Some(step) = n.checked_sub(1).and_then(|k| self.fixed.story.steps.get(k)) else {
            return Err(format!("there is no step {n}: the story has {count} steps"));
        };
        let view = step.view.clone();
        let window = match &view.window {
            Some([a, b]) => window_of(a.as_deref(), b.as_deref())?,
            None => None,
        };
        let time_view = match &view.time {
            Some([a, b]) => {
                let secs = |t: &str| When::parse(t).map(|w| w.start_secs as f64);
                match (secs(a), secs(b)) {
                    (Ok(s), Ok(e)) if e > s => Some((s, e)),
                    _ => return Err(format!("step {n}: the time axis's span cannot be read")),
                }
            }
            None => None,
        };
        let selection = Selection {
            actors: view.select,
            mode: if view.any { Mode::Any } else { Mode::All },
            window,
            focused: view.focus,
        };
        let from_camera = self.shown_camera();
        let from_time = self.timeline.scale.map(|s| (s.start_secs, s.end_secs));
        self.reader.motion = None;
        self.reader.selection = selection;
        self.reader.time_view = time_view;
        self.changed();
        self.reader.steps.at = Some(n - 1);
        self.frame_step_camera(n - 1);
        let glide = glide && !self.reader.playback.reduced_motion && !self.big_story();
        if glide {
            let to_time = time_view.or_else(|| crate::place::timeline::domain(&self.fixed.whens));
            self.reader.motion = Some(Motion {
                from_camera,
                from_time,
                to_time,
                started_ms: None,
                at: 0.0,
            });
        }
        self.view_network();
        self.place_timeline();
        self.view_changed();
        self.reader.steps.version = self.version();
        Ok(())
    }

    /// Puts the camera on step `k`'s actors (the whole network when it names none).
    fn frame_step_camera(&mut self, k: usize) {
        let fit = self
            .fixed
            .story
            .steps
            .get(k)
            .map(|s: &Step| s.view.fit.as_slice())
            .unwrap_or_default();
        self.reader.camera = self.network.framing(fit);
        self.reader.fit_locked = false;
    }

    /// While a step is shown, its actors stay framed when the network is placed again (a
    /// canvas resized, the layout moving on). Changes no state: the step stays shown.
    pub(crate) fn frame_step(&mut self) {
        if let Some(k) = self.step_shown() {
            self.frame_step_camera(k);
        }
    }

    /// The camera the network is drawn with: the reader's, or on the way to it.
    pub(crate) fn shown_camera(&self) -> Camera {
        let to = self.reader.camera;
        let Some(m) = self.reader.motion else {
            return to;
        };
        let from = m.from_camera;
        let (w, h) = (self.network.width, self.network.height);
        // Zoom evenly (by its logarithm) and move the point at the canvas's middle in a
        // straight line, rather than mixing pans made at different zooms.
        let k = (from.k.ln() + (to.k.ln() - from.k.ln()) * m.at).exp();
        let centre = |c: &Camera| (w / 2.0 - c.x / c.k, h / 2.0 - c.y / c.k);
        let (fx, fy) = centre(&from);
        let (tx, ty) = centre(&to);
        let (cx, cy) = (fx + (tx - fx) * m.at, fy + (ty - fy) * m.at);
        Camera {
            k,
            x: (w / 2.0 - cx) * k,
            y: (h / 2.0 - cy) * k,
        }
    }

    /// The span the time axis is placed with: the reader's, or on the way to it.
    pub(crate) fn shown_time_view(&self) -> Option<(f64, f64)> {
        match self.reader.motion {
            Some(Motion {
                from_time: Some((fs, fe)),
                to_time: Some((ts, te)),
                at,
                ..
            }) => Some((fs + (ts - fs) * at, fe + (te - fe) * at)),
            _ => self.reader.time_view,
        }
    }

    /// Moves a glide on by the frame clock; true while it wants another frame.
    pub fn advance_motion(&mut self, now_ms: f64) -> bool {
        let Some(motion) = self.reader.motion.as_mut() else {
            return false;
        };
        let started = *motion.started_ms.get_or_insert(now_ms);
        let t = (now_ms - started) / MOTION_MS;
        motion.at = ease(t);
        if t >= 1.0 {
            self.finish_motion();
            return false;
        }
        self.view_network();
        self.place_timeline();
        true
    }

    /// Ends a glide where it goes: the reader's input acts on the pictures as they will be.
    pub(crate) fn finish_motion(&mut self) {
        if self.reader.motion.take().is_some() {
            self.view_network();
            self.place_timeline();
        }
    }

    /// Whether the pictures are gliding into a step.
    pub fn moving_to_step(&self) -> bool {
        self.reader.motion.is_some()
    }
}

#[cfg(test)]
mod tests;
