//! The page's picture before any script runs (issue 17 §4): `castline serve` and `make dist`
//! put this HTML into the page where the viewer will be (the `<!--castline-stand-in-->` mark
//! in `www/index.html` and `www/embed.html`), so the story's title and both pictures are on
//! screen at the first paint, in boxes of the size the viewer's canvases will have. The
//! viewer draws behind it and takes its place in one frame (`www/castline.js`).
//!
//! Nothing may move when it does, so above the pictures this writes the markup the page's
//! scripts build, with the same classes and the same words (`www/shell/skeleton.js`,
//! `controls.js`, `search.js`, `status.js`), its controls disabled: the header, the toolbar,
//! the panels' heads with the legend, then the two pictures as SVG drawn by the same code as
//! the canvases. Each picture is drawn twice, for a wide window (1280 px: the two pictures
//! side by side) and a phone (375 px), and `castline.css` shows the one that fits. Its colours
//! follow the page's theme: the parts painted in the theme's colours carry a class
//! ([`themed`]) that `castline.css` colours from the same variables in light and dark, so one
//! SVG serves both. `tests/e2e/stand-in.test.mjs` checks the boxes and the names against the
//! page's own.
//!
//! Story text reaches the HTML only escaped ([`escape`]; plotters escapes the SVG's text).

use std::fmt::Write as _;

use plotters_svg::SVGBackend;

use crate::draw::{DARK, LIGHT, Pen, Theme, draw_network, draw_timeline};
use crate::story::model::Shape;
use crate::view::app::App;

/// The mark in the pages that the stand-in replaces.
pub const MARK: &str = "<!--castline-stand-in-->";

/// The canvases' sizes (CSS px) the pictures are drawn for: the network's width and height
/// and the time axis's width, as `castline.css` sizes them in a window 1280 px wide (the two
/// pictures side by side: `(1280 − 2 × 32 − 16) × 1.15 / 2.15 − 2` and `… / 2.15 − 2`) and in
/// one 375 px wide (a phone: `375 − 2 × 12 − 2`, the network 340 px high).
pub const WIDE: Sizes = Sizes {
    network: (640.0, 460.0),
    timeline: 556.0,
};
pub const NARROW: Sizes = Sizes {
    network: (349.0, 340.0),
    timeline: 349.0,
};

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub network: (f64, f64),
    pub timeline: f64,
}

/// Why a story gets no stand-in: the page then shows its loading message as before.
#[derive(Debug, thiserror::Error)]
pub enum NoStandIn {
    #[error("the story has problems to report, which the page shows above the pictures")]
    Diagnostics,
    #[error(
        "the story is big (over 1,000 events or 500 actors): its picture would be a large download"
    )]
    Big,
    #[error("drawing the picture failed: {0}")]
    Drawing(String),
}

