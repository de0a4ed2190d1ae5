//! The network's picture: ties, relations with their labels, nodes in their groups, names,
//! and the rings of the pointer and the keyboard on the layer above.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{DrawingBackend, FontStyle};

use super::{DIM, Drawn, Frame, Pen, Theme, theme};
use crate::place::network::Rect;
use crate::place::text::{AXIS_FONT_PX, LABEL_FONT_PX, RELATION_FONT_PX, text_width};
use crate::place::{Hover, Target, overview};

/// Paints the network: co-participation edges, relations (dashed), nodes, labels.
///
/// Elements are drawn grouped by style (dim before bright), so a batching backend paints each
/// group in one call; off-screen elements are skipped and a crowded picture keeps only its
/// strongest ties (see [`crate::place::lod`]), saying so in a caption.
pub fn draw_network<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.network;
    pen.clear(scene.width, scene.height, t.background)?;
    // Not placed yet (no size): nothing to draw but the background.
    if scene.x.len() != f.story.actors.len() {
        return Ok(());
    }
    let shown = |a: usize| scene.is_shown(a);
    const LEVEL_ALPHA: [f64; 3] = [1.0, DIM, DIM * 0.6];
    let emphasis = |a: usize| LEVEL_ALPHA[f.emphasis.level(a)];
    let at = |a: usize| (scene.x[a], scene.y[a]);
    // A tie's end: an actor, or past the actors an overview's mark.
    let n = scene.x.len();
    let end = |a: usize| match a.checked_sub(n).and_then(|i| f.marks.marks.get(i)) {
        Some(m) => (m.x, m.y),
        None => at(a),
    };
    let crosses = |a, b| {
        crate::place::network::beyond(scene, a) & crate::place::network::beyond(scene, b) == 0
    };
    let paint = f.plan.network_paint();
    const WIDTHS: usize = crate::place::lod::TIE_WIDTHS;
    // Many ties: one-pixel lines (which canvases draw far faster than wide ones), the weight
    // told by opacity instead of width, so a dense network is not a grey slab.
    let hairlines = paint.ties.drawn() > crate::place::lod::WIDE_EDGES_MAX;
    for lvl in (0..3).rev() {
        for class in 0..WIDTHS {
            let (alpha, width) = if hairlines {
                let weight = 0.3 + 0.7 * class as f64 / (WIDTHS - 1) as f64;
                (0.6 * LEVEL_ALPHA[lvl] * weight, 1.0)
            } else {
                (0.6 * LEVEL_ALPHA[lvl], (1.0 + 1.2 * class as f64).min(6.0))
            };
            for &(a, b) in &paint.ties.buckets[lvl * WIDTHS + class] {
                pen.line(end(a as usize), end(b as usize), t.edge, alpha, width)?;
            }
        }
    }
    // Until the overview comes, its actors alone.
    let relations: Vec<usize> = (0..f.story.relations.len())
        .filter(|_| !f.overview_coming)
        .filter(|&k| {
            let r = &f.story.relations[k];
            shown(r.from) && shown(r.to) && crosses(at(r.from), at(r.to))
        })
        .collect();
    // Dashes are drawn as short segments: past a few hundred relations, solid hairlines.
    let dashed = relations.len() <= crate::place::lod::DASHED_RELATIONS_MAX;
    let alpha = |r: &crate::story::model::Relation| 0.9 * emphasis(r.from).min(emphasis(r.to));
    for &k in &relations {
        let r = &f.story.relations[k];
        if dashed {
            pen.dashed(at(r.from), at(r.to), t.relation, alpha(r), 1.5, 4.0)?;
        } else {
            pen.line(at(r.from), at(r.to), t.relation, alpha(r), 1.0)?;
        }
    }
    // Labels over all the lines, their backgrounds before their texts: a text between two
    // lines would end the lines' path (and a line drawn later would cross an earlier label).
    let labelled: Vec<(&crate::story::model::Relation, Rect)> = relations
        .iter()
        .filter_map(|&k| {
            let label = scene.relation_labels.get(k).copied().flatten()?;
            Some((&f.story.relations[k], label.rect))
        })
        .collect();
    for &(r, rect) in &labelled {
        pen.rect(rect, t.background, 0.85 * alpha(r), true)?;
    }
    for &(r, rect) in &labelled {
        let mid = (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0);
        pen.text(
            &r.label,
            mid,
            RELATION_FONT_PX,
            t.relation,
            alpha(r),
            FontStyle::Italic,
            (HPos::Center, VPos::Center),
        )?;
    }
    draw_marks(f, pen, &paint, &LEVEL_ALPHA)?;
    draw_nodes(f, pen, t, &paint, &LEVEL_ALPHA)?;
    if !f.overview_coming {
        draw_node_labels(f, pen, t, &emphasis)?;
    }
    draw_mark_labels(f, pen, t, &paint, &LEVEL_ALPHA)?;
    let left_out = paint.ties.left_out;
    let caption = if f.overview_coming {
        Some(format!(
            "Finding the communities of {} actors…",
            grouped(f.story.actors.len())
        ))
    } else if left_out > 0 {
        let drawn = paint.ties.drawn();
        Some(format!(
            "Showing the {} strongest of {} ties here; zoom in for the rest",
            grouped(drawn),
            grouped(drawn + left_out)
        ))
    } else {
        None
    };
    if let Some(caption) = caption {
        let w = text_width(&caption, AXIS_FONT_PX) + 8.0;
        let r = Rect {
            x: 4.0,
            y: scene.height - 20.0,
            w,
            h: 16.0,
        };
        pen.rect(r, t.background, 0.85, true)?;
        pen.note(&caption, (r.x + 4.0, r.y + r.h / 2.0), t)?;
    }
    Ok(())
}

