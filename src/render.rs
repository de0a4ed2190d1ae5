//! Static pictures of a story through the same drawing code as the page: the network above the
//! time axis, as SVG (plotters' SVG backend) or PNG (plotters' bitmap backend), and the event
//! list as plain text. These are the fallbacks for readers and crawlers without JavaScript
//! (`castline render`, `make dist`) and the page's own SVG download.
//!
//! Canvas and SVG draw text themselves, but a bitmap has no fonts, so for PNG a wrapper backend
//! ([`bitmap`]) rasterises the text with a TrueType font; everything else is drawn by plotters
//! exactly as on the canvas.

use plotters_backend::DrawingBackend;
use plotters_svg::SVGBackend;

use crate::draw::{Pen, draw_network, draw_timeline};
use crate::view::app::App;

#[cfg(not(target_arch = "wasm32"))]
pub mod bitmap;
#[cfg(not(target_arch = "wasm32"))]
pub mod stand_in;

/// Height of the network in a static picture, CSS px.
pub const NETWORK_HEIGHT_PX: f64 = 460.0;

/// The most layout steps a static picture waits for; the layout normally rests long before.
const MAX_LAYOUT_TICKS: u32 = 20_000;

/// Runs the layout to rest and lays the picture out `width` CSS px wide, the network
/// [`NETWORK_HEIGHT_PX`] high above the time axis.
pub fn lay_out(app: &mut App, width: f64) {
    let mut ticks = 0;
    while app.layout_running() && ticks < MAX_LAYOUT_TICKS {
        app.step_layout(100);
        ticks += 100;
    }
    app.resize(width, NETWORK_HEIGHT_PX, width);
}

/// The size of the picture as the app is laid out now: both views' widths (the wider one) and
/// their heights one above the other, CSS px.
pub fn picture_size(app: &App) -> (f64, f64) {
    (
        app.network.width.max(app.timeline.width),
        app.network.height + app.timeline.height,
    )
}

/// Draws the network with the time axis below it on `backend`, at `scale` device pixels per CSS
/// pixel. `svg` undoes plotters' SVG font-size convention (see [`Pen::for_svg`]).
pub fn draw_picture<DB: DrawingBackend>(
    app: &App,
    backend: &mut DB,
    scale: f64,
    svg: bool,
) -> Result<(), String> {
    fn pen<DB: DrawingBackend>(backend: &mut DB, scale: f64, svg: bool) -> Pen<'_, DB> {
        let pen = Pen::new(backend, scale);
        if svg { pen.for_svg() } else { pen }
    }
    draw_network(&app.frame(), &mut pen(backend, scale, svg)).map_err(|e| e.to_string())?;
    draw_timeline(
        &app.frame(),
        &mut pen(backend, scale, svg).at((0.0, app.network.height)),
    )
    .map_err(|e| e.to_string())?;
    backend.present().map_err(|e| e.to_string())
}

/// The picture as the app is laid out now (the page's current view), as an SVG document.
pub fn svg_as_shown(app: &App) -> Result<String, String> {
    let (width, height) = picture_size(app);
    let mut out = String::new();
    {
        let size = (width.ceil() as u32, height.ceil() as u32);
        let mut backend = SVGBackend::with_string(&mut out, size);
        draw_picture(app, &mut backend, 1.0, true)?;
    }
    Ok(out)
}

/// The network above the time axis, `width` CSS px wide, as an SVG document.
pub fn render_svg(app: &mut App, width: f64) -> Result<String, String> {
    lay_out(app, width);
    svg_as_shown(app)
}

/// The story in words, as plain text: title, actors and every event with its date, the actors
/// in it and its sources. The fallback's "text version" for readers without JavaScript, and
/// the same facts the page's event list gives.
pub fn story_text(app: &App) -> String {
    use std::fmt::Write as _;
    let story = app.story_view();
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(out, "{}", story.header.title);
    if let Some(summary) = &story.header.summary {
        let _ = writeln!(out, "\n{summary}");
    }
    let byline: Vec<String> = [
        story.header.credit.map(str::to_owned),
        story.header.published.map(|p| format!("Published {p}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !byline.is_empty() {
        let _ = writeln!(out, "{}", byline.join(" · "));
    }
    if !story.actors.is_empty() {
        let _ = writeln!(out, "\nActors\n");
        for actor in &story.actors {
            let role = actor
                .role
                .as_ref()
                .map_or(String::new(), |r| format!(", {r}"));
            let group = story
                .header
                .groups
                .iter()
                .find(|g| Some(g.id) == actor.group)
                .map_or(String::new(), |g| format!(" ({})", g.name));
            let _ = writeln!(out, "- {}{role}{group}", actor.name);
            media_lines(&mut out, &actor.media);
        }
    }
    let _ = writeln!(out, "\nEvents\n");
    for event in &story.events {
        let date = match &event.date_text {
            Some(text) if *text != event.date_label => format!("{} ({text})", event.date_label),
            _ => event.date_label.clone(),
        };
        let _ = writeln!(out, "{date}\n  {}", event.title);
        if !event.actors.is_empty() {
            let names: Vec<&str> = event.actors.iter().map(|&a| story.actors[a].name).collect();
            let _ = writeln!(out, "  Who: {}", names.join(", "));
        }
        if let Some(description) = &event.description {
            let _ = writeln!(out, "  {description}");
        }
        for source in &event.sources {
            let quote = source
                .quote
                .as_ref()
                .map_or(String::new(), |q| format!(": “{q}”"));
            let url = source
                .url
                .as_ref()
                .map_or(String::new(), |u| format!(" <{u}>"));
            let _ = writeln!(out, "  Source: {}{quote}{url}", source.name);
        }
        media_lines(&mut out, &event.media);
        let _ = writeln!(out);
    }
    out
}

/// Each picture or link in words, with its credit: `  Image: alt text. Caption. Credit: AP
/// <https://…>`. The text version and the print view name who made every picture.
fn media_lines(out: &mut String, media: &[crate::view::story_view::MediaView<'_>]) {
    use crate::story::model::MediaKind;
    use std::fmt::Write as _;
    for m in media {
        let (kind, label) = match m.kind {
            MediaKind::Image if m.alt.is_empty() => ("Image", "no description"),
            MediaKind::Image => ("Image", m.alt),
            MediaKind::Link => ("Link", m.caption.unwrap_or(m.url)),
        };
        let mut words = vec![label];
        if m.kind == MediaKind::Image {
            words.extend(m.caption);
        }
        let credit = m.credit.map_or(String::new(), |c| format!(" Credit: {c}."));
        let words = words
            .iter()
            .map(|w| w.trim_end_matches('.'))
            .collect::<Vec<_>>()
            .join(". ");
        let _ = writeln!(out, "  {kind}: {words}.{credit} <{}>", m.url);
    }
}