/// The stand-in for the story in `app`, which the page loads from `src` (as the page names
/// it: `data/peace-plan-2025.json`); the page's scripts keep it only for that story.
pub fn stand_in(app: &mut App, src: &str) -> Result<String, NoStandIn> {
    if !app.diagnostics().is_empty() {
        return Err(NoStandIn::Diagnostics);
    }
    if app.big_story() {
        return Err(NoStandIn::Big);
    }
    super::lay_out(app, WIDE.network.0);
    let wide = pictures(app, WIDE)?;
    let narrow = pictures(app, NARROW)?;
    let labels = Labels::of(app);
    let story = app.story_view();
    let mut out = String::new();
    // No white space between tags: the scripts build the DOM without it, and in a line of
    // inline boxes a space would take room.
    let _ = write!(
        out,
        "<div class=\"castline-standin\" data-castline-src=\"{}\">",
        escape(src)
    );
    header(&mut out, &story);
    let summary = app.summary();
    toolbar(
        &mut out,
        summary.visible_event_count,
        app.story_view().event_count,
    );
    let legend_items = legend(&story);
    let network_tools = tools(
        "Network view",
        "the network",
        "Fit",
        "Fit the whole network",
    );
    let time_tools = tools(
        "Time axis view",
        "the time axis",
        "Whole story",
        "Whole story on the time axis",
    );
    let legend = |class: &str| {
        if story.header.groups.is_empty() {
            String::new()
        } else {
            format!(
                "<ul class=\"castline-legend {class}\" aria-label=\"Groups\">{legend_items}</ul>"
            )
        }
    };
    let _ = write!(
        out,
        "<div class=\"castline-views\">\
         <section class=\"castline-panel castline-network-panel\" aria-label=\"Network of actors\">\
         <div class=\"castline-panel-head\">{}{network_tools}</div>\
         <div class=\"castline-stage\">{}{}</div>{}</section>\
         <section class=\"castline-panel castline-timeline-panel\" aria-label=\"Time axis\">\
         <div class=\"castline-panel-head\"><div class=\"castline-play\">\
         <button type=\"button\" class=\"castline-play-button\" disabled>{PLAY_ICON}Play</button>\
         <label class=\"castline-speed\">Speed <select class=\"castline-speed-select\" disabled>\
         <option value=\"slow\">slow</option><option value=\"normal\" selected>normal</option>\
         <option value=\"fast\">fast</option></select></label></div>{time_tools}</div>\
         <div class=\"castline-stage\">{}{}</div></section></div></div>",
        legend("castline-standin-wide-legend"),
        svg_root(&wide.0, "network", "wide", &labels.network),
        svg_root(&narrow.0, "network", "narrow", &labels.network),
        legend("castline-standin-narrow-legend"),
        svg_root(&wide.1, "timeline", "wide", &labels.timeline),
        svg_root(&narrow.1, "timeline", "narrow", &labels.timeline),
    );
    Ok(out)
}

/// `html` with the stand-in in place of [`MARK`]; unchanged when it has no mark.
pub fn put_in(html: &str, stand_in: &str) -> String {
    html.replacen(MARK, stand_in, 1)
}

const PLAY_ICON: &str = "<svg class=\"castline-icon\" viewBox=\"0 0 12 12\" width=\"12\" \
    height=\"12\" aria-hidden=\"true\" focusable=\"false\">\
    <polygon points=\"2.5,1.5 10.5,6 2.5,10.5\" fill=\"currentColor\"></polygon></svg>";

/// The network's and the time axis's SVG (each themed) at `sizes`.
fn pictures(app: &mut App, sizes: Sizes) -> Result<(String, String), NoStandIn> {
    let (nw, nh) = sizes.network;
    app.resize(nw, nh, sizes.timeline);
    let network = themed(
        &draw_alone(app, false, true)?,
        &draw_alone(app, true, true)?,
    )?;
    let timeline = themed(
        &draw_alone(app, false, false)?,
        &draw_alone(app, true, false)?,
    )?;
    Ok((compact(&network), compact(&timeline)))
}

/// One picture as SVG, in the light or the dark theme.
fn draw_alone(app: &mut App, dark: bool, network: bool) -> Result<String, NoStandIn> {
    app.reader.dark = dark;
    let size = if network {
        (app.network.width, app.network.height)
    } else {
        (app.timeline.width, app.timeline.height)
    };
    let mut out = String::new();
    {
        // Rounded as the page rounds the time axis's height (`www/shell/screen.js`).
        let size = (size.0.round() as u32, size.1.round() as u32);
        let mut backend = SVGBackend::with_string(&mut out, size);
        let mut pen = Pen::new(&mut backend, 1.0).for_svg();
        let drawn = if network {
            draw_network(&app.frame(), &mut pen)
        } else {
            draw_timeline(&app.frame(), &mut pen)
        };
        drawn.map_err(|e| NoStandIn::Drawing(e.to_string()))?;
        plotters_backend::DrawingBackend::present(&mut backend)
            .map_err(|e| NoStandIn::Drawing(e.to_string()))?;
    }
    app.reader.dark = false;
    Ok(out)
}

