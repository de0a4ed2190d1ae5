//! What a canvas backend makes of plotters' device coordinates and styles, in one place for the
//! page's canvas (`canvas`, wasm only) and the benchmark's recorder (`record`, `full` only), so
//! that the recorder's replay rasterises exactly the shapes the page draws.

use plotters_backend::BackendCoord;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

/// A line `[x0, y0, x1, y1]`, horizontal and vertical ones shifted half a pixel so that they
/// stay crisp, as plotters-canvas does.
pub fn crisp(from: BackendCoord, to: BackendCoord) -> [f64; 4] {
    let mut l = [from.0, from.1, to.0, to.1].map(f64::from);
    if from.0 == to.0 {
        l[0] -= 0.5;
        l[2] -= 0.5;
    }
    if from.1 == to.1 {
        l[1] -= 0.5;
        l[3] -= 0.5;
    }
    l
}

/// A rectangle `[x, y, w, h]` from plotters' corners.
pub fn rect(upper_left: BackendCoord, bottom_right: BackendCoord) -> [f64; 4] {
    let (w, h) = (bottom_right.0 - upper_left.0, bottom_right.1 - upper_left.1);
    [upper_left.0, upper_left.1, w, h].map(f64::from)
}

/// The canvas colour string; alpha by its bits, as styles are compared.
pub fn css(rgb: (u8, u8, u8), alpha_bits: u64) -> String {
    let (r, g, b) = rgb;
    format!("rgba({r},{g},{b},{})", f64::from_bits(alpha_bits))
}

/// Canvas `textAlign` and `textBaseline` for a text's anchor.
pub fn align_baseline(anchor: Pos) -> (&'static str, &'static str) {
    let align = match anchor.h_pos {
        HPos::Left => "start",
        HPos::Right => "end",
        HPos::Center => "center",
    };
    let baseline = match anchor.v_pos {
        VPos::Top => "top",
        VPos::Center => "middle",
        VPos::Bottom => "bottom",
    };
    (align, baseline)
}

/// The canvas `font` string.
pub fn font(face: &str, size_px: f64, family: &str) -> String {
    format!("{face} {size_px}px {family}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_lines_shift_half_a_pixel_and_slanted_ones_do_not() {
        assert_eq!(crisp((1, 2), (1, 9)), [0.5, 2.0, 0.5, 9.0]);
        assert_eq!(crisp((1, 2), (8, 2)), [1.0, 1.5, 8.0, 1.5]);
        assert_eq!(crisp((1, 2), (8, 9)), [1.0, 2.0, 8.0, 9.0]);
    }

    #[test]
    fn rectangles_go_from_corners_to_sides() {
        assert_eq!(rect((3, 4), (10, 6)), [3.0, 4.0, 7.0, 2.0]);
    }

    #[test]
    fn colours_and_fonts_are_canvas_strings() {
        assert_eq!(css((1, 2, 3), 0.5f64.to_bits()), "rgba(1,2,3,0.5)");
        assert_eq!(font("bold", 12.5, "sans-serif"), "bold 12.5px sans-serif");
        let anchor = Pos::new(HPos::Right, VPos::Center);
        assert_eq!(align_baseline(anchor), ("end", "middle"));
    }
}
