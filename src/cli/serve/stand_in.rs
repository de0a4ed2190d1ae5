//! The story's picture in the pages `castline serve` sends (issue 17 §4): the page and the
//! embed of the default story get its stand-in ([`crate::render::stand_in`]) in place of their
//! mark, so the picture is on screen before any script runs. The pages also preload the default
//! story; a page of another story (`?data=…`) gets no stand-in and preloads that story instead
//! when it is on this server (or nothing).
//!
//! The stand-in is drawn once and kept until the story's file changes (its length or time).

use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::App;
use crate::render::stand_in::{MARK, put_in, stand_in};

/// The pages' preload of the default story, as `www/index.html` and `www/embed.html` write it.
pub const STORY_PRELOAD: &str = concat!(
    r#"<link rel="preload" href=""#,
    "data/peace-plan-2025.json",
    r#"" as="fetch" type="application/json" crossorigin fetchpriority="low">"#
);

type Key = (u64, Option<SystemTime>);

/// The default story's stand-in, drawn when first asked for and again when its file changes.
#[derive(Default)]
pub struct StandIns {
    drawn: Mutex<Option<(Key, Option<String>)>>,
}

impl StandIns {
    /// `html` (a page as read from the page directory) for the request `url`, with the stand-in
    /// and the story's preload as that page's story wants them.
    pub fn page(&self, html: &str, url: &str, data: &Path) -> String {
        if !html.contains(MARK) {
            return html.to_owned();
        }
        let query = url
            .split('#')
            .next()
            .and_then(|u| u.split_once('?'))
            .map_or("", |(_, q)| q);
        let named = super::parse_query(query)
            .unwrap_or_default()
            .into_iter()
            .find(|(k, _)| k == "data")
            .map(|(_, v)| v)
            .filter(|v| !v.trim().is_empty());
        match named {
            Some(other) if other != crate::DEFAULT_STORY_FILE => {
                html.replacen(STORY_PRELOAD, &preload_of(&other), 1)
            }
            _ => match self.default_story(data) {
                Some(stand_in) => put_in(html, &stand_in),
                None => html.to_owned(),
            },
        }
    }

    fn default_story(&self, data: &Path) -> Option<String> {
        let relative = crate::DEFAULT_STORY_FILE.strip_prefix("data/")?;
        let path = data.join(relative);
        let meta = std::fs::metadata(&path).ok()?;
        let key = (meta.len(), meta.modified().ok());
        // A poisoned lock only means another request panicked while drawing: draw again.
        let mut drawn = self.drawn.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, html)) = drawn.as_ref()
            && *k == key
        {
            return html.clone();
        }
        let html = draw(&path);
        *drawn = Some((key, html.clone()));
        html
    }
}

fn draw(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let loaded = match crate::read::detect::load_any(crate::DEFAULT_STORY_FILE, &text) {
        Ok(loaded) => loaded,
        Err(_) => return None,
    };
    let mut app = App::new(loaded.story, loaded.diagnostics);
    match stand_in(&mut app, crate::DEFAULT_STORY_FILE) {
        Ok(html) => Some(html),
        Err(e) => {
            eprintln!("castline serve: the default story gets no stand-in: {e}");
            None
        }
    }
}

/// The preload of a story the page names by `?data=`: a path on this server is preloaded (the
/// page fetches the same URL); another origin's, or anything odd, is not.
fn preload_of(named: &str) -> String {
    let scheme = named
        .split_once(':')
        .is_some_and(|(before, _)| !before.contains('/'));
    if scheme || named.starts_with("//") || named.contains(['<', '>', '\n', '\r']) {
        return String::new();
    }
    format!(
        r#"<link rel="preload" href="{}" as="fetch" crossorigin fetchpriority="low">"#,
        crate::render::stand_in::escape(named)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = concat!(
        r#"<head><link rel="preload" href="data/peace-plan-2025.json" as="fetch" type="application/json" crossorigin fetchpriority="low"></head>"#,
        "<div id=\"castline\"><!--castline-stand-in--></div>"
    );

    fn data_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    #[test]
    fn the_default_story_is_drawn_into_its_pages_and_another_story_is_preloaded_instead() {
        let pictures = StandIns::default();
        for url in [
            "/",
            "/embed.html?parent=x",
            "/?data=data%2Fpeace-plan-2025.json#select=a",
        ] {
            let page = pictures.page(PAGE, url, &data_dir());
            assert!(page.contains("<div class=\"castline-standin\""), "{url}");
            assert!(page.contains(STORY_PRELOAD), "{url}");
            assert!(!page.contains(MARK));
        }
        let other = pictures.page(PAGE, "/?data=data%2Fexamples%2Fx.csv", &data_dir());
        assert!(!other.contains("castline-standin"));
        assert!(!other.contains(STORY_PRELOAD));
        assert!(
            other.contains(
                r#"<link rel="preload" href="data/examples/x.csv" as="fetch" crossorigin fetchpriority="low">"#
            )
        );
        for url in [
            "/?data=https%3A%2F%2Fexample.org%2Fs.json",
            "/?data=javascript%3Aalert(1)",
            "/?data=%22%3E%3Cscript%3E",
        ] {
            let page = pictures.page(PAGE, url, &data_dir());
            assert!(!page.contains("rel=\"preload\""), "{url}");
            assert!(!page.contains("<script"), "{url}");
        }
        // The stand-in's mark is the pages' own.
        for page in ["index.html", "embed.html"] {
            let html = std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("www").join(page),
            )
            .expect("the page");
            assert!(html.contains(MARK), "{page}");
            assert!(html.contains(STORY_PRELOAD), "{page}");
        }
    }

    #[test]
    fn without_the_default_story_the_page_has_no_stand_in() {
        let empty = std::env::temp_dir().join("castline-no-data-here");
        let page = StandIns::default().page(PAGE, "/", &empty);
        assert!(!page.contains("castline-standin"));
    }
}
