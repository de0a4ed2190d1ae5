//! `castline publish STORY… -o SITE/`: one story as a self-contained static folder, for any
//! host at any path (docs/publishing.md): the viewer's page and embed page with `embed.js`,
//! the story as Castline JSON with its network laid out to rest (`story.json`: the page opens
//! without a movement), the fallback pictures (`story.svg`, `story.png`, `story.txt`), the
//! share card tags, and `oembed.json` when the folder's URL is known (`--base-url`).
//!
//! Publishing again into a folder that holds an earlier publication starts the layout from
//! its positions, so actors stay where readers saw them, and replaces the files it wrote
//! (listed in [`MANIFEST`]); a folder holding anything else is refused.

pub mod site;
pub mod viewer;
pub mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::read::detect::load_files;
use crate::read::json::load_json;
use crate::story::model::Story;
use crate::view::fixed::settle;
use crate::write::json::to_compact_json;
use crate::{App, render};

use super::commands::{Tally, print_all, read_input};
use site::{Card, STORY_FILE};
use viewer::ViewerFiles;

/// The list of files a publication wrote, so that the next one into the same folder removes
/// exactly those (and nothing the folder's owner put beside them).
pub const MANIFEST: &str = ".castline-publish";

/// What `castline publish` was asked for (the parsed command line's side of it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// The absolute URL the folder will be served from.
    pub base_url: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub credit: Option<String>,
    /// The viewer's folder, instead of `www/` or the embedded copy.
    pub viewer: Option<PathBuf>,
    /// TrueType font for story.png's text.
    pub font: Option<PathBuf>,
    /// Actor ids the pages open with selected.
    pub select: Vec<String>,
    /// The time window the pages open with: its start and end (either may be open).
    pub window: Option<(Option<String>, Option<String>)>,
    /// `light` or `dark`: the pages' colours fixed.
    pub theme: Option<String>,
    /// Publish again whenever an input file changes ([`watch`]).
    pub watch: bool,
}

