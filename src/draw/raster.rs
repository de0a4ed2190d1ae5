//! Filled rectangles on whole device pixels, composited in memory into one image. The canvas
//! backend paints a long run of them so (a big network's squares, a crowded time axis's
//! density strips): as a path they cost a call into the browser each and then a raster of
//! thousands of subpaths, 50 ms and more for W4's 20,000 squares; as one image, a copy.
//!
//! The image is what the canvas paints, up to rounding: a rectangle with whole-pixel corners
//! covers whole pixels, a run of one colour is one fill (composited once where its
//! rectangles overlap, as the batched path is), and the fills are composited in order,
//! source over, on a transparent image.

/// A run of filled rectangles in painting order.
#[derive(Debug, Default)]
pub struct Rects {
    rects: Vec<Filled>,
}

#[derive(Debug, Clone, Copy)]
struct Filled {
    /// `[x0, y0, x1, y1]`, the ends excluded.
    at: [i32; 4],
    rgb: (u8, u8, u8),
    /// Compared by its bits, as the canvas backend compares styles.
    alpha_bits: u64,
}

impl Filled {
    fn same_fill(&self, other: &Filled) -> bool {
        self.rgb == other.rgb && self.alpha_bits == other.alpha_bits
    }
}

/// An image of a run: its box on the canvas and its pixels in rows, transparent where nothing
/// was painted.
#[derive(Debug, PartialEq)]
pub struct Image {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// Each pixel's RGBA bytes, not premultiplied (as `ImageData` holds them), in a `u32` in
    /// little-endian order: written a pixel at a time, and a browser's `ImageData` is these
    /// bytes as they lie in memory (every browser's platform is little-endian).
    pub pixels: Vec<u32>,
    /// Every pixel opaque: the image may replace what is under it rather than go over it.
    pub opaque: bool,
}

/// Composites a small run of squares and drops it, returning its pixel count. V8 compiles a
/// wasm function when it is first called: the first big picture was the first to call these,
/// and paid for their compilation in its own frame (its paint 44 → 33 ms, the median of 11
/// runs at W4). The page calls this a frame ahead, in the frame that prepares that picture.
pub fn warm_up() -> usize {
    let mut run = Rects::default();
    for i in 0..2000 {
        let (x, y) = ((i % 50) * 2, (i / 50) * 2);
        run.push((x, y), (x + 2, y + 2), ((i % 7) as u8, 0, 0), 1.0);
    }
    run.image_within(100, 80, u64::MAX)
        .map_or(0, |image| image.pixels.len())
}

impl Rects {
    pub fn push(
        &mut self,
        upper_left: (i32, i32),
        bottom_right: (i32, i32),
        rgb: (u8, u8, u8),
        alpha: f64,
    ) {
        self.rects.push(Filled {
            at: [upper_left.0, upper_left.1, bottom_right.0, bottom_right.1],
            rgb,
            alpha_bits: alpha.to_bits(),
        });
    }

    pub fn len(&self) -> usize {
        self.rects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rects.is_empty()
    }

    pub fn clear(&mut self) {
        self.rects.clear();
    }