/// The overview's marks (or the collapsed groups'), biggest first: each a disc of its
/// community's colour, see-through so the ties under it show, with a rim.
fn draw_marks<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    paint: &crate::place::lod::NetworkPaint,
    level_alpha: &[f64; 3],
) -> Drawn<DB> {
    let Some(communities) = f.marks.communities.as_ref() else {
        return Ok(());
    };
    for (i, m) in f.marks.marks.iter().enumerate() {
        let level = paint.mark_levels.get(i).copied().unwrap_or(0);
        let alpha = level_alpha[usize::from(level).min(2)];
        let rgb = (communities.colors.get(m.community as usize))
            .copied()
            .unwrap_or(crate::story::model::Rgb(0x80, 0x80, 0x80));
        pen.circle((m.x, m.y), m.r, rgb, 0.45 * alpha, true, 1.0)?;
        pen.circle((m.x, m.y), m.r, rgb, 0.9 * alpha, false, 1.5)?;
    }
    Ok(())
}

/// The names of the marks that have room for one, on a background of their own, and a
/// caption that says the picture is an overview, or has collapsed groups.
fn draw_mark_labels<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    t: &Theme,
    paint: &crate::place::lod::NetworkPaint,
    level_alpha: &[f64; 3],
) -> Drawn<DB> {
    let Some(partition) = f.marks.partition().filter(|_| !f.marks.marks.is_empty()) else {
        return Ok(());
    };
    let labelled =
        || (f.marks.marks.iter().enumerate()).filter_map(|(i, m)| Some((i, m, m.label?)));
    for (_, _, rect) in labelled() {
        pen.rect(rect, t.background, 0.8, true)?;
    }
    for (i, m, rect) in labelled() {
        let level = paint.mark_levels.get(i).copied().unwrap_or(0);
        pen.text(
            &f.marks.label(m),
            (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0),
            LABEL_FONT_PX,
            t.ink,
            level_alpha[usize::from(level).min(2)].max(0.35),
            FontStyle::Normal,
            (HPos::Center, VPos::Center),
        )?;
    }
    let closed: u32 = f.marks.marks.iter().map(|m| m.members).sum();
    let (marks, closed) = (grouped(f.marks.marks.len()), grouped(closed as usize));
    let caption = match partition {
        overview::Partition::Communities => {
            format!("{marks} communities of {closed} actors: click or zoom in to open")
        }
        overview::Partition::Groups if f.marks.marks.len() == 1 => {
            format!("1 group collapsed ({closed} actors): click it to expand it")
        }
        overview::Partition::Groups => {
            format!("{marks} groups collapsed ({closed} actors): click one to expand it")
        }
    };
    let w = text_width(&caption, AXIS_FONT_PX) + 8.0;
    let r = Rect {
        x: 4.0,
        y: 4.0,
        w,
        h: 16.0,
    };
    pen.rect(r, t.background, 0.85, true)?;
    pen.note(&caption, (r.x + 4.0, r.y + r.h / 2.0), t)
}