/// The theme's colours by the names `castline.css` gives them (`--cl-pic-NAME`, and the
/// classes `f-NAME` for a fill and `s-NAME` for a stroke).
pub fn theme_colours(theme: &Theme) -> [(&'static str, crate::story::model::Rgb); 10] {
    [
        ("bg", theme.background),
        ("ink", theme.ink),
        ("muted", theme.muted),
        ("edge", theme.edge),
        ("relation", theme.relation),
        ("grid", theme.grid),
        ("major", theme.grid_major),
        ("lane", theme.lane_shade),
        ("window", theme.window_shade),
        ("focus", theme.focus),
    ]
}

fn hex(c: crate::story::model::Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// One SVG for both themes, from the same picture drawn in each: where the two differ, in a
/// `fill` or a `stroke` of the theme's colours, the element gets the class `f-NAME` or
/// `s-NAME` (and keeps the light colour for where `castline.css` is not). Anything else that
/// differs is an error: the drawing would have changed more than its colours.
pub fn themed(light: &str, dark: &str) -> Result<String, NoStandIn> {
    let differ = |what: &str| NoStandIn::Drawing(format!("the two themes differ {what}"));
    let light_parts: Vec<&str> = light.split('<').collect();
    let dark_parts: Vec<&str> = dark.split('<').collect();
    if light_parts.len() != dark_parts.len() {
        return Err(differ("in their elements"));
    }
    let names_light = theme_colours(&LIGHT);
    let names_dark = theme_colours(&DARK);
    let class_of = |l: &str, d: &str| {
        names_light
            .iter()
            .zip(&names_dark)
            .find(|((_, lc), (_, dc))| hex(*lc) == l && hex(*dc) == d)
            .map(|((name, _), _)| *name)
    };
    let mut out = String::with_capacity(light.len() + light.len() / 8);
    for (i, (l, d)) in light_parts.iter().zip(&dark_parts).enumerate() {
        if i > 0 {
            out.push('<');
        }
        if l == d {
            out.push_str(l);
            continue;
        }
        let (Some((l_tag, l_rest)), Some((d_tag, d_rest))) = (l.split_once('>'), d.split_once('>'))
        else {
            return Err(differ("in their text"));
        };
        if l_rest != d_rest {
            return Err(differ("in their text"));
        }
        let l_attrs = attributes(l_tag);
        let d_attrs = attributes(d_tag);
        if l_attrs.len() != d_attrs.len() {
            return Err(differ("in their attributes"));
        }
        let mut classes = Vec::new();
        for ((ln, lv), (dn, dv)) in l_attrs.iter().zip(&d_attrs) {
            if ln != dn {
                return Err(differ("in their attributes"));
            }
            if lv == dv {
                continue;
            }
            let prefix = match *ln {
                "fill" => "f",
                "stroke" => "s",
                _ => return Err(differ(&format!("in {ln}"))),
            };
            let name = class_of(lv, dv)
                .ok_or_else(|| differ(&format!("in a colour not the theme's ({lv}, {dv})")))?;
            classes.push(format!("{prefix}-{name}"));
        }
        // The tag's name, then the class, then the light attributes as they were.
        let name_end = l_tag.find(' ').unwrap_or(l_tag.len());
        let (name, rest) = l_tag.split_at(name_end);
        let _ = write!(out, "{name} class=\"{}\"{rest}>{l_rest}", classes.join(" "));
    }
    Ok(out)
}

/// The SVG with each run of lines, and each run of rectangles, of one look (the same
/// attributes but their places) as one path: fewer elements to read, lay out and paint, and
/// fewer bytes. A path paints where its parts overlap once, as the page's batched canvas does
/// (`crate::draw::canvas`).
pub fn compact(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() / 2);
    let mut run: Option<(&str, String, String)> = None; // (tag, look, path data)
    let flush = |out: &mut String, run: &mut Option<(&str, String, String)>| {
        if let Some((tag, look, d)) = run.take() {
            let fill = if tag == "line" { " fill=\"none\"" } else { "" };
            let _ = writeln!(out, "<path{look}{fill} d=\"{}\"/>", d.trim_end());
        }
    };
    // The font is the root's ([`svg_root`]), and an opacity of 1 is no opacity.
    let family = format!(" font-family=\"{}\"", crate::place::text::FONT_FAMILY);
    let svg = svg.replace(&family, "").replace(" opacity=\"1\"", "");
    for line in svg.split_inclusive('\n') {
        let element = line.trim_end();
        let shape = ["line", "rect"]
            .into_iter()
            .find(|t| element.starts_with(&format!("<{t} ")) && element.ends_with("/>"));
        let Some(tag) = shape else {
            flush(&mut out, &mut run);
            out.push_str(line);
            continue;
        };
        let attrs = attributes(element);
        let geometry: &[&str] = if tag == "line" {
            &["x1", "y1", "x2", "y2"]
        } else {
            &["x", "y", "width", "height"]
        };
        let mut look = String::new();
        let mut at = [0.0f64; 4];
        let mut found = 0;
        for (name, value) in &attrs {
            if let Some(i) = geometry.iter().position(|g| g == name) {
                at[i] = value.parse().unwrap_or(f64::NAN);
                found += 1;
            } else {
                let _ = write!(look, " {name}=\"{value}\"");
            }
        }
        // Plotters' class comes first ([`themed`]); an element of any other shape is kept.
        if found != 4 || at.iter().any(|v| !v.is_finite()) {
            flush(&mut out, &mut run);
            out.push_str(line);
            continue;
        }
        let part = if tag == "line" {
            format!("M{} {}L{} {}", at[0], at[1], at[2], at[3])
        } else {
            format!("M{} {}h{}v{}h{}z", at[0], at[1], at[2], at[3], -at[2])
        };
        match &mut run {
            Some((t, l, d)) if *t == tag && *l == look => d.push_str(&part),
            _ => {
                flush(&mut out, &mut run);
                run = Some((tag, look, part));
            }
        }
    }
    flush(&mut out, &mut run);
    out
}

/// A tag's attributes as plotters writes them (`name="value"`, values escaped, so without `"`).
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].rsplit(' ').next().unwrap_or("");
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.push((name, &after[..end]));
        rest = &after[end + 1..];
    }
    out
}