    /// Each rectangle's corners, colour and opacity, in order: to paint a short run as a path.
    pub fn iter(&self) -> impl Iterator<Item = ([i32; 4], (u8, u8, u8), f64)> + '_ {
        (self.rects.iter()).map(|r| (r.at, r.rgb, f64::from_bits(r.alpha_bits)))
    }

    /// The run's box on the canvas, `[x0, y0, x1, y1]`.
    fn bounds(&self, width: u32, height: u32) -> Option<[i32; 4]> {
        let mut bounds: Option<[i32; 4]> = None;
        for c in self.rects.iter().filter_map(|r| clip(r, width, height)) {
            bounds = Some(match bounds {
                None => c,
                Some(b) => [
                    b[0].min(c[0]),
                    b[1].min(c[1]),
                    b[2].max(c[2]),
                    b[3].max(c[3]),
                ],
            });
        }
        bounds
    }

    /// The run painted on a canvas of `width` × `height` pixels, cut to its box; `None` when
    /// none of it is on the canvas.
    #[cfg(test)]
    pub fn image(&self, width: u32, height: u32) -> Option<Image> {
        self.image_within(width, height, u64::MAX)
    }

    /// [`Rects::image`], if its box has at most `most_pixels` (an image costs a copy of its
    /// whole box); `None` otherwise. The box is found once, for both.
    pub fn image_within(&self, width: u32, height: u32, most_pixels: u64) -> Option<Image> {
        let [bx, by, bx1, by1] = self.bounds(width, height)?;
        let (w, h) = ((bx1 - bx) as usize, (by1 - by) as usize);
        if (w as u64) * (h as u64) > most_pixels {
            return None;
        }
        let mut pixels = vec![0u32; w * h];
        // Which fill last painted each pixel, for translucent fills only: one fill covers a
        // pixel once however many of its rectangles overlap there. Fills are counted from 1
        // and the count starts again, the marks cleared, after 255.
        let mut painted_by: Vec<u8> = Vec::new();
        let mut fill = 0u8;
        for (k, r) in self.rects.iter().enumerate() {
            if k == 0 || !r.same_fill(&self.rects[k - 1]) {
                if fill == u8::MAX {
                    painted_by.fill(0);
                    fill = 0;
                }
                fill += 1;
            }
            let Some([x0, y0, x1, y1]) = clip(r, width, height) else {
                continue;
            };
            // The canvas keeps 8 bits of a colour's opacity.
            let a8 = (f64::from_bits(r.alpha_bits).clamp(0.0, 1.0) * 255.0).round() as u8;
            let cols = (x0 - bx) as usize..(x1 - bx) as usize;
            let rows = (y0 - by) as usize..(y1 - by) as usize;
            let (red, green, blue) = r.rgb;
            if a8 == 255 {
                for row in rows {
                    pixels[row * w + cols.start..row * w + cols.end]
                        .fill(u32::from_le_bytes([red, green, blue, 255]));
                }
                continue;
            }
            if a8 == 0 {
                continue;
            }
            if painted_by.is_empty() {
                painted_by = vec![0; w * h];
            }
            for row in rows {
                for i in row * w + cols.start..row * w + cols.end {
                    if painted_by[i] != fill {
                        painted_by[i] = fill;
                        let under = pixels[i].to_le_bytes();
                        pixels[i] = u32::from_le_bytes(over([red, green, blue], a8, under));
                    }
                }
            }
        }
        let opaque = pixels.iter().all(|&px| px >> 24 == 255);
        Some(Image {
            x: bx as u32,
            y: by as u32,
            w: w as u32,
            h: h as u32,
            pixels,
            opaque,
        })
    }
}

/// A rectangle's part on a canvas of `width` × `height`, if any.
fn clip(r: &Filled, width: u32, height: u32) -> Option<[i32; 4]> {
    let (w, h) = (
        width.min(i32::MAX as u32) as i32,
        height.min(i32::MAX as u32) as i32,
    );
    let [x0, y0, x1, y1] = r.at;
    let c = [x0.max(0), y0.max(0), x1.min(w), y1.min(h)];
    (c[0] < c[2] && c[1] < c[3]).then_some(c)
}

