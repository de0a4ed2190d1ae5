//! Play: a window a sixth of the story long swept through it on the frame clock, or stepped a
//! whole window at a time when the reader prefers less motion; it pauses at the end. The page
//! only wires the button and the speed (`www/shell/playback.js`).

use serde::Serialize;

use crate::story::dates::{DAY_SECS, iso, iso_datetime};
use crate::view::app::{App, Window};

/// How fast playback goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Speed {
    Slow,
    #[default]
    Normal,
    Fast,
}

impl Speed {
    pub fn parse(text: &str) -> Option<Speed> {
        match text {
            "slow" => Some(Speed::Slow),
            "normal" => Some(Speed::Normal),
            "fast" => Some(Speed::Fast),
            _ => None,
        }
    }

    /// The whole sweep, animated (ms).
    fn sweep_ms(self) -> f64 {
        match self {
            Speed::Slow => 40_000.0,
            Speed::Normal => 20_000.0,
            Speed::Fast => 8_000.0,
        }
    }

    /// The pause between whole-window steps with less motion (ms).
    fn step_ms(self) -> f64 {
        match self {
            Speed::Slow => 3000.0,
            Speed::Normal => 1500.0,
            Speed::Fast => 750.0,
        }
    }
}

const MINUTE_SECS: f64 = 60.0;
/// The longest frame the sweep counts (ms): after a stall (a hidden page) it goes on from
/// where it was rather than jumping.
const LONGEST_FRAME_MS: f64 = 100.0;
/// A step due this soon (ms) is taken now: the page's timer does not wake to the millisecond.
const STEP_EARLY_MS: f64 = 8.0;

/// Playback's settings and, while it plays, where it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Playback {
    pub speed: Speed,
    /// The reader prefers less motion (`prefers-reduced-motion`): whole windows, in steps.
    pub reduced_motion: bool,
    pub(crate) sweep: Option<Sweep>,
}

/// A sweep under way; seconds of the story, ms of the frame clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sweep {
    /// The story's first start.
    start: f64,
    width: f64,
    /// Where the window's start stops: the window then ends with the story.
    last: f64,
    /// The window's start now.
    at: f64,
    /// The frame clock at the last step; `None` until the first frame.
    clock_ms: Option<f64>,
    /// With less motion: how long after the last frame the next step is due.
    wake_in_ms: Option<f64>,
}

/// Playback as the page's button shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaybackView {
    /// The story has a span in time to sweep.
    pub available: bool,
    pub playing: bool,
    /// The button's word: what pressing it does.
    pub label: &'static str,
    /// Playing with less motion: wake the frame loop after this many ms for the next step.
    pub wake_in_ms: Option<f64>,
}

/// `Math.round`'s rounding (half up), so a window lands on the minute the page's had.
fn round_half_up(x: f64) -> f64 {
    (x + 0.5).floor()
}

impl App {
    /// The story's span for playback, its first start to its last end (seconds); `None`
    /// when it has no length to sweep.
    pub fn story_extent(&self) -> Option<(i64, i64)> {
        crate::place::timeline::extent(&self.fixed.whens).filter(|(start, end)| end > start)
    }

    /// Starts playback: from the window shown if it is one of the sweep's, else from the
    /// story's start; shows the first window at once. False if it cannot (no span in time)
    /// or already plays.
    pub fn play(&mut self) -> bool {
        let Some((start, end)) = self.story_extent() else {
            return false;
        };
        if self.reader.playback.sweep.is_some() {
            return false;
        }
        let (start, end) = (start as f64, end as f64);
        let width =
            (round_half_up((end - start) / 6.0 / MINUTE_SECS) * MINUTE_SECS).max(MINUTE_SECS);
        let last = end - width;
        let at = match &self.reader.selection.window {
            Some(w) if (w.start_secs as f64) > start && (w.start_secs as f64) < last => {
                w.start_secs as f64
            }
            _ => start,
        };
        self.reader.playback.sweep = Some(Sweep {
            start,
            width,
            last,
            at,
            clock_ms: None,
            wake_in_ms: None,
        });
        self.show_sweep();
        true
    }

    /// Stops playback where it is; false if it was not playing.
    pub fn pause(&mut self) -> bool {
        self.reader.playback.sweep.take().is_some()
    }

    pub fn playing(&self) -> bool {
        self.reader.playback.sweep.is_some()
    }