/// The SVG's root element for the page: sized by `castline.css` (and its own height, for the
/// time axis, whose height the viewer works out), an image with the canvas's name.
fn svg_root(svg: &str, picture: &str, variant: &str, label: &str) -> String {
    // plotters' first line: <svg width="W" height="H" viewBox="0 0 W H" xmlns="…">
    let Some((first, rest)) = svg.split_once('\n') else {
        return String::new();
    };
    let attrs = attributes(first);
    let value = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("0", |(_, v)| *v)
    };
    let height = if picture == "timeline" {
        format!(" height=\"{}\"", value("height"))
    } else {
        String::new()
    };
    format!(
        "<svg class=\"castline-picture castline-standin-{picture} castline-standin-{variant}\" \
         role=\"img\" aria-label=\"{}\" viewBox=\"{}\"{height} font-family=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\">{}",
        escape(label),
        value("viewBox"),
        crate::place::text::FONT_FAMILY,
        rest.trim_end()
    )
}

/// The canvases' names as the page's status gives them first (`www/shell/status.js`).
struct Labels {
    network: String,
    timeline: String,
}

impl Labels {
    fn of(app: &App) -> Labels {
        let story = app.story_view();
        let n = story.actors.len();
        let g = story.header.groups.len();
        let groups = if g > 0 {
            format!(" in {}", plural(g, "group", "groups"))
        } else {
            String::new()
        };
        let network = format!(
            "Network of {}{groups}; all shown.",
            plural(n, "actor", "actors")
        );
        let range = match (story.events.first(), story.events.last()) {
            (Some(first), Some(last)) if !first.date_label.is_empty() => {
                if first.date_label == last.date_label {
                    format!(", on {}", first.date_label)
                } else if last.date_label.is_empty() {
                    String::new()
                } else {
                    format!(", from {} to {}", first.date_label, last.date_label)
                }
            }
            _ => String::new(),
        };
        let timeline = format!(
            "Time axis of {}{range}; all shown.",
            plural(story.events.len(), "event", "events")
        );
        Labels { network, timeline }
    }
}