/// A colour of opacity `a8` (of 255) over a pixel, neither premultiplied (Porter and Duff's
/// source over). Over an opaque pixel, the commonest, in whole numbers.
fn over(rgb: [u8; 3], a8: u8, under: [u8; 4]) -> [u8; 4] {
    match under[3] {
        0 => [rgb[0], rgb[1], rgb[2], a8],
        255 => {
            let (a, rest) = (u32::from(a8), 255 - u32::from(a8));
            let channel =
                |s: u8, d: u8| ((u32::from(s) * a + u32::from(d) * rest + 127) / 255) as u8;
            [
                channel(rgb[0], under[0]),
                channel(rgb[1], under[1]),
                channel(rgb[2], under[2]),
                255,
            ]
        }
        _ => {
            let (sa, da) = (f32::from(a8) / 255.0, f32::from(under[3]) / 255.0);
            let out = sa + da * (1.0 - sa);
            let channel = |s: u8, d: u8| {
                ((f32::from(s) * sa + f32::from(d) * da * (1.0 - sa)) / out).round() as u8
            };
            [
                channel(rgb[0], under[0]),
                channel(rgb[1], under[1]),
                channel(rgb[2], under[2]),
                (out * 255.0).round() as u8,
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn px(image: &Image, x: u32, y: u32) -> [u8; 4] {
        image.pixels[((y - image.y) * image.w + (x - image.x)) as usize].to_le_bytes()
    }

    #[test]
    fn an_opaque_run_covers_whole_pixels_in_order_within_its_box() {
        let mut run = Rects::default();
        run.push((2, 3), (6, 5), (10, 20, 30), 1.0);
        run.push((5, 4), (8, 9), (200, 100, 0), 1.0);
        let image = run.image(100, 100).expect("on the canvas");
        assert_eq!((image.x, image.y, image.w, image.h), (2, 3, 6, 6));
        assert_eq!(px(&image, 2, 3), [10, 20, 30, 255]);
        assert_eq!(px(&image, 5, 3), [10, 20, 30, 255]);
        // The end is excluded, and the later rectangle is on top where they meet.
        assert_eq!(px(&image, 6, 3), [0, 0, 0, 0]);
        assert_eq!(px(&image, 5, 4), [200, 100, 0, 255]);
        assert_eq!(px(&image, 7, 8), [200, 100, 0, 255]);
        assert_eq!(px(&image, 2, 8), [0, 0, 0, 0]);
        assert!(!image.opaque);
    }

    #[test]
    fn a_background_under_the_run_makes_it_opaque() {
        let mut run = Rects::default();
        run.push((0, 0), (10, 10), (255, 255, 255), 1.0);
        run.push((1, 1), (3, 3), (0, 0, 0), 0.5);
        let image = run.image(10, 10).expect("on the canvas");
        assert!(image.opaque);
        assert_eq!(px(&image, 1, 1), [127, 127, 127, 255]);
    }

    #[test]
    fn a_translucent_fill_covers_its_overlaps_once_and_the_next_goes_over_it() {
        let mut run = Rects::default();
        run.push((0, 0), (4, 4), (0, 0, 255), 0.5);
        run.push((2, 2), (6, 6), (0, 0, 255), 0.5);
        run.push((3, 3), (5, 5), (255, 0, 0), 0.5);
        let image = run.image(10, 10).expect("on the canvas");
        let half = [0, 0, 255, 128];
        assert_eq!(px(&image, 0, 0), half);
        assert_eq!(
            px(&image, 2, 2),
            half,
            "one fill, painted once where it overlaps"
        );
        // Red at 0.5 over blue at 0.5: 0.75 opaque, two thirds of it red.
        assert_eq!(px(&image, 3, 3), [170, 0, 85, 192]);
        assert_eq!(px(&image, 4, 4), [170, 0, 85, 192]);
        assert_eq!(px(&image, 5, 5), half);
        assert_eq!(px(&image, 1, 5), [0, 0, 0, 0]);
    }

    #[test]
    fn the_same_colour_again_after_another_is_a_fill_of_its_own() {
        let mut run = Rects::default();
        run.push((0, 0), (2, 1), (0, 0, 0), 0.5);
        run.push((5, 0), (6, 1), (255, 255, 255), 0.5);
        run.push((1, 0), (2, 1), (0, 0, 0), 0.5);
        let image = run.image(10, 10).expect("on the canvas");
        // Black at 0.5 over black at 0.5 where the two fills meet.
        assert_eq!(px(&image, 0, 0), [0, 0, 0, 128]);
        assert_eq!(px(&image, 1, 0), [0, 0, 0, 192]);
    }

    #[test]
    fn hundreds_of_translucent_fills_on_one_pixel_each_go_over_the_last() {
        let mut run = Rects::default();
        let mut expected = [0, 0, 0, 0];
        for k in 0..600u32 {
            let rgb = [(k % 7 * 30) as u8, 90, (k % 3 * 100) as u8];
            run.push((0, 0), (1, 1), (rgb[0], rgb[1], rgb[2]), 0.2);
            expected = over(rgb, 51, expected);
        }
        let image = run.image(1, 1).expect("on the canvas");
        assert_eq!(px(&image, 0, 0), expected);
    }

    #[test]
    fn the_warm_up_composites_its_whole_box() {
        assert_eq!(warm_up(), 100 * 80);
    }

    #[test]
    fn what_is_off_the_canvas_is_cut_and_a_run_wholly_off_it_is_no_image() {
        let mut run = Rects::default();
        run.push((-5, -5), (2, 2), (1, 2, 3), 1.0);
        run.push((8, 8), (20, 20), (1, 2, 3), 1.0);
        let image = run.image(10, 10).expect("on the canvas");
        assert_eq!((image.x, image.y, image.w, image.h), (0, 0, 10, 10));
        assert_eq!(image.pixels.len(), 10 * 10);
        assert!(
            run.image_within(10, 10, 99).is_none(),
            "a box of 100 pixels"
        );
        assert!(run.image_within(10, 10, 100).is_some());
        let mut off = Rects::default();
        off.push((20, 20), (30, 30), (1, 2, 3), 1.0);
        off.push((3, 3), (3, 9), (1, 2, 3), 1.0);
        assert_eq!(off.image(10, 10), None);
    }
}
