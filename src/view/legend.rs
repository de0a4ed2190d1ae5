//! The legend's icons: each group's node as the network draws it (its shape's outline from
//! the drawing's own [`unit_outline`], its colour), fitted to the legend's small square. The
//! page makes an SVG element of each from these values (`www/shell/dom.js`).

use serde::Serialize;

use crate::draw::unit_outline;
use crate::story::model::Shape;
use crate::view::app::App;

/// The icon's square (CSS px).
const ICON_PX: f64 = 14.0;
/// The radius the icon's node is drawn at, as the network draws every shape at its node's
/// radius...
const ICON_RADIUS_PX: f64 = 5.8;
/// ...shrunk to this at most across, so no corner is cut off by the square's edge.
const ICON_MOST_PX: f64 = 12.8;

/// One group's icon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendIcon<'a> {
    /// The group's id.
    pub group: &'a str,
    /// The icon's square (CSS px): its `viewBox`, width and height.
    pub size: f64,
    /// `#rrggbb`.
    pub fill: String,
    /// A circle's node: its centre and radius.
    pub circle: Option<Circle>,
    /// Any other shape's corners, `[x, y]` to the hundredth of a px.
    pub points: Option<Vec<[f64; 2]>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Circle {
    pub cx: f64,
    pub cy: f64,
    pub r: f64,
}

/// A shape's corners at the icon's radius, fitted and centred in its square.
fn icon_points(shape: Shape) -> Vec<(f64, f64)> {
    let corners: Vec<(f64, f64)> = unit_outline(shape)
        .iter()
        .map(|&(x, y)| (x * ICON_RADIUS_PX, y * ICON_RADIUS_PX))
        .collect();
    let min = |f: fn(&(f64, f64)) -> f64| corners.iter().map(f).fold(f64::INFINITY, f64::min);
    let max = |f: fn(&(f64, f64)) -> f64| corners.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
    let (x0, x1, y0, y1) = (min(|p| p.0), max(|p| p.0), min(|p| p.1), max(|p| p.1));
    let scale = (ICON_MOST_PX / (x1 - x0).max(y1 - y0)).min(1.0);
    let centre = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    corners
        .iter()
        .map(|&(x, y)| {
            (
                ICON_PX / 2.0 + (x - centre.0) * scale,
                ICON_PX / 2.0 + (y - centre.1) * scale,
            )
        })
        .collect()
}

impl App {
    /// Each group's icon, in the story's order of groups.
    pub fn legend(&self) -> Vec<LegendIcon<'_>> {
        let story = self.story();
        story
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| {
                let shape = story.group_shape(g);
                let (circle, points) = if shape == Shape::Circle {
                    let c = ICON_PX / 2.0;
                    let r = ICON_RADIUS_PX;
                    (Some(Circle { cx: c, cy: c, r }), None)
                } else {
                    // Whole hundredths: formatting a float to a precision would be new
                    // code in the page's first download.
                    let hundredths = |v: f64| (v * 100.0).round() / 100.0;
                    let points = icon_points(shape)
                        .iter()
                        .map(|&(x, y)| [hundredths(x), hundredths(y)])
                        .collect();
                    (None, Some(points))
                };
                LegendIcon {
                    group: &group.id,
                    size: ICON_PX,
                    fill: group.color.hex(),
                    circle,
                    points,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::model::SHAPES;

    #[test]
    fn each_shape_is_the_drawings_outline_inside_the_icon() {
        for shape in SHAPES.into_iter().filter(|&s| s != Shape::Circle) {
            let points = icon_points(shape);
            assert_eq!(points.len(), unit_outline(shape).len(), "{shape:?}");
            let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
            let span = |v: &[f64]| {
                let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo, hi)
            };
            let ((x0, x1), (y0, y1)) = (span(&xs), span(&ys));
            assert!(
                x0 >= 0.5 && y0 >= 0.5 && x1 <= 13.5 && y1 <= 13.5,
                "{shape:?} fits"
            );
            assert!(
                (x0 + x1 - ICON_PX).abs() < 1e-9 && (y0 + y1 - ICON_PX).abs() < 1e-9,
                "centred"
            );
            assert!((x1 - x0).max(y1 - y0) > 10.0, "{shape:?} fills the icon");
            // The drawing's outline, only moved and scaled: the same proportions.
            let unit = unit_outline(shape);
            let ratio = |a: (f64, f64), b: (f64, f64)| (b.0 - a.0).hypot(b.1 - a.1);
            let k = ratio(points[0], points[1]) / ratio(unit[0], unit[1]);
            for i in 1..points.len() {
                let d = ratio(points[0], points[i]) / ratio(unit[0], unit[i]);
                assert!((d - k).abs() < 1e-9, "{shape:?}");
            }
        }
    }

    #[test]
    fn the_legend_gives_each_group_its_nodes_colour_and_shape() {
        let app = App::from_json(crate::DEFAULT_STORY_FILE, crate::DEFAULT_STORY).unwrap();
        let icons = app.legend();
        let story = app.story();
        assert_eq!(icons.len(), story.groups.len());
        for (g, icon) in icons.iter().enumerate() {
            assert_eq!(icon.group, story.groups[g].id);
            // The colour the network fills this group's nodes with.
            let member = story.actors.iter().position(|a| a.group == Some(g));
            if let Some(a) = member {
                assert_eq!(icon.fill, story.actor_color(a).hex());
                assert_eq!(story.actor_shape(a), story.group_shape(g));
            }
            let circle = story.group_shape(g) == Shape::Circle;
            assert_eq!(
                (icon.circle.is_some(), icon.points.is_some()),
                (circle, !circle)
            );
        }
        // What the page makes its SVG elements of.
        assert_eq!(
            serde_json::to_string(&icons[..2]).unwrap(),
            concat!(
                r##"[{"group":"us","size":14.0,"fill":"#0072b2","circle":{"cx":7.0,"cy":7.0,"r":5.8},"points":null},"##,
                r##"{"group":"congress","size":14.0,"fill":"#56b4e9","circle":null,"points":[[12.13,12.13],[1.87,12.13],[1.87,1.87],[12.13,1.87]]}]"##
            )
        );
    }
}