/// The story's title, summary, credit and date of publication (`fillHeader` in
/// `www/shell/skeleton.js`).
fn header(out: &mut String, story: &crate::view::story_view::StoryView) {
    let title = if story.header.title.is_empty() {
        "Untitled story"
    } else {
        story.header.title
    };
    let _ = write!(
        out,
        "<header class=\"castline-header\"><h1 class=\"castline-title\">{}</h1>",
        escape(title)
    );
    let mut about = String::new();
    if let Some(summary) = story.header.summary.filter(|s| !s.is_empty()) {
        let _ = write!(
            about,
            "<p class=\"castline-summary\">{}</p>",
            escape(summary)
        );
    }
    let credit = story.header.credit.filter(|s| !s.is_empty());
    let published = story.header.published.filter(|s| !s.is_empty());
    if credit.is_some() || published.is_some() {
        about.push_str("<p class=\"castline-credit\">");
        if let Some(credit) = credit {
            about.push_str(&escape(credit));
        }
        if let Some(published) = published {
            if credit.is_some() {
                about.push_str(" · ");
            }
            let (words, datetime) = published_in_words(published);
            let datetime =
                datetime.map_or(String::new(), |d| format!(" datetime=\"{}\"", escape(&d)));
            let _ = write!(about, "Published <time{datetime}>{}</time>", escape(&words));
        }
        about.push_str("</p>");
    }
    if !about.is_empty() {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"castline-about-toggle\" aria-expanded=\"false\" \
             aria-controls=\"castline-standin-about\" disabled>About this story</button>\
             <div class=\"castline-about\" id=\"castline-standin-about\">{about}</div>"
        );
    }
    out.push_str("</header>");
}

/// "2025-11-25" as "25 Nov 2025" (`publishedInWords` in `www/shell/words.js`: the en-GB
/// short date), with the date for `<time datetime>` when it starts with one.
fn published_in_words(value: &str) -> (String, Option<String>) {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
    ];
    let bytes = value.as_bytes();
    let is_date = |s: &str| {
        let b = s.as_bytes();
        b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..10].iter().all(u8::is_ascii_digit)
    };
    let datetime = is_date(value).then(|| value.to_owned());
    if bytes.len() != 10 || !is_date(value) {
        return (value.to_owned(), datetime);
    }
    let mut year: i32 = value[..4].parse().unwrap_or(0);
    let mut month: usize = value[5..7].parse().unwrap_or(0);
    let mut day: u32 = value[8..10].parse().unwrap_or(0);
    // As JavaScript's Date.UTC reads it: years 0–99 are 1900–1999, and days and months past
    // the end roll over into the next (month 0 and day 0 into the one before are left alone).
    if year < 100 {
        year += 1900;
    }
    if month == 0 || day == 0 {
        return (value.to_owned(), datetime);
    }
    year += ((month - 1) / 12) as i32;
    month = (month - 1) % 12 + 1;
    loop {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let length = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day <= length {
            break;
        }
        day -= length;
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
    (format!("{day} {} {year}", MONTHS[month - 1]), datetime)
}

/// Search, *Show all*, all/any, *Size by* and the status line (`buildSkeleton`,
/// `buildSearch`): `shown`
/// of the story's `events` (fewer when the page opens with a selection or a window).
fn toolbar(out: &mut String, shown: usize, events: usize) {
    let _ = write!(
        out,
        "<div class=\"castline-toolbar\"><div class=\"castline-search-slot\">\
         <div class=\"castline-search\"><label class=\"castline-search-label\" \
         for=\"castline-standin-search\">Search</label><input class=\"castline-search-input\" \
         id=\"castline-standin-search\" type=\"text\" placeholder=\"Actors, roles, events\" \
         disabled></div></div><button type=\"button\" class=\"castline-show-all\" disabled>Show all</button>\
         <fieldset class=\"castline-mode\" disabled><legend class=\"castline-mode-legend\">Events with:</legend>\
         <label class=\"castline-mode-option\"><input type=\"radio\" name=\"castline-standin-mode\" \
         value=\"all\" checked> all selected</label><label class=\"castline-mode-option\">\
         <input type=\"radio\" name=\"castline-standin-mode\" value=\"any\"> any selected</label>\
         </fieldset><label class=\"castline-size\">Size by <select class=\"castline-size-select\" \
         disabled><option value=\"events\" selected>events</option><option value=\"ties\">ties\
         </option><option value=\"betweenness\">brokers</option></select>\
         <span class=\"castline-size-note\"></span></label>\
         <p class=\"castline-status\">Showing {} of {}</p></div>",
        count(shown),
        plural(events, "event", "events"),
    );
}

