//! The viewer's files a publication is made of (the pages, scripts, styles and both wasm
//! builds): read from a folder (`www/` of a checkout after `make build`, or `--viewer DIR`),
//! or, in a binary built with the `embedded-viewer` feature (`make install`), from the copy
//! built into it, so that a `castline` copied to any machine publishes and serves with no
//! checkout, Node or wasm-bindgen.

use std::path::{Path, PathBuf};

/// The files the viewer cannot work without: a folder lacking one is not a built viewer.
pub const NEEDED: [&str; 6] = [
    "index.html",
    "embed.html",
    "embed.js",
    "app.js",
    "pkg/castline_bg.wasm",
    "pkg/castline_full_bg.wasm",
];

/// Files never taken into a publication: the editor's and the system's.
fn skipped(name: &str) -> bool {
    name.split('/').any(|part| part.starts_with('.'))
}

/// The viewer's files, by path relative to its root (`shell/core.js`), sorted.
#[derive(Debug, Clone)]
pub struct ViewerFiles {
    pub files: Vec<(String, Vec<u8>)>,
    /// Where they came from, for messages.
    pub origin: String,
}

impl ViewerFiles {
    /// Every file under `dir`; `Err` names what is missing.
    pub fn from_dir(dir: &Path) -> Result<ViewerFiles, String> {
        let mut files = Vec::new();
        collect(dir, "", &mut files).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        files.sort();
        let viewer = ViewerFiles {
            files,
            origin: dir.display().to_string(),
        };
        viewer.complete()?;
        Ok(viewer)
    }

    /// The copy built into the binary, when it was built with the `embedded-viewer` feature.
    pub fn embedded() -> Option<ViewerFiles> {
        #[cfg(feature = "embedded-viewer")]
        {
            let files = embedded::FILES
                .iter()
                .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
                .collect();
            Some(ViewerFiles {
                files,
                origin: "the viewer built into castline".into(),
            })
        }
        #[cfg(not(feature = "embedded-viewer"))]
        None
    }

    /// The viewer to publish with: `given` (`--viewer DIR`); else `www/` in the working
    /// directory when it holds a built viewer (a checkout after `make build`: what it serves);
    /// else the embedded copy.
    pub fn find(given: Option<&Path>) -> Result<ViewerFiles, String> {
        if let Some(dir) = given {
            return ViewerFiles::from_dir(dir);
        }
        let www = PathBuf::from("www");
        if NEEDED.iter().all(|f| www.join(f).is_file()) {
            return ViewerFiles::from_dir(&www);
        }
        ViewerFiles::embedded().ok_or_else(|| {
            "no viewer to publish with: this castline was built without one (build it with \
             `make install`), and there is no built www/ here (run `make build` in a checkout)"
                .to_owned()
        })
    }

    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.files[i].1.as_slice())
    }

    fn complete(&self) -> Result<(), String> {
        match NEEDED.iter().find(|f| self.get(f).is_none()) {
            Some(missing) => Err(format!(
                "{} has no {missing}: is the viewer built (`make build`)?",
                self.origin
            )),
            None => Ok(()),
        }
    }

    /// Writes the files under `dir` (for `castline serve` from the embedded copy).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }
}

/// `castline serve`'s configuration, pointed at the embedded viewer when it was asked for
/// the default `www/` and the working directory has none (a binary copied out of the
/// checkout): the copy is written once to a folder in the system's temporary directory,
/// named by its content, with the default story in its `data/` when there is no `data/`
/// here either. In a checkout, or with `--root`, the configuration is left as it is.
pub fn serve_embedded(
    config: &crate::cli::serve::ServeConfig,
) -> Result<crate::cli::serve::ServeConfig, String> {
    use crate::cli::serve::{DEFAULT_DATA, DEFAULT_ROOT};
    let asked_default = config.root == Path::new(DEFAULT_ROOT);
    let Some(viewer) = ViewerFiles::embedded().filter(|_| asked_default && !config.root.exists())
    else {
        return Ok(config.clone());
    };
    // FNV-1a over the files: a new build's viewer gets a folder of its own.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in &viewer.files {
        for &b in name.as_bytes().iter().chain(bytes) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let dir = std::env::temp_dir().join(format!("castline-viewer-{h:016x}"));
    let www = dir.join("www");
    let fail =
        |e: std::io::Error| format!("cannot write the built-in viewer to {}: {e}", dir.display());
    viewer.write_to(&www).map_err(fail)?;
    let mut served = config.clone();
    served.root = www;
    if config.data == Path::new(DEFAULT_DATA) && !config.data.exists() {
        let data = dir.join("data");
        let story = data.join(
            crate::DEFAULT_STORY_FILE
                .strip_prefix("data/")
                .unwrap_or(crate::DEFAULT_STORY_FILE),
        );
        std::fs::create_dir_all(&data).map_err(fail)?;
        std::fs::write(story, crate::DEFAULT_STORY).map_err(fail)?;
        served.data = data;
    }
    eprintln!("castline serve: serving the viewer built into castline (no www/ here)");
    Ok(served)
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if skipped(&rel) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(&entry.path(), &rel, out)?;
        } else if kind.is_file() {
            out.push((rel, std::fs::read(entry.path())?));
        }
    }
    Ok(())
}

#[cfg(feature = "embedded-viewer")]
mod embedded {
    // Written by build.rs from www/: `pub const FILES: &[(&str, &[u8])]`.
    include!(concat!(env!("OUT_DIR"), "/embedded_viewer.rs"));
}
