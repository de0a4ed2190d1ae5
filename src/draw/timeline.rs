//! The time axis's picture: the axis and its ticks, lane shades, the time window, each
//! lane's marks or density strip, the links between an event's marks, the key, and the
//! rings of the pointer and the keyboard on the layer above.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{DrawingBackend, FontStyle};

use super::{Drawn, Frame, Pen, Theme, theme};
use crate::place::network::Rect;
use crate::place::text::{AXIS_FONT_PX, text_width};
use crate::place::timeline::{AXIS_HEIGHT_PX, KeySample, Lane, Mark, MarkKind};
use crate::place::{Hover, Target};
use crate::story::model::{Rgb, Shape};

/// Paints the time axis: ticks, lanes, links between an event's lanes, marks and a key.
pub fn draw_timeline<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.timeline;
    let d = &f.emphasis;
    pen.clear(scene.width, scene.height, t.background)?;
    let Some(scale) = scene.scale else {
        return pen.text(
            "No dated events",
            (scene.width / 2.0, AXIS_HEIGHT_PX + 20.0),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Center, VPos::Center),
        );
    };
    let lanes_bottom = scene
        .lanes
        .last()
        .map_or(AXIS_HEIGHT_PX, |l| l.y + l.height);
    for (i, lane) in scene.lanes.iter().enumerate() {
        if i % 2 == 0 {
            pen.rect(
                Rect {
                    x: 0.0,
                    y: lane.y,
                    w: scene.width,
                    h: lane.height,
                },
                t.lane_shade,
                1.0,
                true,
            )?;
        }
    }
    if let Some((start_secs, end_secs)) = f.window {
        let x0 = scale.x(start_secs as f64).max(scale.x0);
        let x1 = scale.x(end_secs as f64).min(scale.x1);
        if x1 > x0 {
            pen.rect(
                Rect {
                    x: x0,
                    y: AXIS_HEIGHT_PX,
                    w: x1 - x0,
                    h: lanes_bottom - AXIS_HEIGHT_PX,
                },
                t.window_shade,
                0.45,
                true,
            )?;
            // Handles on the edges say they can be dragged.
            for x in [x0, x1] {
                pen.line((x, AXIS_HEIGHT_PX), (x, lanes_bottom), t.ink, 0.7, 1.5)?;
                let mid = (AXIS_HEIGHT_PX + lanes_bottom) / 2.0;
                let grip = Rect {
                    x: x - 3.0,
                    y: mid - 10.0,
                    w: 6.0,
                    h: 20.0,
                };
                pen.rect(grip, t.background, 1.0, true)?;
                pen.rect(grip, t.ink, 0.8, false)?;
            }
        }
    }
    for &minor in &scene.minor {
        let x = scale.x(minor as f64);
        pen.line((x, AXIS_HEIGHT_PX), (x, lanes_bottom), t.grid, 0.6, 1.0)?;
    }
    // Lines, then labels: a text between two lines would end their path.
    for tick in &scene.ticks {
        let x = scale.x(tick.secs as f64);
        let rgb = if tick.major { t.grid_major } else { t.grid };
        pen.line((x, AXIS_HEIGHT_PX - 5.0), (x, lanes_bottom), rgb, 1.0, 1.0)?;
    }
    pen.line(
        (scene.label_width, AXIS_HEIGHT_PX),
        (scene.width, AXIS_HEIGHT_PX),
        t.grid_major,
        1.0,
        1.0,
    )?;
    for tick in &scene.ticks {
        let x = scale.x(tick.secs as f64);
        let half = text_width(&tick.label, AXIS_FONT_PX) / 2.0;
        // Keep the first and last labels on the canvas.
        let cx = crate::place::network::clamp(
            x,
            scale.x0.min(x) + half.min(x - scene.label_width),
            scene.width - half - 2.0,
        );
        pen.text(
            &tick.label,
            (cx, AXIS_HEIGHT_PX - 9.0),
            AXIS_FONT_PX,
            t.muted,
            1.0,
            FontStyle::Normal,
            (HPos::Center, VPos::Bottom),
        )?;
    }
    let lane_rgb = |lane: &Lane| lane_color(f, t, lane);
    // A lane's marker and name fade when its actor has no event in view.
    let lane_alpha = |lane: &Lane| {
        lane.actor
            .map_or(1.0, |a| if d.visible_actors[a] { 1.0 } else { 0.35 })
    };
    for lane in &scene.lanes {
        let mid = lane.y + lane.height / 2.0;
        let shape = lane.actor.map_or(Shape::Circle, |a| f.story.actor_shape(a));
        pen.shape(
            shape,
            (10.0, mid),
            4.0,
            lane_rgb(lane),
            lane_alpha(lane),
            true,
            1.0,
        )?;
    }
    // A community's lane is bold when it holds a selected actor, as an actor's is when
    // selected.
    let holds_selected = |c: usize| {
        f.communities.is_some_and(|k| {
            (f.selected.iter()).any(|&a| k.overview.of.get(a).is_some_and(|&o| o as usize == c))
        })
    };
    for lane in &scene.lanes {
        let mid = lane.y + lane.height / 2.0;
        let alpha = lane_alpha(lane);
        let style = match (lane.actor, lane.community) {
            (Some(a), _) if f.selected.contains(&a) => FontStyle::Bold,
            (None, Some(c)) if holds_selected(c) => FontStyle::Bold,
            _ => FontStyle::Normal,
        };
        pen.text(
            &lane.label,
            (19.0, mid),
            AXIS_FONT_PX,
            t.ink,
            alpha,
            style,
            (HPos::Left, VPos::Center),
        )?;
    }
    let focus = f.emphasis.focused;
    let event_alpha = |e: usize| f.emphasis.event_alpha(e);
    let lanes = f.plan.lane_marks();
    let (crowded, strips) = (&lanes.crowded, &lanes.strips);
    // Links between an event's lanes, where its marks are drawn one by one and few enough
    // that the lines can be told apart.
    let sparse = crowded.iter().all(|c| !c);
    let visible_events = d.visible_event_count;
    // Past the limit only the focused event's link is drawn: no walk over every event.
    let all = sparse && visible_events <= LINKS_MAX;
    let links = if all || focus.is_some() {
        scene.links()
    } else {
        &[]
    };
    let every = if all { links.len() } else { 0 };
    for e in (0..every).chain(focus.filter(|_| !all)) {
        let Some(&Some((x, top, bottom))) = links.get(e) else {
            continue;
        };
        if d.visible_events[e] && bottom > top {
            pen.line((x, top), (x, bottom), t.muted, 0.55 * event_alpha(e), 1.0)?;
        }
    }
    // Lanes never overlap, so what they draw is painted across lanes, grouped by look: each
    // look then takes one path, not one per lane or per change of certainty in a lane. First
    // the density strips, by colour and shade.
    let mut shaded: Vec<(Rgb, &Lane, &[crate::place::lod::Run])> = scene
        .lanes
        .iter()
        .zip(strips)
        .filter_map(|(lane, strip)| Some((lane_rgb(lane), lane, strip.as_deref()?)))
        .collect();
    crate::story::order::sort_by_keys(&mut shaded, |(rgb, ..)| [Rgb::key(*rgb), 0, 0]);
    for level in 1..=crate::place::lod::LEVELS {
        for &(rgb, lane, runs) in &shaded {
            let (top, h) = (lane.y + 3.0, lane.height - 6.0);
            for r in runs.iter().filter(|r| r.level == level) {
                let rect = Rect {
                    x: r.x0,
                    y: top,
                    w: r.x1 - r.x0,
                    h,
                };
                pen.rect(rect, rgb, crate::place::lod::level_alpha(level), true)?;
            }
        }
    }
    // Then the marks drawn one by one, in the order `lane_marks` found: kind by kind (widest
    // first), here pass by pass.
    for kind in crate::place::lod::MARK_KINDS {
        for pass in Pass::ALL {
            for &(m, lane) in &lanes.singles {
                let (m, lane) = (&scene.marks[m as usize], &scene.lanes[lane as usize]);
                if m.kind == kind {
                    draw_mark(f, pen, m, lane_rgb(lane), event_alpha(m.event), pass)?;
                }
            }
        }
    }
    draw_key(pen, t, &scene.key)
}