/// The nodes in the groups `paint` found (dim first), fills then outlines per group, then the
/// rings of the selection on top of everything.
fn draw_nodes<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    t: &Theme,
    paint: &crate::place::lod::NetworkPaint,
    level_alpha: &[f64; 3],
) -> Drawn<DB> {
    let scene = &f.network;
    let on_screen = paint.nodes_on_screen();
    let crowded = on_screen > crate::place::lod::CROWDED_NODES;
    let at = |a: usize| (scene.x[a], scene.y[a]);
    for group in &paint.nodes {
        let (rgb, shape) = (group.color, group.shape);
        let alpha = level_alpha[group.level];
        for a in group.members.iter().map(|&a| a as usize) {
            let r = scene.radius[a];
            // A few pixels across, or packed by the thousand, a shape cannot be told from a
            // square: the square is the cheapest thing a canvas fills, and the colour still
            // tells the group.
            if crowded || r < crate::place::lod::TINY_NODE_PX {
                let rect = Rect {
                    x: scene.x[a] - r,
                    y: scene.y[a] - r,
                    w: 2.0 * r,
                    h: 2.0 * r,
                };
                pen.rect(rect, rgb, alpha, true)?;
            } else {
                pen.shape(shape, at(a), r, rgb, alpha, true, 1.0)?;
            }
        }
        if !crowded {
            for a in group
                .members
                .iter()
                .map(|&a| a as usize)
                .filter(|&a| scene.radius[a] >= crate::place::lod::TINY_NODE_PX)
            {
                pen.shape(
                    shape,
                    at(a),
                    scene.radius[a],
                    t.background,
                    alpha,
                    false,
                    1.5,
                )?;
            }
        }
    }
    for &a in f.selected {
        if scene.on_screen(a) {
            pen.circle(at(a), scene.radius[a] + 4.5, t.ink, 1.0, false, 2.5)?;
        }
    }
    Ok(())
}

/// The marks of the pointer and the keyboard over the network: a ring around the actor
/// under the pointer and the keyboard's focus ring. In the browser they go on a transparent
/// layer above the picture, so moving them repaints a few rings, not the whole network.
pub fn draw_network_marks<DB: DrawingBackend>(f: &Frame, pen: &mut Pen<DB>) -> Drawn<DB> {
    let t = theme(f);
    let scene = &f.network;
    if scene.x.len() != f.story.actors.len() {
        return Ok(());
    }
    let at = |a: usize| (scene.x[a], scene.y[a]);
    let shown = |a: usize| a < scene.x.len() && scene.is_shown(a);
    if let Some(Hover::Actor(a)) = f.hover
        && shown(a)
    {
        pen.circle(at(a), scene.radius[a] + 3.0, t.ink, 0.8, false, 1.5)?;
    }
    if let Some(Hover::Community(c)) = f.hover
        && let Some(m) = f.marks.mark(c)
    {
        pen.circle((m.x, m.y), m.r + 3.0, t.ink, 0.8, false, 1.5)?;
    }
    if let (Some(Target::Network), Some(a)) = (f.keyboard.0, f.keyboard.1)
        && shown(a)
    {
        pen.circle(at(a), scene.radius[a] + 8.0, t.focus, 1.0, false, 3.0)?;
    }
    Ok(())
}

/// Names: their backgrounds in one batch, then the texts.
fn draw_node_labels<DB: DrawingBackend>(
    f: &Frame,
    pen: &mut Pen<DB>,
    t: &Theme,
    emphasis: &dyn Fn(usize) -> f64,
) -> Drawn<DB> {
    let scene = &f.network;
    let shown = |a: usize| scene.is_shown(a);
    let labelled: Vec<(usize, Rect)> = (0..scene.x.len())
        .filter(|&a| shown(a))
        .filter_map(|a| Some((a, scene.labels.get(a).copied().flatten()?.rect)))
        .collect();
    for &(_, rect) in &labelled {
        pen.rect(rect, t.background, 0.8, true)?;
    }
    for &(a, rect) in &labelled {
        let style = if f.selected.contains(&a) {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        pen.text(
            &f.story.actors[a].name,
            (rect.x, rect.y + rect.h / 2.0),
            LABEL_FONT_PX,
            t.ink,
            emphasis(a).max(0.35),
            style,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// A count with thousands separated, as a caption reads it: 21,682.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
