//! With the `embedded-viewer` feature, builds the viewer (www/, with both wasm builds that
//! `make wasm` puts in www/pkg) into the binary: writes `$OUT_DIR/embedded_viewer.rs`, a list
//! of `(path, include_bytes!(…))` that src/cli/publish/viewer.rs includes. Without the
//! feature it does nothing, so lint and the native tests need no wasm.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-env-changed=CARGO_FEATURE_EMBEDDED_VIEWER");
    if std::env::var_os("CARGO_FEATURE_EMBEDDED_VIEWER").is_none() {
        return;
    }
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("www");
    for needed in [
        "index.html",
        "pkg/castline_bg.wasm",
        "pkg/castline_full_bg.wasm",
    ] {
        if !root.join(needed).is_file() {
            panic!(
                "the embedded-viewer feature builds www/ into castline, but www/{needed} is \
                 missing: run `make wasm` first (`make install` does)"
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
    println!("cargo::rerun-if-changed={}", root.display());
    println!("cargo::rerun-if-changed={}", root.join("pkg").display());
    println!("cargo::rerun-if-changed={}", root.join("shell").display());
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
