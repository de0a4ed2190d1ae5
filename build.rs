//! With the `embedded-viewer` feature, builds the viewer (www/, with both wasm builds that
//! `make wasm` puts in www/pkg) into the binary: writes `$OUT_DIR/embedded_viewer.rs`, a list
//! of `(path, include_bytes!(…))` that src/cli/publish/viewer.rs includes. `CASTLINE_VIEWER`
//! names another folder to build in instead: `make install` gives the viewer as `make dist`
//! ships it (its scripts bundled and minified, `scripts/dist.mjs --viewer-only`). Without the
//! feature it does nothing, so lint and the native tests need no wasm.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-env-changed=CARGO_FEATURE_EMBEDDED_VIEWER");
    println!("cargo::rerun-if-env-changed=CASTLINE_VIEWER");
    if std::env::var_os("CARGO_FEATURE_EMBEDDED_VIEWER").is_none() {
        return;
    }
    let root = match std::env::var_os("CASTLINE_VIEWER") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
            .join("www"),
    };
    for needed in [
        "index.html",
        "pkg/castline_bg.wasm",
        "pkg/castline_full_bg.wasm",
    ] {
        if !root.join(needed).is_file() {
            panic!(
                "the embedded-viewer feature builds {} into castline, but its {needed} is \
                 missing: run `make wasm` first (`make install` does)",
                root.display()
            );
        }
    }
    let mut files = Vec::new();
    collect(&root, "", &mut files);
    files.sort();
    let mut out = String::from("pub const FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    // The folders too, for files added or removed (a bundled viewer has no shell/).
    for dir in [root.clone(), root.join("pkg"), root.join("shell")] {
        if dir.is_dir() {
            println!("cargo::rerun-if-changed={}", dir.display());
        }
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"))
        .join("embedded_viewer.rs");
    std::fs::write(dest, out).expect("write embedded_viewer.rs");
}

/// Every file under `dir` but dotfiles, by its path relative to www/.
fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if path.is_dir() {
            collect(&path, &rel, out);
        } else if path.is_file() {
            out.push((rel, path));
        }
    }
}