/// The marks of the pointer and the keyboard on the time axis: a ring around each mark of the
/// event under the pointer, the keyboard's focus ring around the keyboard's event, and in a
/// density strip the mark itself. In the browser they go on a transparent layer above the
/// picture, so moving them repaints a few rings, not every lane.
pub fn draw_timeline_marks<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.timeline;
    if scene.scale.is_none() {
        return Ok(());
    }
    let lanes = f.plan.lane_marks();
    let hovered = match f.hover {
        Some(Hover::Event(e)) => Some(e),
        _ => None,
    };
    let keyboard = match f.keyboard.0 {
        Some(Target::Timeline) => f.keyboard.2,
        _ => None,
    };
    for (e, by_keyboard) in [(hovered, false), (keyboard, true)] {
        let Some(actors) = e.and_then(|e| f.story.events.get(e)).map(|ev| &ev.actors) else {
            continue;
        };
        for (k, lane) in scene.lanes.iter().enumerate() {
            // A lane of its own actor's events only (the last lane gathers the rest).
            if lane.actor.is_some_and(|a| !actors.contains(&a)) {
                continue;
            }
            let crowded = lanes.crowded.get(k).copied().unwrap_or(false);
            let rgb = lane_color(f, t, lane);
            let marks = lanes.visible.get(k).map_or(&[][..], |v| &v[..]);
            for m in marks.iter().map(|&i| &scene.marks[i as usize]) {
                if Some(m.event) != e {
                    continue;
                }
                // A strip shows densities, not marks: the one pointed at is drawn here.
                if crowded && f.emphasis.focused != Some(m.event) {
                    let alpha = f.emphasis.event_alpha(m.event);
                    for pass in Pass::ALL {
                        draw_mark(f, pen, m, rgb, alpha, pass)?;
                    }
                }
                mark_ring(pen, t, m, by_keyboard)?;
            }
        }
    }
    Ok(())
}

