//! PNG output: plotters' bitmap backend draws the picture, and [`WithText`] draws its text,
//! which the bitmap backend cannot (it has no fonts, and [`crate::draw`]'s text style leaves
//! glyphs to backends that have them). The text is rasterised with `ab_glyph` from a TrueType
//! font read from the system or given with `--font`, so there is still one drawing code.

use std::path::{Path, PathBuf};

use ab_glyph::{Font as _, FontVec, PxScale, ScaleFont as _, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};
use plotters_bitmap::BitMapBackend;
use plotters_bitmap::bitmap_pixel::RGBPixel;

use super::{draw_picture, picture_size};
use crate::view::app::App;

/// Where Debian's `fonts-dejavu-core` puts the font the text widths are modelled on
/// ([`crate::place::text`]), so labels fit the boxes the layout reserved for them.
pub const SYSTEM_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// The largest PNG side, device px: a mistyped `--width` should fail, not fill the memory.
pub const MAX_SIDE_PX: u32 = 16_384;

/// Why a PNG could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error(
        "no font for the picture's text: {} {}; install Debian's fonts-dejavu-core or pass --font FILE.ttf",
        path.display(),
        reason
    )]
    NoFont { path: PathBuf, reason: String },
    #[error("the picture would be {width}×{height} px; the limit is {MAX_SIDE_PX} px a side")]
    TooLarge { width: u32, height: u32 },
    #[error("cannot draw the picture: {0}")]
    Draw(String),
    #[error("cannot encode the PNG: {0}")]
    Encode(#[from] png::EncodingError),
}

/// The fonts text is drawn in: a regular face and, when found, a bold one.
pub struct Fonts {
    regular: FontVec,
    bold: Option<FontVec>,
}

impl Fonts {
    /// Reads `path`, or [`SYSTEM_FONT`] when `None`. A bold face is looked for beside it under
    /// the same name with `-Bold` (DejaVuSans-Bold.ttf); without one, bold text is regular.
    pub fn load(path: Option<&Path>) -> Result<Fonts, PngError> {
        let path = path.unwrap_or(Path::new(SYSTEM_FONT));
        let read = |path: &Path| -> Result<FontVec, String> {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot be read ({e})"))?;
            FontVec::try_from_vec(bytes).map_err(|e| format!("is not a TrueType font ({e})"))
        };
        let regular = read(path).map_err(|reason| PngError::NoFont {
            path: path.to_owned(),
            reason,
        })?;
        let bold = match (path.file_stem(), path.extension()) {
            (Some(stem), Some(ext)) => {
                let mut name = stem.to_os_string();
                name.push("-Bold.");
                name.push(ext);
                read(&path.with_file_name(name)).ok()
            }
            _ => None,
        };
        Ok(Fonts { regular, bold })
    }

    fn face(&self, style: FontStyle) -> &FontVec {
        match (style, &self.bold) {
            (FontStyle::Bold, Some(bold)) => bold,
            _ => &self.regular,
        }
    }
}

/// A backend that draws everything through `inner` but rasterises text itself. With no fonts it
/// draws no text at all (what the bitmap backend does on its own), which tests compare against.
pub struct WithText<'f, DB> {
    inner: DB,
    fonts: Option<&'f Fonts>,
}

impl<'f, DB: DrawingBackend> WithText<'f, DB> {
    pub fn new(inner: DB, fonts: Option<&'f Fonts>) -> Self {
        WithText { inner, fonts }
    }
}

type Drawn<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

// The methods' signatures are plotters' `DrawingBackend`'s, shortened by these names: every
// shape goes to the bitmap backend as it is (its own fast paths), only text is drawn here.
type P = BackendCoord;

impl<DB: DrawingBackend> DrawingBackend for WithText<'_, DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn<DB> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawn<DB> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<DB> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: P, to: P, style: &S) -> Drawn<DB> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(&mut self, a: P, b: P, style: &S, fill: bool) -> Drawn<DB> {
        self.inner.draw_rect(a, b, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = P>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<DB> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: P, r: u32, style: &S, fill: bool) -> Drawn<DB> {
        self.inner.draw_circle(c, r, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = P>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<DB> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn<DB> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// Lays the glyphs out on one line with the font's advances and kerning, places the line
    /// by the anchor as a canvas does (`textAlign`, `textBaseline`), and blends each glyph's
    /// coverage into the bitmap in the text's colour.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<DB> {
        let color = style.color();
        let Some(fonts) = self.fonts else {
            return Ok(());
        };
        if color.alpha <= 0.0 || text.is_empty() {
            return Ok(());
        }
        let font = fonts.face(style.style());
        // The style's size is the em in px, like CSS font-size; ab_glyph scales by the height
        // from descender to ascender, which is larger than the em.
        let em = style.size() as f32;
        let units = font.units_per_em().unwrap_or(1000.0);
        let scale = PxScale::from(em * font.height_unscaled() / units);
        let scaled = font.as_scaled(scale);
        let mut width = 0.0f32;
        let mut previous = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(prev) = previous {
                width += scaled.kern(prev, id);
            }
            glyphs.push((id, width));
            width += scaled.h_advance(id);
            previous = Some(id);
        }
        let anchor = style.anchor();
        let left = pos.0 as f32
            - match anchor.h_pos {
                HPos::Left => 0.0,
                HPos::Center => width / 2.0,
                HPos::Right => width,
            };
        // Canvas baselines: "top" and "bottom" are the em box's edges, "middle" its middle.
        let (ascent, descent) = (scaled.ascent(), scaled.descent());
        let baseline = pos.1 as f32
            + match anchor.v_pos {
                VPos::Top => ascent,
                VPos::Center => (ascent + descent) / 2.0,
                VPos::Bottom => descent,
            };
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(left + x, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue; // a space, or a character the font lacks
            };
            let bounds = outline.px_bounds();
            let mut result = Ok(());
            outline.draw(|gx, gy, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let at = (
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                );
                let ink = BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                };
                result = self.inner.draw_pixel(at, ink);
            });
            result?;
        }
        Ok(())
    }
}

/// The picture as the app is laid out now, at `scale` device px per CSS px, as a PNG file's
/// bytes. Text is drawn with `fonts`; `None` leaves it out.
pub fn png_as_shown(app: &App, scale: f64, fonts: Option<&Fonts>) -> Result<Vec<u8>, PngError> {
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let (w, h) = picture_size(app);
    let side = |css: f64| (css * scale).ceil().clamp(1.0, f64::from(u32::MAX)) as u32;
    let (width, height) = (side(w), side(h));
    if width > MAX_SIDE_PX || height > MAX_SIDE_PX {
        return Err(PngError::TooLarge { width, height });
    }
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let bitmap =
            BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut pixels, (width, height))
                .map_err(|e| PngError::Draw(e.to_string()))?;
        let mut backend = WithText::new(bitmap, fonts);
        draw_picture(app, &mut backend, scale, false).map_err(PngError::Draw)?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
    }
    Ok(out)
}

/// The network above the time axis, `width` CSS px wide, at `scale` device px per CSS px.
pub fn render_png(
    app: &mut App,
    width: f64,
    scale: f64,
    fonts: Option<&Fonts>,
) -> Result<Vec<u8>, PngError> {
    super::lay_out(app, width);
    png_as_shown(app, scale, fonts)
}
