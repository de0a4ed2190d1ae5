//! The time axis: a calendar-aware scale with ticks, one lane per actor, and every event drawn
//! on the lanes of its actors at the precision its date was given.
//!
//! A day is a point, a month (or anything vaguer) a band over its whole span, an interval a
//! bar. Events that overlap in time on one actor's lane stack in sub-rows, up to a few, so a
//! busy fortnight stays legible and thousands of events still fit.

use crate::place::text::{AXIS_FONT_PX, ellipsize};
use crate::story::calendar::{ToSpan, Weekday};
use crate::story::dates::{DAY_SECS, When, add_months, civil, month_name, secs_of_date};
use crate::story::index::{EventActors, IntervalIndex};

pub const AXIS_HEIGHT_PX: f64 = 28.0;
/// Height of one row of the key under the lanes.
pub const KEY_ROW_PX: f64 = 20.0;
pub const SUBROW_PX: f64 = 12.0;
pub const LANE_PAD_PX: f64 = 6.0;
/// Actors beyond this many share one "other actors" lane, so the axis stays a readable height.
pub const MAX_LANES: usize = 40;
const MAX_SUBROWS: usize = 4;
const RIGHT_PAD_PX: f64 = 14.0;

/// Maps seconds to x pixels and back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeScale {
    pub start_secs: f64,
    pub end_secs: f64,
    pub x0: f64,
    pub x1: f64,
}

impl TimeScale {
    pub fn x(&self, secs: f64) -> f64 {
        self.x0 + (secs - self.start_secs) / (self.end_secs - self.start_secs) * (self.x1 - self.x0)
    }

    pub fn secs(&self, x: f64) -> f64 {
        self.start_secs + (x - self.x0) / (self.x1 - self.x0) * (self.end_secs - self.start_secs)
    }

    fn px_per_sec(&self) -> f64 {
        (self.x1 - self.x0) / (self.end_secs - self.start_secs)
    }
}

/// One calendar step between ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Hours(i64),
    Days(i64),
    /// Weeks starting on Monday.
    Weeks,
    Months(i32),
    Years(i32),
}

impl Step {
    fn approx_secs(self) -> f64 {
        match self {
            Step::Hours(n) => (n * 3600) as f64,
            Step::Days(n) => (n * DAY_SECS) as f64,
            Step::Weeks => (7 * DAY_SECS) as f64,
            Step::Months(n) => f64::from(n) * 30.44 * DAY_SECS as f64,
            Step::Years(n) => f64::from(n) * 365.25 * DAY_SECS as f64,
        }
    }
}

/// The calendar steps, finest first, as in d3-time.
const STEPS: [Step; 17] = [
    Step::Hours(1),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Days(1),
    Step::Days(2),
    Step::Weeks,
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(25),
    Step::Years(50),
    Step::Years(100),
];

/// A tick: where, and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub secs: i64,
    pub label: String,
    /// Starts a month (or a year, for month steps): drawn a little stronger.
    pub major: bool,
}

/// Ticks at least `min_gap_px` apart on the calendar step that fits.
pub fn ticks(scale: &TimeScale, min_gap_px: f64) -> (Step, Vec<Tick>) {
    let pps = scale.px_per_sec();
    let step = STEPS
        .iter()
        .copied()
        .find(|s| s.approx_secs() * pps >= min_gap_px)
        .unwrap_or(Step::Years(100));
    let (start, end) = (
        scale.start_secs.floor() as i64,
        scale.end_secs.ceil() as i64,
    );
    let mut out = Vec::new();
    let mut t = align(start, step);
    let mut guard = 0;
    while t <= end && guard < 2000 {
        if t >= start {
            out.push(Tick {
                secs: t,
                label: tick_label(t, step, out.is_empty()),
                major: is_major(t, step),
            });
        }
        t = advance(t, step);
        guard += 1;
    }
    (step, out)
}

/// Weeks under month ticks, when a week is wide enough to read as a column.
fn minor_ticks(scale: &TimeScale, step: Step) -> Vec<i64> {
    let week = Step::Weeks;
    if !matches!(step, Step::Months(1)) || week.approx_secs() * scale.px_per_sec() < 12.0 {
        return Vec::new();
    }
    let (start, end) = (
        scale.start_secs.ceil() as i64,
        scale.end_secs.floor() as i64,
    );
    let mut t = align(start, week);
    let mut out = Vec::new();
    while t <= end && out.len() < 500 {
        if t >= start {
            out.push(t);
        }
        t = advance(t, week);
    }
    out
}

/// The first step boundary at or before `secs`.
fn align(secs: i64, step: Step) -> i64 {
    let dt = civil(secs);
    let day = secs_of_date(dt.date());
    match step {
        Step::Hours(n) => day + (i64::from(dt.hour()) / n) * n * 3600,
        Step::Days(n) => day - ((i64::from(dt.day()) - 1) % n) * DAY_SECS,
        Step::Weeks => day - i64::from(dt.date().weekday().to_monday_zero_offset()) * DAY_SECS,
        Step::Months(n) => {
            let first = secs_of_date(dt.date().first_of_month());
            add_months(first, -((i32::from(dt.month()) - 1) % n))
        }
        Step::Years(n) => {
            let year = i32::from(dt.year());
            let first = dt.date().first_of_year();
            let back = year.rem_euclid(n);
            first
                .checked_sub(back.years())
                .map(secs_of_date)
                .unwrap_or(secs)
        }
    }
}