/// A lane's colour: its actor's, its community's (its members' most common), or muted for
/// the lane shared by the rest.
fn lane_color(f: &Frame, t: &Theme, lane: &Lane) -> Rgb {
    let community = || {
        let c = lane.community?;
        f.communities?.colors.get(c).copied()
    };
    match lane.actor {
        Some(a) => f.story.actor_color(a),
        None => community().unwrap_or(t.muted),
    }
}

/// Links between an event's marks are drawn up to this many visible events.
const LINKS_MAX: usize = 1500;

/// Marks are painted in passes (all fills, all outlines, then each glyph) so a batching
/// backend merges each pass into few calls: a text between two outlines would end the
/// outlines' path, and a glyph of the other kind would set the font again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Fill,
    Outline,
    /// "~" before an approximate date's mark.
    Approximate,
    /// "?" after an uncertain date's mark.
    Uncertain,
}

impl Pass {
    const ALL: [Pass; 4] = [
        Pass::Fill,
        Pass::Outline,
        Pass::Approximate,
        Pass::Uncertain,
    ];
}

fn draw_mark<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    m: &Mark,
    rgb: Rgb,
    alpha: f64,
    pass: Pass,
) -> Drawn<DB> {
    let t = theme(f);
    let when = &f.story.events[m.event].when;
    // An uncertain span reads as "somewhere in here": lighter than what is known.
    let shape_alpha = if when.uncertain && m.kind != MarkKind::Point {
        alpha * 0.6
    } else {
        alpha
    };
    let look = Look {
        kind: m.kind,
        span: (m.x0, m.x1, m.y),
        rgb,
        alpha: shape_alpha,
        approximate: when.approximate,
    };
    match pass {
        Pass::Fill => mark_fill(pen, t, &look),
        Pass::Outline => {
            mark_outline(pen, &look)?;
            if f.emphasis.focused == Some(m.event) {
                mark_ring(pen, t, m, false)?;
            }
            Ok(())
        }
        Pass::Approximate if when.approximate => pen.text(
            "~",
            (m.x0 - 6.0, m.y),
            AXIS_FONT_PX + 1.0,
            t.ink,
            alpha,
            FontStyle::Bold,
            (HPos::Right, VPos::Center),
        ),
        Pass::Uncertain if when.uncertain => {
            let x = if m.kind == MarkKind::Point {
                m.x0 + 7.0
            } else {
                m.x1 + 3.0
            };
            pen.text(
                "?",
                (x, m.y),
                AXIS_FONT_PX,
                t.ink,
                alpha,
                FontStyle::Bold,
                (HPos::Left, VPos::Center),
            )
        }
        Pass::Approximate | Pass::Uncertain => Ok(()),
    }
}

/// A ring around a mark: the focused event's in ink; the keyboard's in the focus colour and
/// wider, so it shows beside the focused one.
fn mark_ring<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    t: &Theme,
    m: &Mark,
    keyboard: bool,
) -> Drawn<DB> {
    // The keyboard's ring is in the focus colour and wider, so it shows beside a selection.
    let (rgb, pad, width) = if keyboard {
        (t.focus, 4.5, 2.5)
    } else {
        (t.ink, 2.5, 2.0)
    };
    match m.kind {
        MarkKind::Point => pen.circle(
            (m.x0, m.y),
            Mark::POINT_RADIUS_PX + pad,
            rgb,
            1.0,
            false,
            width,
        )?,
        _ => {
            let r = Rect {
                x: m.x0 - pad,
                y: m.y - 3.5 - pad,
                w: m.x1 - m.x0 + 2.0 * pad,
                h: 7.0 + 2.0 * pad,
            };
            pen.rect(r, rgb, 1.0, false)?;
            if keyboard {
                let inner = Rect {
                    x: r.x + 1.0,
                    y: r.y + 1.0,
                    w: r.w - 2.0,
                    h: r.h - 2.0,
                };
                pen.rect(inner, rgb, 1.0, false)?;
            }
        }
    }
    Ok(())
}

