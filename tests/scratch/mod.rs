//! A scratch directory for the command-line tests (tests/cli.rs, fetch.rs, publish.rs,
//! render.rs), removed on drop. Each test file compiles this module on its own and uses part
//! of it, hence the `dead_code` allowances.

use std::path::PathBuf;

pub struct Scratch(pub PathBuf);

impl Scratch {
    /// `kind` names the test file, `name` the test: parallel tests never share a directory.
    pub fn new(kind: &str, name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "castline-{kind}-test-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    /// A path in it.
    #[allow(dead_code)]
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// A file written in it.
    #[allow(dead_code)]
    pub fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
