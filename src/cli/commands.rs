//! The commands' work: reading the files a parsed command line names, calling the library,
//! printing, and turning the outcome into an exit code (0 ok, 1 failure, 2 for the usage
//! errors only a run can find, such as an output that would overwrite an input). The loaders,
//! writers and drawing are the library's ([`crate::read`], [`crate::write`], [`crate::draw`],
//! [`super::serve`]); this file only joins them to files and the terminal.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{CheckArgs, Command, ConvertArgs, GenerateArgs, Picture, RenderArgs};
use super::serve::{self, ServeConfig};
use crate::read::detect::{Format, decode, detect, load_files};
use crate::read::load::{Diagnostic, MAX_INPUT_BYTES, Severity};
use crate::write::json::to_json;
use crate::{App, render};

/// Runs a command that parsed.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check(CheckArgs { files }) => run_check(&files),
        Command::Convert(ConvertArgs { inputs, output }) => run_convert(&inputs, &output),
        Command::Render(args) => run_render(&args),
        Command::Generate(args) => run_generate(&args),
        Command::Serve(args) => run_serve(&ServeConfig::from(args)),
        Command::Publish(args) => super::publish::run(&args.into()),
    }
}

fn run_serve(config: &ServeConfig) -> ExitCode {
    let config = match super::publish::viewer::serve_embedded(config) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("castline serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match serve::bind(&config) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("castline serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Tests and scripts read the URL from this exact line, so flush it
    // now rather than when the buffer happens to fill.
    let mut out = io::stdout().lock();
    let announced = writeln!(out, "Castline is serving the page at {}", server.url())
        .and_then(|()| out.flush());
    drop(out);
    if let Err(e) = announced {
        eprintln!("castline serve: cannot write to stdout: {e}");
    }
    eprintln!("castline serve: press Ctrl-C to stop");
    server.run();
    ExitCode::SUCCESS
}

fn run_generate(args: &GenerateArgs) -> ExitCode {
    let json = crate::write::generate::generate(args.actors, args.events, args.seed);
    let output = args
        .output
        .as_deref()
        .filter(|path| path.as_os_str() != "-");
    let written = match output {
        Some(path) => std::fs::write(path, &json).map_err(|e| format!("{}: {e}", path.display())),
        None => io::stdout()
            .lock()
            .write_all(json.as_bytes())
            .map_err(|e| e.to_string()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("castline generate: cannot write {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_render(args: &RenderArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!("castline render: {message}");
        ExitCode::FAILURE
    };
    if let Some(input) = args.inputs.iter().find(|i| same_file(i, &args.output)) {
        return fail(format!(
            "refusing to overwrite the input {}",
            input.display()
        ));
    }
    let Some(picture) = Picture::of(&args.output) else {
        // The parser allows no other extension; said here too rather than assumed.
        eprintln!("castline render: render writes .svg, .png, .txt or .html files");
        return ExitCode::from(2);
    };
    // Fonts first: a missing font is said before any work is done.
    let fonts = if picture == Picture::Png {
        match render::bitmap::Fonts::load(args.font.as_deref()) {
            Ok(fonts) => Some(fonts),
            Err(e) => return fail(e.to_string()),
        }
    } else {
        None
    };
    let mut tally = Tally::default();
    let mut stderr = io::stderr().lock();
    let read = read_all(&args.inputs, &mut tally, &mut stderr);
    let files: Vec<(&str, &str)> = read
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let loaded = match load_files(&files) {
        Ok(loaded) if tally.errors == 0 => loaded,
        Ok(_) => return fail(format!("nothing drawn; {}", tally.describe())),
        Err(diagnostics) => {
            tally.count(&diagnostics);
            print_all(&diagnostics, &mut stderr);
            return fail(format!("nothing drawn; {}", tally.describe()));
        }
    };
    // Problems in single records are reported; the rest is drawn, as the page does.
    tally.count(&loaded.diagnostics);
    print_all(&loaded.diagnostics, &mut stderr);
    drop(stderr);
    if picture == Picture::Html && !args.select.is_empty() {
        return fail("--select: the stand-in shows the view the page opens with".into());
    }
    let mut app = App::new(loaded.story, loaded.diagnostics);
    if !args.select.is_empty()
        && let Err(e) = app.select(&args.select)
    {
        return fail(format!("--select: {e}"));
    }
    let bytes = match picture {
        Picture::Svg => render::render_svg(&mut app, args.width).map(String::into_bytes),
        Picture::Png => {
            render::bitmap::render_png(&mut app, args.width, args.scale, fonts.as_ref())
                .map_err(|e| e.to_string())
        }
        Picture::Text => Ok(render::story_text(&app).into_bytes()),
        Picture::Html => {
            // The page loads the story by the path given (`data/story.json`).
            let src = args
                .inputs
                .first()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            render::stand_in::stand_in(&mut app, &src)
                .map(String::into_bytes)
                .map_err(|e| e.to_string())
        }
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => return fail(e),
    };
    if let Err(e) = write_replacing(&args.output, &bytes) {
        return fail(format!("cannot write {}: {e}", args.output.display()));
    }
    eprintln!(
        "castline render: wrote {} ({} events, {} actors); {}",
        args.output.display(),
        app.story().events.len(),
        app.story().actors.len(),
        tally.describe()
    );
    ExitCode::SUCCESS
}

/// A file's text (or a URL's: [`super::fetch`]), or a diagnostic saying why it cannot be read.
pub(super) fn read_input(path: &Path) -> Result<String, Diagnostic> {
    if let Some(url) = super::fetch::url_of(path) {
        return super::fetch::fetch(url);
    }
    let name = path.display().to_string();
    let fail = |message: String| Diagnostic {
        severity: Severity::Error,
        file: name.clone(),
        line: None,
        column: None,
        location: "whole file".into(),
        message,
    };
    // Checked before reading, so a huge file is not loaded into memory to be refused.
    let size = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?
        .len();
    if size > MAX_INPUT_BYTES as u64 {
        return Err(fail(format!(
            "the file is {} MB; the limit is {} MB",
            size / 1_000_000,
            MAX_INPUT_BYTES / 1_000_000
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    decode(&name, &bytes)
}

#[derive(Default)]
pub(super) struct Tally {
    pub(super) errors: usize,
    warnings: usize,
}

impl Tally {
    pub(super) fn count(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }

    pub(super) fn describe(&self) -> String {
        format!(
            "{} error{}, {} warning{}",
            self.errors,
            if self.errors == 1 { "" } else { "s" },
            self.warnings,
            if self.warnings == 1 { "" } else { "s" }
        )
    }
}

/// Reads the files; the ones that cannot be read are reported and counted.
fn read_all(paths: &[PathBuf], tally: &mut Tally, out: &mut dyn Write) -> Vec<(String, String)> {
    let mut inputs = Vec::new();
    for path in paths {
        match read_input(path) {
            Ok(text) => inputs.push((path.display().to_string(), text)),
            Err(d) => {
                tally.count(std::slice::from_ref(&d));
                let _ = writeln!(out, "{d}");
            }
        }
    }
    inputs
}

pub(super) fn print_all(diagnostics: &[Diagnostic], out: &mut dyn Write) {
    for d in diagnostics {
        // A closed pipe (`castline check … | head`) is not worth a panic.
        let _ = writeln!(out, "{d}");
    }
}

fn run_check(paths: &[PathBuf]) -> ExitCode {
    let mut tally = Tally::default();
    let mut stdout = io::stdout().lock();
    let inputs = read_all(paths, &mut tally, &mut stdout);
    // Castline CSV sheets are one story together, in the place of the first sheet; every
    // other file is a story of its own.
    let mut stories: Vec<Vec<&(String, String)>> = Vec::new();
    let mut sheets_at: Option<usize> = None;
    for input in &inputs {
        if detect(&input.1) != Format::CastlineCsv {
            stories.push(vec![input]);
        } else if let Some(story) = sheets_at.and_then(|at| stories.get_mut(at)) {
            story.push(input);
        } else {
            sheets_at = Some(stories.len());
            stories.push(vec![input]);
        }
    }
    let (mut events, mut actors) = (0, 0);
    for story in &stories {
        let files: Vec<(&str, &str)> = story
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        let diagnostics = match load_files(&files) {
            Ok(loaded) => {
                events += loaded.story.events.len();
                actors += loaded.story.actors.len();
                loaded.diagnostics
            }
            Err(diagnostics) => diagnostics,
        };
        tally.count(&diagnostics);
        print_all(&diagnostics, &mut stdout);
    }
    let _ = stdout.flush();
    eprintln!(
        "castline check: {} file{}, {} stor{}, {events} event{} and {actors} actor{} read; {}",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        stories.len(),
        if stories.len() == 1 { "y" } else { "ies" },
        if events == 1 { "" } else { "s" },
        if actors == 1 { "" } else { "s" },
        tally.describe()
    );
    if tally.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// True if both paths name one existing file (`./a.json` and `a.json`, links).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn run_convert(inputs: &[PathBuf], output: &Path) -> ExitCode {
    let to_stdout = output.as_os_str() == "-";
    if !to_stdout && let Some(input) = inputs.iter().find(|i| same_file(i, output)) {
        eprintln!(
            "castline convert: refusing to overwrite the input {}; choose another -o file",
            input.display()
        );
        return ExitCode::from(2);
    }
    let mut tally = Tally::default();
    let mut stderr = io::stderr().lock();
    let read = read_all(inputs, &mut tally, &mut stderr);
    if tally.errors > 0 {
        eprintln!("castline convert: nothing written; {}", tally.describe());
        return ExitCode::FAILURE;
    }
    let files: Vec<(&str, &str)> = read
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let loaded = match load_files(&files) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            tally.count(&diagnostics);
            print_all(&diagnostics, &mut stderr);
            eprintln!("castline convert: nothing written; {}", tally.describe());
            return ExitCode::FAILURE;
        }
    };
    tally.count(&loaded.diagnostics);
    print_all(&loaded.diagnostics, &mut stderr);
    drop(stderr);
    let json = match to_json(&loaded.story) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("castline convert: cannot write JSON: {e}");
            return ExitCode::FAILURE;
        }
    };
    let written = if to_stdout {
        let mut out = io::stdout().lock();
        out.write_all(json.as_bytes()).and_then(|()| out.flush())
    } else {
        write_replacing(output, &json)
    };
    if let Err(e) = written {
        eprintln!("castline convert: cannot write {}: {e}", output.display());
        return ExitCode::FAILURE;
    }
    let s = &loaded.story;
    eprintln!(
        "castline convert: wrote {} ({} events, {} actors, {} relations); {}{}",
        if to_stdout {
            "standard output".into()
        } else {
            output.display().to_string()
        },
        s.events.len(),
        s.actors.len(),
        s.relations.len(),
        tally.describe(),
        if tally.errors > 0 {
            " (the records with errors were left out)"
        } else {
            ""
        }
    );
    if tally.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes beside the target and renames, so an interrupted write never leaves half a file.
fn write_replacing(path: &Path, text: impl AsRef<[u8]>) -> io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".castline-tmp");
    let temp = path.with_file_name(name);
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}