fn advance(secs: i64, step: Step) -> i64 {
    match step {
        Step::Hours(n) => secs + n * 3600,
        Step::Days(n) => {
            let next = secs + n * DAY_SECS;
            // Day steps restart at each month's 1st, as calendars do.
            let (a, b) = (civil(secs), civil(next));
            if n > 1 && a.month() != b.month() {
                secs_of_date(b.date().first_of_month())
            } else {
                next
            }
        }
        Step::Weeks => secs + 7 * DAY_SECS,
        Step::Months(n) => add_months(secs, n),
        Step::Years(n) => add_months(secs, 12 * n),
    }
}

fn is_major(secs: i64, step: Step) -> bool {
    let dt = civil(secs);
    match step {
        Step::Hours(_) => dt.hour() == 0,
        Step::Days(_) | Step::Weeks => dt.day() == 1,
        Step::Months(_) => dt.month() == 1,
        Step::Years(_) => true,
    }
}

fn tick_label(secs: i64, step: Step, first: bool) -> String {
    let dt = civil(secs);
    let (y, m, d) = (dt.year(), dt.month(), dt.day());
    match step {
        Step::Hours(_) if dt.hour() == 0 || first => {
            format!("{d} {} {:02}:00", month_name(m), dt.hour())
        }
        Step::Hours(_) => format!("{:02}:00", dt.hour()),
        Step::Days(_) | Step::Weeks if first || (m == 1 && d <= 7) => {
            format!("{d} {} {y}", month_name(m))
        }
        Step::Days(_) | Step::Weeks => format!("{d} {}", month_name(m)),
        Step::Months(_) if first || m == 1 => format!("{} {y}", month_name(m)),
        Step::Months(_) => month_name(m).to_owned(),
        Step::Years(_) => format!("{y}"),
    }
}

/// How an event's date is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A day or a moment.
    Point,
    /// A date known only to the month, season or year: a band over that span.
    Band,
    /// An interval known to the day: a solid bar.
    Bar,
}

impl MarkKind {
    pub fn of(when: &When) -> MarkKind {
        if when.is_point() {
            MarkKind::Point
        } else if when.precision >= crate::story::dates::Precision::Day {
            MarkKind::Bar
        } else {
            MarkKind::Band
        }
    }
}

/// One event drawn on one lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub event: usize,
    pub kind: MarkKind,
    pub x0: f64,
    pub x1: f64,
    /// Vertical centre.
    pub y: f64,
}

impl Mark {
    pub const POINT_RADIUS_PX: f64 = 4.5;

    /// Where a click or a hover counts for this mark.
    pub fn hit_span(&self) -> (f64, f64) {
        match self.kind {
            MarkKind::Point => (self.x0 - 7.0, self.x0 + 7.0),
            _ => (self.x0 - 3.0, self.x1 + 3.0),
        }
    }
}

/// A row of the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// `None` for a community's lane and for the shared lane of those beyond [`MAX_LANES`].
    pub actor: Option<usize>,
    /// The community whose lane it is, when the axis has a lane per community.
    pub community: Option<usize>,
    /// The name drawn at the left, already shortened to fit.
    pub label: String,
    pub y: f64,
    pub height: f64,
    /// Index range of this lane's marks in [`TimelineScene::marks`].
    pub marks: std::ops::Range<usize>,
}

/// What the time axis needs from the model.
pub struct TimelineInput<'a> {
    pub whens: &'a [When],
    /// For each event, its actors.
    pub event_actors: &'a EventActors,
    /// Actor names.
    pub names: &'a [String],
    /// Lane order: the actors to give lanes, in order (actors with events only).
    pub lane_actors: &'a [usize],
    /// A lane per community instead of per actor: a big story's overview (issue 20 §3).
    pub communities: Option<CommunityLanes<'a>>,
}

/// The communities that take the lanes, each with the events of all its members: twenty
/// thousand actors do not fit forty lanes, their communities mostly do, and a lane's density
/// strip then says when each part of the network was busy (KronoGraph's heatmap).
#[derive(Debug, Clone, Copy)]
pub struct CommunityLanes<'a> {
    /// Each actor's community.
    pub of: &'a [u32],
    /// The communities to give lanes, in order (those with events only).
    pub order: &'a [usize],
    /// Each community's name.
    pub names: &'a [String],
}