/// −, + and a fit button (`zoomTools` in `www/shell/skeleton.js`).
fn tools(group: &str, what: &str, fit: &str, fit_label: &str) -> String {
    format!(
        "<div class=\"castline-tools\" role=\"group\" aria-label=\"{group}\">\
         <button type=\"button\" class=\"castline-tool\" aria-label=\"Zoom {what} out\" disabled>−</button>\
         <button type=\"button\" class=\"castline-tool\" aria-label=\"Zoom {what} in\" disabled>+</button>\
         <button type=\"button\" class=\"castline-tool castline-tool-text\" aria-label=\"{fit_label}\" \
         disabled>{fit}</button></div>"
    )
}

/// A legend entry's collapse button's glyph, as `collapseIcon` in `www/shell/dom.js` makes it.
const COLLAPSE_ICON: &str = "<svg class=\"castline-icon castline-collapse-icon\" viewBox=\"0 0 12 12\" \
    width=\"12\" height=\"12\" aria-hidden=\"true\" focusable=\"false\">\
    <circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.3\"/>\
    <path d=\"M3.5 6h5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.3\"/>\
    <path class=\"castline-collapse-plus\" d=\"M6 3.5v5\" fill=\"none\" stroke=\"currentColor\" \
    stroke-width=\"1.3\"/></svg>";

/// The legend's items (`#buildLegend` in `www/shell/controls.js`, `shapeIcon` in `dom.js`).
fn legend(story: &crate::view::story_view::StoryView) -> String {
    let mut out = String::new();
    for group in &story.header.groups {
        let _ = write!(
            out,
            "<li class=\"castline-legend-item\"><button type=\"button\" class=\"castline-legend-button\" \
             title=\"Show the events of {}\" aria-pressed=\"false\" disabled>\
             <svg class=\"castline-shape\" viewBox=\"0 0 14 14\" width=\"14\" height=\"14\" \
             aria-hidden=\"true\" focusable=\"false\">{}</svg>\
             <span class=\"castline-legend-name\">{}</span></button>\
             <button type=\"button\" class=\"castline-legend-collapse\" aria-label=\"Collapse {}\" \
             title=\"Collapse {} into one mark\" aria-pressed=\"false\" disabled>{COLLAPSE_ICON}</button></li>",
            escape(group.name),
            shape_icon(group.shape, &group.color),
            escape(group.name),
            escape(group.name),
            escape(group.name),
        );
    }
    out
}

fn shape_icon(shape: Shape, colour: &str) -> String {
    let colour = if colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
    {
        colour
    } else {
        "#8a8f99"
    };
    let polygon = |points: &[(f64, f64)]| {
        let points: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.2},{y:.2}"))
            .collect();
        format!("<polygon points=\"{}\"", points.join(" "))
    };
    let around = |n: usize, radius: &dyn Fn(usize) -> f64, phase: f64| -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = phase + (i as f64 * 2.0 * std::f64::consts::PI) / n as f64;
                (7.0 + radius(i) * a.cos(), 7.0 + radius(i) * a.sin())
            })
            .collect()
    };
    let node = match shape {
        Shape::Square => "<rect x=\"2\" y=\"2\" width=\"10\" height=\"10\"".to_owned(),
        Shape::Triangle => polygon(&[(7.0, 1.2), (13.0, 12.3), (1.0, 12.3)]),
        Shape::Diamond => polygon(&[(7.0, 0.6), (13.4, 7.0), (7.0, 13.4), (0.6, 7.0)]),
        Shape::Hexagon => polygon(&around(6, &|_| 6.3, std::f64::consts::PI / 6.0)),
        Shape::Star => polygon(&around(
            10,
            &|i| if i % 2 == 1 { 2.8 } else { 6.7 },
            -std::f64::consts::PI / 2.0,
        )),
        Shape::Circle => "<circle cx=\"7\" cy=\"7\" r=\"5.8\"".to_owned(),
    };
    let tag = node[1..].split(' ').next().unwrap_or("circle");
    format!("{node} fill=\"{colour}\"></{tag}>")
}

