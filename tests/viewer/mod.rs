//! The stand-in viewer folder the publish tests pass as `--viewer`, so they need no wasm.

use std::path::{Path, PathBuf};

/// The smallest viewer folder publish accepts: pages that load app.js, which names the
/// default story, and two "wasm" files; and the page that makes an embed.
pub fn viewer(root: &Path) -> PathBuf {
    let dir = root.join("viewer");
    let files: [(&str, &str); 9] = [
        (
            "index.html",
            "<!doctype html><meta charset=\"utf-8\"><title>Castline</title><link rel=\"preload\" href=\"pkg/castline_bg.wasm\"><script type=\"module\" src=\"app.js\"></script><!--castline-stand-in--><noscript><p class=\"castline-noscript\">Turn on JavaScript.</p></noscript>",
        ),
        (
            "embed.html",
            "<!doctype html><meta charset=\"utf-8\"><script type=\"module\" src=\"embedded.js\"></script>",
        ),
        ("embed.js", "var page = 'embed.html';"),
        (
            "app.js",
            "import './pkg/castline.js'; const D = 'data/peace-plan-2025.json';",
        ),
        (
            "embedded.js",
            "import './pkg/castline.js'; const D = 'data/peace-plan-2025.json';",
        ),
        (
            "make.html",
            "<!doctype html><meta charset=\"utf-8\"><title>Make an embed · Castline</title><link rel=\"alternate\" type=\"application/json+oembed\" href=\"oembed?format=json\" title=\"Castline (oEmbed)\"><script type=\"module\" src=\"make.js\"></script>",
        ),
        (
            "make.js",
            "import './pkg/castline.js'; const D = 'data/peace-plan-2025.json';",
        ),
        (
            "pkg/castline.js",
            "fetch(new URL('castline_bg.wasm', import.meta.url));",
        ),
        ("pkg/castline_bg.wasm", "\0asm"),
    ];
    for (name, text) in files
        .into_iter()
        .chain([("pkg/castline_full_bg.wasm", "\0asm")])
    {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, text).expect("write");
    }
    dir
}