/// The time axis laid out for one width.
#[derive(Debug, Clone, Default)]
pub struct TimelineScene {
    pub width: f64,
    pub height: f64,
    pub label_width: f64,
    pub scale: Option<TimeScale>,
    pub lanes: Vec<Lane>,
    pub marks: Vec<Mark>,
    /// Per event: the x and vertical extent of the line that links its marks across lanes.
    /// Made when first drawn ([`TimelineScene::links`]), as the hit index is: a big story's
    /// time axis draws only the focused event's, and at W4 making them all was a sixth of the
    /// frame that places the community lanes.
    links: std::cell::OnceCell<Vec<Option<(f64, f64, f64)>>>,
    pub ticks: Vec<Tick>,
    pub step: Option<Step>,
    /// Unlabelled finer gridlines (weeks under month ticks), where they fit.
    pub minor: Vec<i64>,
    /// The key to the marks, wrapped to the width.
    pub key: Vec<KeyItem>,
    /// How many events the story has (the length of [`TimelineScene::links`]).
    events: usize,
    /// Per lane, its marks' hit spans by x (ids are indices into `marks`): a hover looks at
    /// the marks under the pointer, not at the whole lane. Made by the first hit test, not
    /// with the scene: a big story's time axis is placed again on every zoom and resize, and
    /// at W4 the index was a third of the placing (30 of 75 ms).
    hit_index: std::cell::OnceCell<Vec<IntervalIndex>>,
}