/// Runs `castline publish`: 0 published, 1 failed (nothing, or not all, written). With
/// `--watch` it runs until stopped.
pub fn run(options: &PublishOptions) -> ExitCode {
    if options.watch {
        return watch::watch(options);
    }
    match publish(options) {
        Ok(summary) => {
            eprintln!("castline publish: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("castline publish: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Publishes; `Ok` says what was written, `Err` why nothing (or not all) was.
pub fn publish(options: &PublishOptions) -> Result<String, String> {
    let out = &options.output;
    let earlier = earlier_publication(out)?;
    let viewer = ViewerFiles::find(options.viewer.as_deref())?;
    let mut story = read_story(&options.inputs)?;
    if let Some(title) = &options.title {
        story.title.clone_from(title);
    }
    if options.summary.is_some() {
        story.summary.clone_from(&options.summary);
    }
    if options.credit.is_some() {
        story.credit.clone_from(&options.credit);
    }
    // Where readers saw the actors last: the layout starts there (by id), as far as the
    // story's own positions do not say otherwise.
    for actor in story.actors.iter_mut().filter(|a| a.position.is_none()) {
        actor.position = earlier.positions.get(&actor.id).copied();
    }
    settle(&mut story);
    // The pictures (the stand-in, the fallback and the share card) show the view the pages
    // open with.
    let (view, _) = starting_view(&story, options)?;
    let opening = || -> Result<App, String> { Ok(starting_view(&story, options)?.1) };
    let json =
        to_compact_json(&story).map_err(|e| format!("cannot write the story as JSON: {e}"))?;

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let picture = |f: &dyn Fn(&mut App) -> Result<Vec<u8>, String>| f(&mut opening()?);
    files.insert(
        "story.svg".into(),
        picture(&|app| render::render_svg(app, 900.0).map(String::into_bytes))?,
    );
    files.insert(
        "story.txt".into(),
        picture(&|app| Ok(render::story_text(app).into_bytes()))?,
    );
    let png = match render::bitmap::Fonts::load(options.font.as_deref()) {
        Ok(fonts) => picture(&|app| {
            render::bitmap::render_png(app, site::CARD_WIDTH, 1.0, Some(&fonts))
                .map_err(|e| e.to_string())
        })?,
        Err(e) => {
            return Err(format!(
                "story.png (the share card): {e}; pass --font FILE.ttf"
            ));
        }
    };
    let (width, height) = png_size(&png).ok_or("story.png: the picture drawn is not a PNG")?;
    files.insert("story.png".into(), png);
    let stand_in = render::stand_in::stand_in(&mut opening()?, STORY_FILE);
    if let Err(e) = &stand_in {
        eprintln!("castline publish: the pages get no stand-in: {e}");
    }
    let base_url = options.base_url.as_deref().map(base_url).transpose()?;
    let card = Card {
        title: if story.title.is_empty() {
            "Castline"
        } else {
            &story.title
        },
        summary: story.summary.as_deref(),
        width,
        height,
        stand_in: stand_in.as_deref().ok(),
        base_url: base_url.as_deref(),
        view: view.as_deref(),
        theme: options.theme.as_deref(),
    };
    files.extend(site::site_files(&viewer.files, &card)?);
    if let Some(base) = &base_url {
        files.insert("oembed.json".into(), site::oembed(base, &card).into_bytes());
    }
    files.insert(STORY_FILE.into(), json.into_bytes());

    write_folder(out, &earlier.files, &files)?;
    Ok(format!(
        "wrote {}/ ({} files; {} events, {} actors) with {}{}",
        out.display(),
        files.len(),
        story.events.len(),
        story.actors.len(),
        viewer.origin,
        if earlier.positions.is_empty() {
            ""
        } else {
            "; the actors started where the earlier publication had them"
        }
    ))
}

/// `--select` and `--window` checked against the story (an unknown id or a date that does
/// not parse is an error naming it), as the fragment the pages open with (`None` for
/// neither), and a viewer showing that view.
fn starting_view(story: &Story, options: &PublishOptions) -> Result<(Option<String>, App), String> {
    let mut app = App::new(story.clone(), Vec::new());
    let mut parts = Vec::new();
    if !options.select.is_empty() {
        app.select(&options.select)
            .map_err(|e| format!("--select: {e}"))?;
        let ids: Vec<String> = options.select.iter().map(|id| encode(id)).collect();
        parts.push(format!("select={}", ids.join(",")));
    }
    if let Some((start, end)) = &options.window {
        app.set_time_window(start.as_deref(), end.as_deref())
            .map_err(|e| format!("--window: {e}"))?;
        let side = |s: &Option<String>| s.as_deref().map(encode).unwrap_or_default();
        parts.push(format!("window={}..{}", side(start), side(end)));
    }
    Ok(((!parts.is_empty()).then(|| parts.join("&")), app))
}

/// Percent-encodes what a fragment's value cannot hold as it is (its separators `&`, `,`,
/// `=`, `#`, `%`, and anything not ASCII), as `encodeURIComponent` does for those.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~:+".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads the story from its files: its problems are printed; any error publishes nothing.
fn read_story(inputs: &[PathBuf]) -> Result<Story, String> {
    let mut tally = Tally::default();
    let mut stderr = std::io::stderr().lock();
    let mut read = Vec::new();
    for input in inputs {
        match read_input(input) {
            Ok(text) => read.push((input.display().to_string(), text)),
            Err(d) => {
                tally.count(std::slice::from_ref(&d));
                print_all(&[d], &mut stderr);
            }
        }
    }
    let files: Vec<(&str, &str)> = read.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let loaded = if tally.errors == 0 {
        Some(load_files(&files))
    } else {
        None
    };
    let story = match loaded {
        Some(Ok(loaded)) => {
            tally.count(&loaded.diagnostics);
            print_all(&loaded.diagnostics, &mut stderr);
            Some(loaded.story)
        }
        Some(Err(diagnostics)) => {
            tally.count(&diagnostics);
            print_all(&diagnostics, &mut stderr);
            None
        }
        None => None,
    };
    match story {
        Some(story) if tally.errors == 0 => Ok(story),
        _ => Err(format!(
            "nothing published: {} (fix the errors; `castline check` lists them)",
            tally.describe()
        )),
    }
}

/// What a folder holds of an earlier publication.
#[derive(Default)]
struct Earlier {
    positions: BTreeMap<String, [f64; 2]>,
    /// The files it wrote, to be replaced.
    files: Vec<String>,
}

/// The earlier publication in `out`: none when the folder is missing or empty; refused when
/// it holds files that are not a publication's.
fn earlier_publication(out: &Path) -> Result<Earlier, String> {
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries.count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Earlier::default()),
        Err(e) => return Err(format!("cannot read the folder {}: {e}", out.display())),
    };
    if entries == 0 {
        return Ok(Earlier::default());
    }
    let Ok(manifest) = std::fs::read_to_string(out.join(MANIFEST)) else {
        return Err(format!(
            "{} is not empty and holds no earlier publication ({MANIFEST}): choose a new or empty folder",
            out.display()
        ));
    };
    let files: Vec<String> = manifest
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('/') && !l.split('/').any(|p| p == ".."))
        .map(str::to_owned)
        .collect();
    let positions = std::fs::read_to_string(out.join(STORY_FILE))
        .ok()
        .and_then(|text| load_json(STORY_FILE, &text).ok())
        .map(|loaded| {
            loaded
                .story
                .actors
                .into_iter()
                .filter_map(|a| Some((a.id, a.position?)))
                .collect()
        })
        .unwrap_or_default();
    Ok(Earlier { positions, files })
}

/// Removes the earlier publication's files and writes the new ones with their manifest.
fn write_folder(
    out: &Path,
    earlier: &[String],
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(), String> {
    let fail = |path: &Path, e: std::io::Error| format!("cannot write {}: {e}", path.display());
    std::fs::create_dir_all(out).map_err(|e| fail(out, e))?;
    for name in earlier.iter().filter(|n| !files.contains_key(*n)) {
        let _ = std::fs::remove_file(out.join(name));
    }
    for (name, bytes) in files {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| fail(&path, e))?;
    }
    let manifest: String = files.keys().map(|n| format!("{n}\n")).collect();
    std::fs::write(out.join(MANIFEST), manifest).map_err(|e| fail(&out.join(MANIFEST), e))
}

/// `--base-url`: an absolute http(s) URL, ending in `/`, without query or fragment.
pub fn base_url(url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || !crate::read::load::is_web_url(url)
    {
        return Err(format!("--base-url {url}: must be an absolute http(s) URL"));
    }
    let mut url = url.split(['?', '#']).next().unwrap_or(url).to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let word = |at: usize| Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?));
    png.starts_with(b"\x89PNG").then_some(())?;
    Some((word(16)?, word(20)?))
}