    /// Moves the window on to the frame clock's `now_ms`, pausing at the end. True while it
    /// wants the next frame (animated); with less motion the page wakes it
    /// ([`PlaybackView::wake_in_ms`]).
    pub fn advance_playback(&mut self, now_ms: f64) -> bool {
        let Playback {
            speed,
            reduced_motion: reduced,
            sweep,
        } = &mut self.reader.playback;
        let Some(sweep) = sweep else {
            return false;
        };
        let step_ms = speed.step_ms();
        let Some(clock) = sweep.clock_ms else {
            // The first frame starts the clock; the first window is shown already.
            sweep.clock_ms = Some(now_ms);
            sweep.wake_in_ms = reduced.then_some(step_ms);
            return !*reduced;
        };
        if *reduced {
            let due = clock + step_ms;
            if now_ms < due - STEP_EARLY_MS {
                sweep.wake_in_ms = Some(due - now_ms);
                return false;
            }
            sweep.at = (sweep.at + sweep.width).min(sweep.last);
        } else {
            let dt = (now_ms - clock).min(LONGEST_FRAME_MS);
            let moved = (sweep.last - sweep.start) * dt / speed.sweep_ms();
            sweep.at = (sweep.at + moved).min(sweep.last);
        }
        sweep.clock_ms = Some(now_ms);
        sweep.wake_in_ms = reduced.then_some(step_ms);
        let (ended, reduced) = (sweep.at >= sweep.last, *reduced);
        self.show_sweep();
        if ended {
            self.reader.playback.sweep = None;
        }
        !ended && !reduced
    }

    pub fn playback_view(&self) -> PlaybackView {
        let sweep = self.reader.playback.sweep;
        PlaybackView {
            available: self.story_extent().is_some(),
            playing: sweep.is_some(),
            label: if sweep.is_some() { "Pause" } else { "Play" },
            wake_in_ms: sweep.and_then(|s| s.wake_in_ms),
        }
    }