/// One entry of the key: a sample mark (or a glyph) and what it means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyItem {
    pub label: &'static str,
    pub sample: KeySample,
    /// Left edge and vertical centre.
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySample {
    Mark(MarkKind),
    Glyph(&'static str),
    /// A density strip's shades, lightest to darkest.
    Strip,
}

impl KeySample {
    /// Width of the sample before its label.
    pub fn width(self) -> f64 {
        match self {
            KeySample::Mark(MarkKind::Point) => 10.0,
            KeySample::Mark(_) | KeySample::Strip => 18.0,
            KeySample::Glyph(_) => 8.0,
        }
    }
}

const KEY: [(&str, KeySample); 5] = [
    ("day", KeySample::Mark(MarkKind::Point)),
    ("month or vaguer", KeySample::Mark(MarkKind::Band)),
    ("period", KeySample::Mark(MarkKind::Bar)),
    ("approximate", KeySample::Glyph("~")),
    ("uncertain", KeySample::Glyph("?")),
];

/// The key's entry for density strips, there when a lane is one.
const STRIP_KEY: (&str, KeySample) = ("many events, darker where more", KeySample::Strip);

/// Lays the key out in rows from `top`, wrapping where the width runs out; with the strips'
/// entry when a lane is a density strip (`strips`).
fn key_layout(width: f64, top: f64, strips: bool) -> Vec<KeyItem> {
    let mut out = Vec::with_capacity(KEY.len() + 1);
    let (mut x, mut row) = (8.0, 0.0);
    let strip = strips.then_some(STRIP_KEY);
    for (label, sample) in KEY.into_iter().chain(strip) {
        let need =
            sample.width() + 4.0 + crate::place::text::text_width(label, AXIS_FONT_PX) + 12.0;
        if x + need > width && x > 8.0 {
            x = 8.0;
            row += 1.0;
        }
        out.push(KeyItem {
            label,
            sample,
            x,
            y: top + (row + 0.5) * KEY_ROW_PX,
        });
        x += need;
    }
    out
}

fn key_height(key: &[KeyItem]) -> f64 {
    let rows = key.iter().map(|k| k.y).fold(0.0, f64::max) - key.first().map_or(0.0, |k| k.y);
    (rows / KEY_ROW_PX).round() * KEY_ROW_PX + KEY_ROW_PX + 4.0
}

/// The time axis being placed a lane at a time, so that a big story's (at W4, 300,000 marks
/// on its community lanes) is placed over a few frames rather than in a task of 50 ms and
/// more: [`TimelinePlacing::step`] until it says it is done, then
/// [`TimelinePlacing::finish`]. [`TimelineScene::place`] does it all at once.
#[derive(Debug)]
pub struct TimelinePlacing {
    scene: TimelineScene,
    /// Each lane's events in order; the lanes left to place are from `next` on.
    lane_events: Vec<Vec<usize>>,
    next: usize,
    /// The lanes' owners: actors, or with `by_community` communities.
    shown: Vec<usize>,
    by_community: bool,
    /// The actors on the shared last lane, for its name.
    others: Vec<bool>,
    /// The shortest a span is stacked as.
    min_secs: f64,
    /// The top of the next lane.
    y: f64,
    /// Some lane is a density strip (the key then explains them).
    strips: bool,
}

impl TimelinePlacing {
    /// The axis, its ticks and which lane each event goes on; no lane placed yet.
    pub fn new(input: &TimelineInput, width: f64, view: Option<(f64, f64)>) -> TimelinePlacing {
        let n_events = input.whens.len();
        let label_width = (width * 0.3).clamp(64.0, 150.0);
        let mut placing = TimelinePlacing {
            scene: TimelineScene {
                width,
                label_width,
                ..TimelineScene::default()
            },
            lane_events: Vec::new(),
            next: 0,
            shown: Vec::new(),
            by_community: false,
            others: Vec::new(),
            min_secs: 0.0,
            y: AXIS_HEIGHT_PX,
            strips: false,
        };
        let Some(domain) = view.or_else(|| domain(input.whens)) else {
            return placing;
        };
        let scale = TimeScale {
            start_secs: domain.0,
            end_secs: domain.1,
            x0: label_width + 8.0,
            x1: (width - RIGHT_PAD_PX).max(label_width + 40.0),
        };
        let (step, ticks) = ticks(&scale, 58.0);
        let scene = &mut placing.scene;
        scene.events = n_events;
        scene.minor = minor_ticks(&scale, step);
        scene.scale = Some(scale);
        scene.step = Some(step);
        scene.ticks = ticks;

        // Which lane each event goes on, per actor: the lane actors' (or communities'), then
        // one shared lane. An event goes once on each of its lanes. Communities are found
        // only by the full build: the first leaves their lanes out (1 KB of its wasm).
        let communities = input.communities.filter(|_| cfg!(feature = "full"));
        let owners = match &communities {
            Some(c) => c.order,
            None => input.lane_actors,
        };
        let shown = &owners[..owners.len().min(MAX_LANES)];
        let mut lane_of_owner =
            vec![None; communities.map_or(input.names.len(), |c| c.names.len())];
        for (lane, &o) in shown.iter().enumerate() {
            if let Some(slot) = lane_of_owner.get_mut(o) {
                *slot = Some(lane);
            }
        }
        let owner_of = |a: usize| match &communities {
            Some(c) => c.of.get(a).map(|&k| k as usize),
            None => Some(a),
        };
        // Actors with no lane of their own (past the cap, or alone in their community) share
        // the last one; it is there only if it has events. The actors on it, for its name.
        let mut lane_events: Vec<Vec<usize>> = vec![Vec::new(); shown.len() + 1];
        let mut others = vec![false; input.names.len()];
        let rest = shown.len();
        for (e, actors) in input.event_actors.iter().enumerate() {
            for &a in actors {
                let own = owner_of(a).and_then(|o| lane_of_owner.get(o).copied().flatten());
                let lane = own.unwrap_or(rest);
                if own.is_none()
                    && let Some(seen) = others.get_mut(a)
                {
                    *seen = true;
                }
                // Events come in order, so a lane that has this one has it last.
                if lane_events[lane].last() != Some(&e) {
                    lane_events[lane].push(e);
                }
            }
        }
        if lane_events[rest].is_empty() {
            lane_events.pop();
        }

        // Room for every mark at once: at W4 they are 300,000 and more, and grown a doubling
        // at a time they were copied over and over within the frame that places them.
        scene
            .marks
            .reserve_exact(lane_events.iter().map(Vec::len).sum());
        placing.min_secs = (domain.1 - domain.0) * 0.025;
        placing.shown = shown.to_vec();
        placing.by_community = communities.is_some();
        placing.others = others;
        placing.lane_events = lane_events;
        placing
    }

    /// Places lanes until all are placed (true) or `time_up` says so after one (false).
    /// `input` is the one the placing was made with.
    pub fn step(&mut self, input: &TimelineInput, time_up: &mut dyn FnMut() -> bool) -> bool {
        let Some(scale) = self.scene.scale else {
            return true;
        };
        // Never in the first build (see `new`): the compiler leaves their naming out of it.
        let communities = input
            .communities
            .filter(|_| cfg!(feature = "full") && self.by_community);
        while let Some(events) = self.lane_events.get(self.next) {
            let lane = self.next;
            self.next += 1;
            let scene = &mut self.scene;
            // A lane too busy to read mark by mark is drawn as a density strip (see
            // `crate::place::lod`): one row is enough for it, and the axis stays short.
            let in_view = events
                .iter()
                .filter(|&&e| {
                    let w = &input.whens[e];
                    scale.x(w.end_secs as f64) >= scale.x0
                        && scale.x(w.start_secs as f64) <= scale.x1
                })
                .count();
            // A strip's marks are all on its one row: no row per event is made for it.
            let rows = if crate::place::lod::crowded(in_view, MAX_SUBROWS, scale.x1 - scale.x0) {
                self.strips = true;
                Vec::new()
            } else {
                stack(events, input.whens, self.min_secs)
            };
            let n_rows = rows.iter().copied().max().map_or(1, |r| r + 1);
            let height = (n_rows as f64 * SUBROW_PX + 2.0 * LANE_PAD_PX).max(24.0);
            let first_mark = scene.marks.len();
            let row_top = self.y + (height - n_rows as f64 * SUBROW_PX) / 2.0;
            for (k, &e) in events.iter().enumerate() {
                let row = rows.get(k).copied().unwrap_or(0);
                let when = &input.whens[e];
                let kind = MarkKind::of(when);
                let (x0, x1) = match kind {
                    MarkKind::Point => {
                        let x = scale.x(when.mid_secs());
                        (x, x)
                    }
                    _ => {
                        let x0 = scale.x(when.start_secs as f64);
                        let x1 = scale.x(when.end_secs as f64).max(x0 + 4.0);
                        (x0, x1)
                    }
                };
                // Zoomed in: what lies outside the view is not drawn; spans are cut at its edges.
                if x1 < scale.x0 - 1.0 || x0 > scale.x1 + 1.0 {
                    continue;
                }
                let (x0, x1) = match kind {
                    MarkKind::Point => (x0, x1),
                    _ => (x0.max(scale.x0 - 1.0), x1.min(scale.x1 + 1.0)),
                };
                scene.marks.push(Mark {
                    event: e,
                    kind,
                    x0,
                    x1,
                    y: row_top + (row as f64 + 0.5) * SUBROW_PX,
                });
            }
            let owner = self.shown.get(lane).copied();
            let (actor, community, name) = match (owner, &communities) {
                (Some(a), None) => (
                    Some(a),
                    None,
                    input.names.get(a).map_or("?", String::as_str).to_owned(),
                ),
                (Some(c), Some(k)) => (
                    None,
                    Some(c),
                    k.names.get(c).map_or("?", String::as_str).to_owned(),
                ),
                (None, _) => {
                    let n = self.others.iter().filter(|&&o| o).count();
                    let noun = if n == 1 { "actor" } else { "actors" };
                    (None, None, format!("{n} other {noun}"))
                }
            };
            let label_width = scene.label_width;
            let label = match community {
                Some(_) => ellipsize_keeping_count(&name, label_width - 10.0),
                None => ellipsize(&name, AXIS_FONT_PX, label_width - 10.0),
            };
            scene.lanes.push(Lane {
                actor,
                community,
                label,
                y: self.y,
                height,
                marks: first_mark..scene.marks.len(),
            });
            self.y += height;
            if self.next < self.lane_events.len() && time_up() {
                return false;
            }
        }
        true
    }

    /// The axis placed, once [`TimelinePlacing::step`] said all its lanes are.
    pub fn finish(self) -> TimelineScene {
        let mut scene = self.scene;
        // With no dates, the axis alone and room for the key.
        let bottom = match scene.scale {
            Some(_) => self.y + 4.0,
            None => AXIS_HEIGHT_PX + 40.0,
        };
        scene.key = key_layout(scene.width, bottom, self.strips);
        scene.height = bottom + key_height(&scene.key);
        scene
    }
}

impl TimelineScene {
    /// Lays the axis out for `width`, showing `view` (seconds) or, by default, the whole story.
    pub fn place(input: &TimelineInput, width: f64, view: Option<(f64, f64)>) -> TimelineScene {
        let mut placing = TimelinePlacing::new(input, width, view);
        while !placing.step(input, &mut || false) {}
        placing.finish()
    }

    /// Per event: the x and vertical extent of the line that links its marks across lanes
    /// (the x of its first mark), `None` for an event with no mark. Made when first asked for.
    pub fn links(&self) -> &[Option<(f64, f64, f64)>] {
        self.links.get_or_init(|| {
            let mut links: Vec<Option<(f64, f64, f64)>> = vec![None; self.events];
            for m in &self.marks {
                let x = match m.kind {
                    MarkKind::Point => m.x0,
                    _ => (m.x0 + m.x1) / 2.0,
                };
                if let Some(link) = links.get_mut(m.event) {
                    *link = Some(match *link {
                        None => (x, m.y, m.y),
                        Some((lx, top, bottom)) => (lx, top.min(m.y), bottom.max(m.y)),
                    });
                }
            }
            links
        })
    }

    /// Each lane's hit index, made when first asked for.
    fn hit_index(&self) -> &[IntervalIndex] {
        self.hit_index.get_or_init(|| {
            (self.lanes.iter())
                .map(|lane| {
                    IntervalIndex::new(lane.marks.clone().filter_map(|k| {
                        let (a, b) = self.marks.get(k)?.hit_span();
                        Some((a, b, k))
                    }))
                })
                .collect()
        })
    }

    /// The lane under a height, by binary search.
    pub fn lane_at(&self, y: f64) -> Option<usize> {
        let i = self.lanes.partition_point(|l| l.y + l.height <= y);
        self.lanes.get(i).filter(|l| y >= l.y).map(|_| i)
    }

    /// The event under a point, among the visible ones: the narrowest mark wins, so a day
    /// inside a month band can still be picked.
    pub fn hit(&self, x: f64, y: f64, visible: &[bool]) -> Option<usize> {
        let lane = self.lane_at(y)?;
        let index = self.hit_index().get(lane)?;
        // The narrowest wins; between equals, the first of the lane.
        let mut best: Option<(f64, usize)> = None;
        index.visit(x, x, |k| {
            let Some(m) = self.marks.get(k) else {
                return;
            };
            let (a, b) = m.hit_span();
            let width = m.x1 - m.x0;
            if visible.get(m.event).copied().unwrap_or(false)
                && (m.y - y).abs() <= SUBROW_PX * 0.5 + 2.0
                && x >= a
                && x <= b
                && best.is_none_or(|(bw, bk)| width.total_cmp(&bw).then(k.cmp(&bk)).is_lt())
            {
                best = Some((width, k));
            }
        });
        best.and_then(|(_, k)| self.marks.get(k)).map(|m| m.event)
    }

    /// [`TimelineScene::hit`] by scanning the lane's every mark: what the index must agree with.
    #[cfg(test)]
    fn hit_by_scan(&self, x: f64, y: f64, visible: &[bool]) -> Option<usize> {
        let lane = self.lanes.get(self.lane_at(y)?)?;
        self.marks[lane.marks.clone()]
            .iter()
            .filter(|m| visible.get(m.event).copied().unwrap_or(false))
            .filter(|m| (m.y - y).abs() <= SUBROW_PX * 0.5 + 2.0)
            .filter(|m| {
                let (a, b) = m.hit_span();
                x >= a && x <= b
            })
            .min_by(|a, b| (a.x1 - a.x0).total_cmp(&(b.x1 - b.x0)))
            .map(|m| m.event)
    }
}

/// A community's name ("Altman, Brockman + 212") shortened to `max_px` in its names, not
/// its count: how big a community is matters more than its second name.
fn ellipsize_keeping_count(name: &str, max_px: f64) -> String {
    let Some((names, count)) = name.rsplit_once(" + ") else {
        return ellipsize(name, AXIS_FONT_PX, max_px);
    };
    let tail = format!(" + {count}");
    let room = max_px - crate::place::text::text_width(&tail, AXIS_FONT_PX);
    if crate::place::text::text_width(name, AXIS_FONT_PX) <= max_px || room <= 0.0 {
        return ellipsize(name, AXIS_FONT_PX, max_px);
    }
    format!("{}{tail}", ellipsize(names, AXIS_FONT_PX, room))
}

/// The story's span: its first start and its last end (seconds).
pub fn extent(whens: &[When]) -> Option<(i64, i64)> {
    let start = whens.iter().map(|w| w.start_secs).min()?;
    let end = whens.iter().map(|w| w.end_secs).max()?;
    Some((start, end))
}

/// The span to show: the story's ([`extent`]) with a margin, never less than a few days.
pub fn domain(whens: &[When]) -> Option<(f64, f64)> {
    let (start, end) = extent(whens)?;
    let (start, end) = (start as f64, end as f64);
    let span = (end - start).max(4.0 * DAY_SECS as f64);
    let pad = span * 0.04;
    Some((start - pad, start + span + pad))
}

/// Sub-row for each event of a lane: the first row free at its start, capped.
fn stack(events: &[usize], whens: &[When], min_secs: f64) -> Vec<usize> {
    let mut row_ends: Vec<f64> = Vec::new();
    let mut rows = Vec::with_capacity(events.len());
    for &e in events {
        let w = &whens[e];
        let start = w.start_secs as f64;
        let end = (w.end_secs as f64).max(start + min_secs);
        let row = match row_ends.iter().position(|&re| re <= start) {
            Some(r) => r,
            None if row_ends.len() < MAX_SUBROWS => {
                row_ends.push(f64::NEG_INFINITY);
                row_ends.len() - 1
            }
            // Full: share the row that frees up first.
            None => row_ends
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(r, _)| r),
        };
        row_ends[row] = row_ends[row].max(end);
        rows.push(row);
    }
    rows
}