/// How one mark's shape is drawn: its kind, where (`x0`, `x1`, `y`, CSS px), its colour and
/// opacity, and whether its date is approximate.
struct Look {
    kind: MarkKind,
    span: (f64, f64, f64),
    rgb: Rgb,
    alpha: f64,
    approximate: bool,
}

impl Look {
    /// A point's centre (a span's start, at its lane's middle).
    fn centre(&self) -> (f64, f64) {
        (self.span.0, self.span.2)
    }

    fn rect(&self) -> Rect {
        span_rect(self.kind, self.span)
    }
}

/// The shape alone: shared by the marks and the key, so the key shows exactly what is drawn.
fn mark_shape<DB: DrawingBackend>(pen: &mut Pen<DB>, t: &Theme, look: &Look) -> Drawn<DB> {
    mark_fill(pen, t, look)?;
    mark_outline(pen, look)
}

/// The box of a span mark.
fn span_rect(kind: MarkKind, (x0, x1, y): (f64, f64, f64)) -> Rect {
    let half = if kind == MarkKind::Band { 4.5 } else { 3.5 };
    Rect {
        x: x0,
        y: y - half,
        w: x1 - x0,
        h: 2.0 * half,
    }
}

/// The inside of a mark: a dot, a band's tint, a bar.
fn mark_fill<DB: DrawingBackend>(pen: &mut Pen<DB>, t: &Theme, look: &Look) -> Drawn<DB> {
    let (centre, alpha, r) = (look.centre(), look.alpha, Mark::POINT_RADIUS_PX);
    match look.kind {
        MarkKind::Point if look.approximate => {
            pen.circle(centre, r, t.background, alpha, true, 1.0)
        }
        MarkKind::Point => pen.circle(centre, r, look.rgb, alpha, true, 1.0),
        MarkKind::Band => pen.rect(look.rect(), look.rgb, 0.22 * alpha, true),
        MarkKind::Bar => {
            let a = if look.approximate { 0.5 } else { 0.9 };
            pen.rect(look.rect(), look.rgb, a * alpha, true)
        }
    }
}

/// The edge of a mark: a ring for an approximate day, a frame (dashed when approximate).
fn mark_outline<DB: DrawingBackend>(pen: &mut Pen<DB>, look: &Look) -> Drawn<DB> {
    let (rgb, alpha) = (look.rgb, look.alpha);
    match look.kind {
        MarkKind::Point if look.approximate => pen.circle(
            look.centre(),
            Mark::POINT_RADIUS_PX - 0.5,
            rgb,
            alpha,
            false,
            2.0,
        ),
        MarkKind::Point => Ok(()),
        _ if look.approximate => pen.dashed_rect(look.rect(), rgb, alpha),
        MarkKind::Band => pen.rect(look.rect(), rgb, alpha, false),
        MarkKind::Bar => Ok(()),
    }
}

/// The key to the marks, drawn with the same shapes as the marks themselves.
fn draw_key<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    t: &Theme,
    key: &[crate::place::timeline::KeyItem],
) -> Drawn<DB> {
    for k in key {
        let (x, y) = (k.x, k.y);
        let w = k.sample.width();
        match k.sample {
            KeySample::Mark(kind) => {
                // A point's sample stands 5 px in, where a span's starts.
                let span = if kind == MarkKind::Point {
                    (x + 5.0, x + 5.0, y)
                } else {
                    (x, x + w, y)
                };
                let look = Look {
                    kind,
                    span,
                    rgb: t.muted,
                    alpha: 1.0,
                    approximate: false,
                };
                mark_shape(pen, t, &look)?
            }
            KeySample::Strip => {
                // The shades of a strip, lightest to darkest, side by side.
                let levels = crate::place::lod::LEVELS;
                let part = w / levels as f64;
                for level in 1..=levels {
                    let rect = Rect {
                        x: x + part * (level - 1) as f64,
                        y: y - 5.0,
                        w: part,
                        h: 10.0,
                    };
                    pen.rect(rect, t.muted, crate::place::lod::level_alpha(level), true)?;
                }
            }
            KeySample::Glyph(g) => pen.text(
                g,
                (x + 4.0, y),
                AXIS_FONT_PX + 1.0,
                t.ink,
                1.0,
                FontStyle::Bold,
                (HPos::Center, VPos::Center),
            )?,
        }
        pen.note(k.label, (x + w + 4.0, y), t)?;
    }
    Ok(())
}