    /// The sweep's window, on whole minutes.
    fn show_sweep(&mut self) {
        let Some(sweep) = self.reader.playback.sweep else {
            return;
        };
        let start = (round_half_up(sweep.at / MINUTE_SECS) * MINUTE_SECS) as i64;
        let mut end = start + sweep.width as i64;
        // An end at midnight would be read back as that whole day.
        if end.rem_euclid(DAY_SECS) == 0 {
            end -= MINUTE_SECS as i64;
        }
        // As `set_time_window` has a window given as two date-times.
        let window = Window {
            start_secs: start,
            end_secs: end,
            start_text: iso(start),
            end_text: iso_datetime(end),
        };
        if self.reader.selection.window.as_ref() != Some(&window) {
            self.reader.selection.window = Some(window);
            self.changed();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap()
    }

    fn window(app: &App) -> (i64, i64) {
        let w = app.reader.selection.window.as_ref().expect("a window");
        (w.start_secs, w.end_secs)
    }

    #[test]
    fn play_shows_a_sixth_of_the_story_at_its_start_and_sweeps_it_by_the_frame_clock() {
        let mut app = app();
        let (start, end) = app.story_extent().expect("a span");
        assert!(app.playback_view().available && !app.playback_view().playing);
        assert_eq!(app.playback_view().label, "Play");
        assert!(app.play());
        assert!(!app.play(), "already playing");
        assert_eq!(app.playback_view().label, "Pause");
        let (s, e) = window(&app);
        let width = e - s;
        assert!((s - start).abs() < 60, "from the story's start");
        assert!(((end - start) / 6 - width).abs() <= 120, "a sixth: {width}");
        assert_eq!(s % 60, 0, "on whole minutes");
        // The first frame starts the clock; the next ones move the window by their time.
        assert!(app.advance_playback(1000.0));
        assert_eq!(window(&app).0, s);
        assert!(app.advance_playback(1050.0));
        let sweep_secs = (end - width - start) as f64;
        let expected = sweep_secs * 50.0 / Speed::Normal.sweep_ms();
        let moved = (window(&app).0 - s) as f64;
        assert!(
            (moved - expected).abs() <= 60.0,
            "{moved} s, about {expected}"
        );
        // A stall counts as one long frame, not as a jump.
        let before = window(&app).0;
        app.advance_playback(60_000.0);
        let stalled = (window(&app).0 - before) as f64;
        assert!(stalled <= sweep_secs * 100.0 / Speed::Normal.sweep_ms() + 60.0);
        // To the end, where it stops with the window ending with the story.
        let mut now = 60_000.0;
        while app.advance_playback(now) {
            now += 16.0;
            assert!(now < 100_000.0, "the sweep ends within its 20 s");
        }
        assert!(!app.playing() && app.playback_view().label == "Play");
        let (s, e) = window(&app);
        assert!((e - end).abs() <= 120, "ends with the story: {e} vs {end}");
        assert!(
            e - s == width || e - s == width - 60,
            "a window as wide as ever"
        );
        assert!(!app.advance_playback(now + 16.0), "stopped");
    }

    #[test]
    fn faster_sweeps_sooner_and_pause_stops_where_it_is() {
        let mut app = app();
        app.reader.playback.speed = Speed::Fast;
        app.play();
        app.advance_playback(0.0);
        app.advance_playback(50.0);
        let fast = window(&app).0;
        assert!(app.pause());
        assert!(!app.pause(), "paused already");
        assert!(!app.advance_playback(100.0));
        assert_eq!(window(&app).0, fast, "paused: the window stays");
        // Playing again resumes from the window shown.
        app.play();
        assert_eq!(window(&app).0, fast);
        let mut normal = self::app();
        normal.play();
        normal.advance_playback(0.0);
        normal.advance_playback(50.0);
        assert!(fast > window(&normal).0);
    }

    #[test]
    fn with_less_motion_it_steps_a_whole_window_when_due_and_says_when_to_wake() {
        let mut app = app();
        app.reader.playback.reduced_motion = true;
        app.play();
        let (s0, e0) = window(&app);
        assert!(!app.advance_playback(0.0), "no frames meanwhile");
        assert_eq!(app.playback_view().wake_in_ms, Some(1500.0));
        assert!(!app.advance_playback(1000.0));
        assert_eq!(app.playback_view().wake_in_ms, Some(500.0));
        assert_eq!(window(&app).0, s0);
        // Due within a few ms: taken now.
        app.advance_playback(1495.0);
        let width = app.reader.playback.sweep.expect("playing").width as i64;
        let (s1, _) = window(&app);
        assert!(
            (s1 - s0 - width).abs() <= 60,
            "a whole window on: {s0}..{e0} → {s1}"
        );
        let mut now = 1495.0;
        let mut steps = 1;
        while app.playing() {
            now += 1500.0;
            app.advance_playback(now);
            steps += 1;
            assert!(steps < 10);
        }
        assert!(steps >= 3, "{steps} steps");
        assert_eq!(app.playback_view().wake_in_ms, None);
    }

    #[test]
    fn a_window_never_ends_at_midnight() {
        let mut app = app();
        app.play();
        // Put the sweep where its window would end at a midnight.
        let sweep = app.reader.playback.sweep.as_mut().unwrap();
        let width = sweep.width as i64;
        let midnight = (sweep.start as i64 / DAY_SECS + 20) * DAY_SECS;
        sweep.at = (midnight - width) as f64;
        app.show_sweep();
        let w = app.reader.selection.window.clone().unwrap();
        assert_eq!(w.end_secs, midnight - 60);
        assert!(w.end_text.ends_with("T23:59:00Z"), "{}", w.end_text);
        // The same window as the page's setTimeWindow with two date-times gives.
        let mut other = self::app();
        other
            .set_time_window(Some(&iso_datetime(w.start_secs)), Some(&w.end_text))
            .unwrap();
        assert_eq!(other.reader.selection.window, Some(w));
    }

    #[test]
    fn resuming_from_a_window_outside_the_sweep_starts_at_the_start() {
        let mut app = app();
        let (start, _) = app.story_extent().unwrap();
        app.set_time_window(Some("2025-11-17"), Some("2025-11-23"))
            .unwrap();
        let shown = window(&app).0;
        app.play();
        assert_eq!(window(&app).0, shown, "inside the sweep: from there");
        app.pause();
        app.set_time_window(None, Some("2025-11-23")).unwrap();
        app.play();
        assert!(
            (window(&app).0 - start).abs() < 60,
            "an open start: from the story's"
        );
    }

    #[test]
    fn a_story_without_a_span_cannot_play() {
        let text = r#"{"title":"t","actors":[{"id":"a","name":"A"}],"events":[]}"#;
        let mut app = App::from_json("t.json", text).unwrap();
        assert_eq!(app.story_extent(), None);
        assert!(!app.playback_view().available);
        assert!(!app.play());
        assert!(!app.advance_playback(0.0));
    }
}