/// True if the week containing `secs` starts on Monday (used by tests).
pub fn is_monday(secs: i64) -> bool {
    civil(secs).date().weekday() == Weekday::Monday
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(s: &str) -> When {
        When::parse(s).unwrap()
    }

    fn scale_over(a: &str, b: &str, width: f64) -> TimeScale {
        TimeScale {
            start_secs: when(a).start_secs as f64,
            end_secs: when(b).end_secs as f64,
            x0: 0.0,
            x1: width,
        }
    }

    #[test]
    fn six_weeks_on_a_wide_axis_tick_weekly_on_mondays() {
        let s = scale_over("2025-10-01", "2025-11-25", 700.0);
        let (step, ticks) = ticks(&s, 58.0);
        assert_eq!(step, Step::Weeks);
        assert!(ticks.iter().all(|t| is_monday(t.secs)));
        assert_eq!(ticks[0].label, "6 Oct 2025");
        assert_eq!(ticks[1].label, "13 Oct");
    }

    #[test]
    fn the_same_span_on_a_phone_ticks_by_month() {
        let s = scale_over("2025-10-01", "2025-11-25", 220.0);
        let (step, ticks) = ticks(&s, 58.0);
        assert_eq!(step, Step::Months(1));
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Oct 2025", "Nov"]);
        // Weeks are still marked, unlabelled, on Mondays.
        let minor = minor_ticks(&s, step);
        assert_eq!(minor.len(), 8);
        assert!(minor.iter().all(|&t| is_monday(t)));
    }

    #[test]
    fn days_hours_and_years() {
        let (step, t) = ticks(&scale_over("2025-11-17", "2025-11-24", 900.0), 58.0);
        assert_eq!(step, Step::Days(1));
        assert_eq!(t[0].label, "17 Nov 2025");
        let (step, t) = ticks(&scale_over("2025-11-18", "2025-11-18", 900.0), 58.0);
        assert_eq!(step, Step::Hours(3));
        assert_eq!(t[1].label, "03:00");
        let (step, t) = ticks(&scale_over("1990", "2025", 600.0), 58.0);
        assert_eq!(step, Step::Years(5));
        assert_eq!(t[0].label, "1990");
    }

    #[test]
    fn the_key_wraps_on_narrow_screens_and_stays_inside() {
        let wide = key_layout(700.0, 0.0, false);
        assert!(
            wide.iter().all(|k| k.y == wide[0].y),
            "one row on a desktop"
        );
        let narrow = key_layout(330.0, 0.0, false);
        assert!(narrow.last().unwrap().y > narrow[0].y, "wraps on a phone");
        // With the strips' entry it wraps rather than runs on (at 556 px it used to be a
        // note at the right, over the key's last entries).
        let strips = key_layout(556.0, 0.0, true);
        assert_eq!(strips.last().unwrap().sample, KeySample::Strip);
        assert!(strips.last().unwrap().y > strips[0].y);
        for (items, width) in [(&narrow, 330.0), (&strips, 556.0)] {
            for k in items {
                let right = k.x
                    + k.sample.width()
                    + 4.0
                    + crate::place::text::text_width(k.label, AXIS_FONT_PX);
                assert!(right <= width, "{} ends at {right}", k.label);
            }
        }
        assert!(key_height(&narrow) > key_height(&wide));
    }

    #[test]
    fn precision_decides_the_mark() {
        assert_eq!(MarkKind::of(&when("2025-11-18")), MarkKind::Point);
        assert_eq!(MarkKind::of(&when("2025-10")), MarkKind::Band);
        assert_eq!(MarkKind::of(&when("2025-10?/2025-11?")), MarkKind::Band);
        assert_eq!(
            MarkKind::of(&when("2025-10-24~/2025-10-26~")),
            MarkKind::Bar
        );
    }

    #[test]
    fn a_month_band_spans_the_month_and_days_sit_inside_it() {
        let whens = [
            when("2025-10"),
            when("2025-10-24/2025-10-26"),
            when("2025-11-18"),
        ];
        let event_actors = EventActors::new(vec![vec![0], vec![0, 1], vec![1]]);
        let input = TimelineInput {
            whens: &whens,
            event_actors: &event_actors,
            names: &["Witkoff".to_owned(), "Dmitriev".to_owned()],
            lane_actors: &[0, 1],
            communities: None,
        };
        let s = TimelineScene::place(&input, 800.0, None);
        let scale = s.scale.unwrap();
        let band = s.marks.iter().find(|m| m.event == 0).unwrap();
        assert_eq!(band.kind, MarkKind::Band);
        assert!((band.x0 - scale.x(when("2025-10-01").start_secs as f64)).abs() < 1e-6);
        assert!((band.x1 - scale.x(when("2025-11-01").start_secs as f64)).abs() < 1e-6);
        // The Miami bar overlaps the band on Witkoff's lane, so it stacks below it.
        let bars: Vec<&Mark> = s.marks.iter().filter(|m| m.event == 1).collect();
        assert_eq!(bars.len(), 2);
        assert!(bars[0].y > band.y);
        // The shared event is linked across both lanes.
        let (_, top, bottom) = s.links()[1].unwrap();
        assert!(bottom - top > 20.0);
        // Picking: the bar wins over the band it sits in, the point on its lane.
        let visible = [true; 3];
        assert_eq!(s.hit(bars[0].x0 + 2.0, bars[0].y, &visible), Some(1));
        assert_eq!(s.hit(band.x0 + 5.0, band.y, &visible), Some(0));
        let point = s.marks.iter().find(|m| m.event == 2).unwrap();
        assert_eq!(s.hit(point.x0 + 3.0, point.y, &visible), Some(2));
        assert_eq!(s.hit(point.x0 + 3.0, point.y, &[true, true, false]), None);
        assert_eq!(s.lane_at(1.0), None);
    }

    #[test]
    fn a_zoomed_view_recomputes_ticks_and_cuts_what_lies_outside() {
        let whens = [
            when("2025-10"),
            when("2025-11-18"),
            when("2025-11-22/2025-11-23"),
        ];
        let event_actors = EventActors::new(vec![vec![0], vec![0], vec![0]]);
        let names = ["Rubio".to_owned()];
        let input = TimelineInput {
            whens: &whens,
            event_actors: &event_actors,
            names: &names,
            lane_actors: &[0],
            communities: None,
        };
        let view = (
            when("2025-11-17").start_secs as f64,
            when("2025-11-24").start_secs as f64,
        );
        let s = TimelineScene::place(&input, 800.0, Some(view));
        assert_eq!(s.step, Some(Step::Days(1)));
        assert_eq!(s.ticks[0].label, "17 Nov 2025");
        // October is outside the week shown: no mark for it.
        let events: Vec<usize> = s.marks.iter().map(|m| m.event).collect();
        assert_eq!(events, [1, 2]);
        let scale = s.scale.unwrap();
        assert!(
            s.marks
                .iter()
                .all(|m| m.x0 >= scale.x0 - 1.0 && m.x1 <= scale.x1 + 1.0)
        );
    }

    #[test]
    fn actors_beyond_the_cap_share_one_lane() {
        let n = MAX_LANES + 5;
        let whens: Vec<When> = (0..n).map(|_| when("2025-10-10")).collect();
        let event_actors = EventActors::new((0..n).map(|i| vec![i]));
        let names: Vec<String> = (0..n).map(|i| format!("Actor {i}")).collect();
        let lane_actors: Vec<usize> = (0..n).collect();
        let input = TimelineInput {
            whens: &whens,
            event_actors: &event_actors,
            names: &names,
            lane_actors: &lane_actors,
            communities: None,
        };
        let s = TimelineScene::place(&input, 600.0, None);
        assert_eq!(s.lanes.len(), MAX_LANES + 1);
        let last = s.lanes.last().unwrap();
        assert_eq!(last.actor, None);
        assert_eq!(last.label, "5 other actors");
        assert_eq!(last.marks.len(), 5);
    }

    // Only the full build finds communities and gives them lanes.
    #[cfg(feature = "full")]
    #[test]
    fn with_communities_each_takes_a_lane_of_its_members_events_once() {
        // Actors 0 and 1 in community 1, actor 2 in community 0, actor 3 in community 2,
        // actor 4 alone in community 3, which has no lane.
        let of = [1u32, 1, 0, 2, 3];
        let names = [
            "Cy".to_owned(),
            "Ann, Bob".to_owned(),
            "Di".to_owned(),
            "Ed".to_owned(),
        ];
        let whens = [
            when("2025-10-01"),
            when("2025-10-05"),
            when("2025-10-09"),
            when("2025-10-12"),
        ];
        // Two members of one community at one event: once on its lane.
        let event_actors = EventActors::new(vec![vec![0, 1], vec![1, 2], vec![3], vec![4, 0]]);
        let actor_names: Vec<String> = (0..5).map(|i| format!("Actor {i}")).collect();
        let input = TimelineInput {
            whens: &whens,
            event_actors: &event_actors,
            names: &actor_names,
            lane_actors: &[0, 1, 2, 3, 4],
            communities: Some(CommunityLanes {
                of: &of,
                order: &[1, 0, 2],
                names: &names,
            }),
        };
        let s = TimelineScene::place(&input, 800.0, None);
        let lanes: Vec<(Option<usize>, Option<usize>, &str)> = s
            .lanes
            .iter()
            .map(|l| (l.actor, l.community, l.label.as_str()))
            .collect();
        assert_eq!(
            lanes,
            [
                (None, Some(1), "Ann, Bob"),
                (None, Some(0), "Cy"),
                (None, Some(2), "Di"),
                // Ed's event is on the axis, on the shared lane.
                (None, None, "1 other actor"),
            ]
        );
        let events_on = |k: usize| -> Vec<usize> {
            s.marks[s.lanes[k].marks.clone()]
                .iter()
                .map(|m| m.event)
                .collect()
        };
        assert_eq!(events_on(0), [0, 1, 3]);
        assert_eq!(events_on(1), [1]);
        assert_eq!(events_on(2), [2]);
        assert_eq!(events_on(3), [3]);
        // The event of two communities is linked across their lanes.
        assert!(s.links()[1].is_some_and(|(_, top, bottom)| bottom > top));
    }

    // Only the full build finds communities and gives them lanes.
    #[cfg(feature = "full")]
    #[test]
    fn communities_beyond_the_cap_share_one_lane() {
        let n = MAX_LANES + 3;
        let of: Vec<u32> = (0..n as u32).collect();
        let names: Vec<String> = (0..n).map(|c| format!("Community {c}")).collect();
        let whens: Vec<When> = (0..n).map(|_| when("2025-10-10")).collect();
        // Each event has an actor of the last communities too: the shared lane has it once.
        let event_actors = EventActors::new((0..n).map(|i| vec![i, n - 1, n - 2]));
        let order: Vec<usize> = (0..n).collect();
        let input = TimelineInput {
            whens: &whens,
            event_actors: &event_actors,
            names: &names,
            lane_actors: &order,
            communities: Some(CommunityLanes {
                of: &of,
                order: &order,
                names: &names,
            }),
        };
        let s = TimelineScene::place(&input, 600.0, None);
        assert_eq!(s.lanes.len(), MAX_LANES + 1);
        let last = s.lanes.last().unwrap();
        assert_eq!((last.actor, last.community), (None, None));
        assert_eq!(last.label, "3 other actors");
        assert_eq!(last.marks.len(), n);
    }

    #[test]
    fn a_long_community_name_keeps_its_count() {
        let name = "Yusuf Dunmore 4, Ines Jansen 1 + 1420";
        let short = ellipsize_keeping_count(name, 140.0);
        assert!(short.ends_with("… + 1420"), "{short}");
        assert!(crate::place::text::text_width(&short, AXIS_FONT_PX) <= 140.0);
        assert_eq!(ellipsize_keeping_count("Cy, Di", 140.0), "Cy, Di");
    }

    #[test]
    fn the_hit_index_agrees_with_a_scan_of_the_lane() {
        let text = crate::write::generate::generate(200, 3000, 5);
        let app = crate::view::app::App::from_json("g.json", &text).unwrap();
        let input = TimelineInput {
            whens: &app
                .story()
                .events
                .iter()
                .map(|e| e.when)
                .collect::<Vec<_>>(),
            event_actors: &EventActors::new(app.story().events.iter().map(|e| &e.actors)),
            names: &app
                .story()
                .actors
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>(),
            lane_actors: &(0..app.story().actors.len()).collect::<Vec<_>>(),
            communities: None,
        };
        let visible: Vec<bool> = (0..app.story().events.len()).map(|e| e % 5 != 0).collect();
        for width in [700.0, 3000.0] {
            let s = TimelineScene::place(&input, width, None);
            let mut checked = 0;
            for m in s.marks.iter().step_by(3) {
                for dx in [-8.0, -3.0, -0.5, 0.0, 0.7, 2.0, 6.9, 7.5] {
                    for dy in [-6.0, 0.0, 3.0, 8.5] {
                        let (x, y) = (m.x0 + dx, m.y + dy);
                        assert_eq!(s.hit(x, y, &visible), s.hit_by_scan(x, y, &visible));
                        checked += 1;
                    }
                }
            }
            assert!(checked > 1000);
        }
    }
}