/// A count as the page writes it: "200,000".
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// Text for HTML, in an element or in a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DEFAULT_STORY, DEFAULT_STORY_FILE};

    fn default_stand_in() -> String {
        let mut app = App::from_json(DEFAULT_STORY_FILE, DEFAULT_STORY).expect("the default story");
        stand_in(&mut app, DEFAULT_STORY_FILE).expect("a stand-in")
    }

    #[test]
    fn the_default_story_stands_in_with_its_title_and_both_pictures_in_both_sizes() {
        let html = default_stand_in();
        assert!(html.starts_with(
            "<div class=\"castline-standin\" data-castline-src=\"data/peace-plan-2025.json\">"
        ));
        assert!(html.contains(
            "<h1 class=\"castline-title\">How the 28-point Ukraine peace plan was drafted</h1>"
        ));
        for variant in ["wide", "narrow"] {
            for picture in ["network", "timeline"] {
                let class = format!("castline-standin-{picture} castline-standin-{variant}\"");
                assert_eq!(html.matches(&class).count(), 1, "{picture} {variant}");
            }
        }
        let app = App::from_json(DEFAULT_STORY_FILE, DEFAULT_STORY).expect("the default story");
        let story = app.story_view();
        let network = format!(
            "aria-label=\"Network of {} actors in {} groups; all shown.\"",
            story.actors.len(),
            story.header.groups.len()
        );
        assert_eq!(html.matches(&network).count(), 2);
        assert_eq!(
            html.matches("aria-label=\"Time axis of 17 events, from ")
                .count(),
            2
        );
        for actor in &story.actors {
            assert!(html.contains(&escape(actor.name)), "{}", actor.name);
        }
        // Markup only: no script, and no style attribute the page's policy would refuse.
        assert!(!html.contains("<script"));
        assert!(!html.contains(" style="));
        assert!(!html.contains("<style"));
        assert!(html.contains("Showing 17 of 17 events"));
    }

    #[test]
    fn story_text_reaches_the_stand_in_only_escaped() {
        let nasty = r##"{"format": "castline/1",
            "title": "<script>alert('t')</script> & co",
            "summary": "\"><img src=x onerror=alert(1)>",
            "credit": "</p><iframe src=javascript:alert(1)>",
            "groups": [{"id": "g", "name": "<b onmouseover=alert(1)>G</b>", "color": "#123456"}],
            "actors": [{"id": "a", "name": "A<svg onload=alert(1)>", "group": "g"},
                       {"id": "b", "name": "B\" onclick=\"alert(1)", "group": "g"}],
            "events": [{"id": "e", "title": "</text><script>alert(1)</script>", "date": "2025-11-01",
                        "actors": ["a", "b"]}]}"##;
        let mut app = App::from_json("nasty.json", nasty).expect("the story reads");
        let html = stand_in(&mut app, "data/x.json?a=\"b\"").expect("a stand-in");
        for bad in [
            "<script",
            "<img",
            "<iframe",
            "<b ",
            "<svg onload",
            "\" onclick",
            "</text><",
        ] {
            assert!(!html.contains(bad), "{bad} in the stand-in");
        }
        assert!(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; co"));
        assert!(html.contains("data-castline-src=\"data/x.json?a=&quot;b&quot;\""));
    }

    #[test]
    fn one_svg_serves_both_themes_through_classes_on_the_themes_colours() {
        let html = default_stand_in();
        for class in ["f-bg", "s-edge", "f-ink"] {
            assert!(html.contains(class), "{class}");
        }
        // Each class is one of the theme's colours, and castline.css gives the variables the
        // same values as the drawing in light and dark.
        let css = include_str!("../../www/castline.css");
        let values = |block: &str| -> Vec<(String, String)> {
            block
                .lines()
                .filter_map(|l| {
                    let l = l.trim().strip_prefix("--cl-pic-")?;
                    let (name, value) = l.split_once(':')?;
                    Some((
                        name.to_owned(),
                        value.trim().trim_end_matches(';').to_owned(),
                    ))
                })
                .collect()
        };
        let light_block = css.split("@media (prefers-color-scheme: dark)").next();
        let dark_block = css
            .split("@media (prefers-color-scheme: dark)")
            .nth(1)
            .and_then(|b| b.split("*, *::before").next());
        let fixed_dark = css
            .split(":root.castline-theme-dark {")
            .nth(1)
            .and_then(|b| b.split('}').next());
        for (block, theme) in [
            (light_block, &LIGHT),
            (dark_block, &DARK),
            (fixed_dark, &DARK),
        ] {
            let got = values(block.expect("the block in castline.css"));
            let want: Vec<(String, String)> = theme_colours(theme)
                .iter()
                .map(|(n, c)| ((*n).to_owned(), hex(*c)))
                .collect();
            assert_eq!(got, want);
            for (name, _) in &want {
                for prefix in ["f", "s"] {
                    let rule = format!(".castline-picture .{prefix}-{name} {{");
                    assert!(css.contains(&rule), "{rule}");
                }
            }
        }
    }

    #[test]
    fn runs_of_lines_and_rectangles_of_one_look_become_one_path_each() {
        let svg = "<svg>\n<line class=\"s-edge\" stroke=\"#9A9A9A\" x1=\"1\" y1=\"2\" x2=\"3\" y2=\"4\"/>\n\
                   <line class=\"s-edge\" stroke=\"#9A9A9A\" x1=\"5\" y1=\"6\" x2=\"7\" y2=\"8\"/>\n\
                   <line stroke=\"#123456\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"/>\n\
                   <rect x=\"1\" y=\"1\" width=\"2\" height=\"3\" fill=\"#FFFFFF\"/>\n\
                   <rect x=\"4\" y=\"1\" width=\"2\" height=\"3\" fill=\"#FFFFFF\"/>\n\
                   <circle cx=\"1\" cy=\"1\" r=\"2\"/>\n</svg>\n";
        assert_eq!(
            compact(svg),
            "<svg>\n<path class=\"s-edge\" stroke=\"#9A9A9A\" fill=\"none\" d=\"M1 2L3 4M5 6L7 8\"/>\n\
             <path stroke=\"#123456\" fill=\"none\" d=\"M0 0L1 1\"/>\n\
             <path fill=\"#FFFFFF\" d=\"M1 1h2v3h-2zM4 1h2v3h-2z\"/>\n\
             <circle cx=\"1\" cy=\"1\" r=\"2\"/>\n</svg>\n"
        );
    }

    #[test]
    fn themed_refuses_pictures_that_differ_in_more_than_the_themes_colours() {
        let light = "<svg>\n<rect fill=\"#FFFFFF\" x=\"1\"/>\n</svg>\n";
        let dark = "<svg>\n<rect fill=\"#17181B\" x=\"1\"/>\n</svg>\n";
        assert_eq!(
            themed(light, dark).expect("themed"),
            "<svg>\n<rect class=\"f-bg\" fill=\"#FFFFFF\" x=\"1\"/>\n</svg>\n"
        );
        assert!(themed(light, &dark.replace("x=\"1\"", "x=\"2\"")).is_err());
        assert!(themed(light, &dark.replace("#17181B", "#123456")).is_err());
        assert!(themed(light, "<svg>\n</svg>\n").is_err());
    }

    #[test]
    fn a_story_with_problems_or_a_big_one_gets_no_stand_in() {
        let with_warning = r#"{"format": "castline/1", "title": "T", "surprise": 1,
            "actors": [{"id": "a", "name": "A"}],
            "events": [{"id": "e", "title": "E", "date": "2025-11-01", "actors": ["a"]}]}"#;
        let mut app = App::from_json("w.json", with_warning).expect("the story reads");
        assert!(matches!(
            stand_in(&mut app, "data/w.json"),
            Err(NoStandIn::Diagnostics)
        ));
        let big = crate::write::generate::generate(600, 50, 1);
        let mut app = App::from_json("big.json", &big).expect("the story reads");
        assert!(matches!(
            stand_in(&mut app, "data/big.json"),
            Err(NoStandIn::Big)
        ));
    }

    #[test]
    fn dates_and_counts_read_as_the_page_writes_them() {
        assert_eq!(
            published_in_words("2025-09-05"),
            ("5 Sept 2025".to_owned(), Some("2025-09-05".to_owned()))
        );
        assert_eq!(published_in_words("autumn"), ("autumn".to_owned(), None));
        // As the page's Date.UTC has it.
        assert_eq!(published_in_words("2025-02-30").0, "2 Mar 2025");
        assert_eq!(published_in_words("2024-02-29").0, "29 Feb 2024");
        assert_eq!(published_in_words("0099-01-01").0, "1 Jan 1999");
        assert_eq!(published_in_words("2025-13-01").0, "1 Jan 2026");
        assert_eq!(count(200_000), "200,000");
        assert_eq!(count(999), "999");
        assert_eq!(plural(1, "event", "events"), "1 event");
    }
}
