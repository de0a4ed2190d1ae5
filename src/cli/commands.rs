//! The `castline` command line: argument parsing and dispatch to the library, moved here
//! from `src/main.rs`. Each subcommand's work lives in library modules (`serve` in
//! [`super::serve`]; `check` and `convert` in [`crate::read::detect`] and
//! [`crate::write::json`]); this file only reads files, turns arguments into calls, prints,
//! and turns errors into exit codes (0 ok, 1 failure, 2 usage error).

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::serve::{self, ServeConfig};
use crate::read::detect::{Format, decode, detect, load_files};
use crate::read::load::{Diagnostic, MAX_INPUT_BYTES, Severity};
use crate::write::json::to_json;
use crate::{App, draw::render};

pub const USAGE: &str = "\
castline: who met whom, and when.

Usage:
  castline check FILE...
  castline convert IN... -o OUT.json
  castline render IN... --out OUT.svg|OUT.png|OUT.txt [--width N] [--scale N]
                  [--select IDS] [--font FILE.ttf]
  castline serve [--host HOST] [--port PORT] [--root DIR] [--data DIR]
  castline generate --actors N --events M [--seed S] [-o OUT.json]
  castline --help
  castline --version

Commands:
  check    Read story files and print every problem found, one per line, as
           FILE:LINE:COLUMN: error|warning: WHERE: WHAT. Formats are told by
           content: Castline JSON, Castline CSV (events, actors and relations
           sheets given together are one story), TimelineJS CSV or JSON.
           Exits 1 if there is any error, 0 if there are only warnings.
  convert  Read one story (one file, or the CSV sheets of one story) and write
           it as Castline JSON to OUT.json (-o - writes to standard output).
           Problems are printed to standard error; records with errors are
           left out, and the exit status is then 1. Never overwrites an input.
  render   Draw one story (read as convert reads it) as a static picture: the
           network above the time axis, N CSS px wide (default 900), as SVG or
           PNG (N×scale px; scale defaults to 1), or the events as plain text.
           --select a,b selects those actors first, as a click would. PNG text
           uses FILE.ttf, or DejaVu Sans from Debian's fonts-dejavu-core.
  generate Write a made-up story of N actors and M events as Castline JSON
           (standard output unless -o): preferential attachment among actors,
           events of 1–6 participants in bursts, dates of mixed precision. The
           same seed (default 1) always gives the same story. For benchmarks.
  serve    Serve the page from DIR given by --root (default: www) and the data
           files from --data (default: data) under /data/, over HTTP.
           HOST must be loopback: 127.0.0.1 (default), localhost or ::1.
           PORT defaults to 8000; 0 picks a free port. Prints the page's URL.
";

/// What the arguments ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    Serve(ServeConfig),
    Check(Vec<PathBuf>),
    Convert {
        inputs: Vec<PathBuf>,
        /// `-` is standard output.
        output: PathBuf,
    },
    Render(RenderArgs),
    Generate {
        actors: usize,
        events: usize,
        seed: u64,
        /// `None` is standard output.
        output: Option<PathBuf>,
    },
}

/// What `castline render` draws, and where.
#[derive(Debug, PartialEq)]
pub struct RenderArgs {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// CSS px.
    pub width: f64,
    /// Device px per CSS px (PNG only).
    pub scale: f64,
    pub select: Vec<String>,
    pub font: Option<PathBuf>,
}

// Only finite widths and scales parse, so the derived equality is never asked about NaN.
impl Eq for RenderArgs {}

/// A command line that does not parse; reported with the usage text.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

pub fn main() -> ExitCode {
    match parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("castline {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Serve(config)) => run_serve(&config),
        Ok(Command::Check(files)) => run_check(&files),
        Ok(Command::Convert { inputs, output }) => run_convert(&inputs, &output),
        Ok(Command::Render(args)) => run_render(&args),
        Ok(Command::Generate {
            actors,
            events,
            seed,
            output,
        }) => run_generate(actors, events, seed, output.as_deref()),
        Err(UsageError(message)) => {
            eprintln!("castline: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_serve(config: &ServeConfig) -> ExitCode {
    let server = match serve::bind(config) {
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

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let Some(command) = args.next() else {
        return Err(UsageError("no command given".into()));
    };
    match command.to_str() {
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version") => Ok(Command::Version),
        Some("serve") => parse_serve(args),
        Some("check") => parse_check(args),
        Some("convert") => parse_convert(args),
        Some("render") => parse_render(args),
        Some("generate") => parse_generate(args),
        _ => Err(UsageError(format!(
            "unknown command {}",
            command.to_string_lossy()
        ))),
    }
}

fn parse_serve(mut args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut config = ServeConfig::default();
    while let Some(arg) = args.next() {
        let arg_text = arg.to_string_lossy().into_owned();
        // Accept both `--port 9000` and `--port=9000`.
        let (name, inline) = match arg_text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(OsString::from(value)))
            }
            _ => (arg_text.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| UsageError(format!("{name} needs a value")))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--host" => config.host = utf8(&name, value()?)?,
            "--port" => {
                let text = utf8(&name, value()?)?;
                config.port = text.parse().map_err(|_| {
                    UsageError(format!(
                        "--port needs a number from 0 to 65535, not {text:?}"
                    ))
                })?;
            }
            "--root" => config.root = PathBuf::from(value()?),
            "--data" => config.data = PathBuf::from(value()?),
            _ => {
                return Err(UsageError(format!(
                    "unknown argument {arg_text:?} for serve"
                )));
            }
        }
    }
    Ok(Command::Serve(config))
}

fn parse_check(args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut files = Vec::new();
    let mut options_done = false;
    for arg in args {
        match arg.to_str() {
            Some("--") if !options_done => options_done = true,
            Some("-h" | "--help") if !options_done => return Ok(Command::Help),
            Some(a) if a.starts_with('-') && a.len() > 1 && !options_done => {
                return Err(UsageError(format!("unknown argument {a:?} for check")));
            }
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        return Err(UsageError("check needs at least one file".into()));
    }
    Ok(Command::Check(files))
}

fn parse_convert(mut args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut inputs = Vec::new();
    let mut output = None;
    let mut options_done = false;
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        let value = match text.as_str() {
            _ if options_done => {
                inputs.push(PathBuf::from(arg));
                continue;
            }
            "--" => {
                options_done = true;
                continue;
            }
            "-h" | "--help" => return Ok(Command::Help),
            "-o" | "--output" => args
                .next()
                .ok_or_else(|| UsageError(format!("{text} needs a file name")))?,
            _ if text.starts_with("--output=") => OsString::from(&text["--output=".len()..]),
            _ if text.starts_with('-') && text.len() > 1 => {
                return Err(UsageError(format!("unknown argument {text:?} for convert")));
            }
            _ => {
                inputs.push(PathBuf::from(arg));
                continue;
            }
        };
        if output.replace(PathBuf::from(value)).is_some() {
            return Err(UsageError("convert takes one output file (-o)".into()));
        }
    }
    let output = output.ok_or_else(|| UsageError("convert needs -o OUT.json".into()))?;
    if output.as_os_str().is_empty() {
        return Err(UsageError("-o needs a file name".into()));
    }
    if inputs.is_empty() {
        return Err(UsageError("convert needs at least one input file".into()));
    }
    Ok(Command::Convert { inputs, output })
}

fn parse_generate(mut args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let (mut actors, mut events, mut seed, mut output) = (None, None, 1u64, None);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (text.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(Command::Help);
        }
        let value = match inline {
            Some(v) => v,
            None => args
                .next()
                .map(|v| v.to_string_lossy().into_owned())
                .ok_or_else(|| UsageError(format!("{name} needs a value")))?,
        };
        let number = |what: &str| {
            value
                .parse::<u64>()
                .map_err(|_| UsageError(format!("{what} takes a whole number, not {value:?}")))
        };
        match name.as_str() {
            "--actors" => actors = Some(number("--actors")?),
            "--events" => events = Some(number("--events")?),
            "--seed" => seed = number("--seed")?,
            "-o" | "--output" => {
                output = Some(PathBuf::from(&value)).filter(|p| p.as_os_str() != "-")
            }
            _ => {
                return Err(UsageError(format!(
                    "unknown argument {text:?} for generate"
                )));
            }
        }
    }
    let (Some(actors), Some(events)) = (actors, events) else {
        return Err(UsageError(
            "generate needs --actors N and --events M".into(),
        ));
    };
    // Beyond these the output would be larger than any loader accepts.
    if actors == 0 || actors > 1_000_000 || events > 5_000_000 {
        return Err(UsageError(
            "generate takes 1 to 1,000,000 actors and at most 5,000,000 events".into(),
        ));
    }
    Ok(Command::Generate {
        actors: actors as usize,
        events: events as usize,
        seed,
        output,
    })
}

fn run_generate(
    actors: usize,
    events: usize,
    seed: u64,
    output: Option<&std::path::Path>,
) -> ExitCode {
    let json = crate::write::generate::generate(actors, events, seed);
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

/// Widest picture `render` draws, CSS px; wider is surely a typo.
const MAX_RENDER_WIDTH: f64 = 10_000.0;

fn parse_render(mut args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut inputs = Vec::new();
    let (mut output, mut font) = (None, None);
    let (mut width, mut scale) = (900.0, 1.0);
    let mut select = Vec::new();
    let mut options_done = false;
    let number = |name: &str, text: &str, max: f64| -> Result<f64, UsageError> {
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0 && *n <= max)
            .ok_or_else(|| UsageError(format!("{name} needs a number above 0, not {text:?}")))
    };
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if options_done || !text.starts_with('-') || text == "-" {
            inputs.push(PathBuf::from(arg));
            continue;
        }
        // Both `--width 800` and `--width=800`.
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(OsString::from(value))),
            None => (text.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| UsageError(format!("{name} needs a value")))
        };
        match name.as_str() {
            "--" => options_done = true,
            "-h" | "--help" => return Ok(Command::Help),
            "-o" | "--out" | "--output" => output = Some(PathBuf::from(value()?)),
            "--font" => font = Some(PathBuf::from(value()?)),
            "--width" => width = number(&name, &utf8(&name, value()?)?, MAX_RENDER_WIDTH)?,
            "--scale" => scale = number(&name, &utf8(&name, value()?)?, 8.0)?,
            "--select" => {
                select = utf8(&name, value()?)?
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            _ => return Err(UsageError(format!("unknown argument {text:?} for render"))),
        }
    }
    let output = output.ok_or_else(|| UsageError("render needs --out OUT.svg".into()))?;
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("svg" | "png" | "txt")) {
        return Err(UsageError(format!(
            "render writes .svg, .png or .txt files, not {}",
            output.display()
        )));
    }
    if inputs.is_empty() {
        return Err(UsageError("render needs a story file".into()));
    }
    Ok(Command::Render(RenderArgs {
        inputs,
        output,
        width,
        scale,
        select,
        font,
    }))
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
    let kind = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    // Fonts first: a missing font is said before any work is done.
    let fonts = if kind == "png" {
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
    let mut app = App::new(loaded.story, loaded.diagnostics);
    if !args.select.is_empty()
        && let Err(e) = app.select(&args.select)
    {
        return fail(format!("--select: {e}"));
    }
    let bytes = match kind.as_str() {
        "svg" => render::render_svg(&mut app, args.width).map(String::into_bytes),
        "png" => render::bitmap::render_png(&mut app, args.width, args.scale, fonts.as_ref())
            .map_err(|e| e.to_string()),
        _ => Ok(render::story_text(&app).into_bytes()),
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
        app.story.events.len(),
        app.story.actors.len(),
        tally.describe()
    );
    ExitCode::SUCCESS
}

/// A file's text, or a diagnostic saying why it cannot be read.
fn read_input(path: &Path) -> Result<String, Diagnostic> {
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
struct Tally {
    errors: usize,
    warnings: usize,
}

impl Tally {
    fn count(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }

    fn describe(&self) -> String {
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

fn print_all(diagnostics: &[Diagnostic], out: &mut dyn Write) {
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

fn utf8(name: &str, value: OsString) -> Result<String, UsageError> {
    value
        .into_string()
        .map_err(|v| UsageError(format!("{name}: {v:?} is not valid UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn help_and_version() {
        assert_eq!(parse_strs(&["--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["serve", "--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["--version"]), Ok(Command::Version));
        assert!(USAGE.contains("castline serve"));
        assert!(USAGE.contains("castline check FILE..."));
        assert!(USAGE.contains("castline convert IN... -o OUT.json"));
        assert_eq!(parse_strs(&["check", "--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["convert", "-h"]), Ok(Command::Help));
    }

    #[test]
    fn check_and_convert() {
        assert_eq!(
            parse_strs(&["check", "a.csv", "b.csv", "--", "-odd.json"]),
            Ok(Command::Check(vec![
                PathBuf::from("a.csv"),
                PathBuf::from("b.csv"),
                PathBuf::from("-odd.json")
            ]))
        );
        let expected = Command::Convert {
            inputs: vec![PathBuf::from("a.csv"), PathBuf::from("b.csv")],
            output: PathBuf::from("out.json"),
        };
        assert_eq!(
            parse_strs(&["convert", "a.csv", "-o", "out.json", "b.csv"]),
            Ok(expected)
        );
        assert_eq!(
            parse_strs(&["convert", "--output=-", "a.csv"]),
            Ok(Command::Convert {
                inputs: vec![PathBuf::from("a.csv")],
                output: PathBuf::from("-"),
            })
        );
    }

    #[test]
    fn render_options() {
        assert_eq!(
            parse_strs(&[
                "render",
                "s.json",
                "--out",
                "s.png",
                "--width=640",
                "--scale",
                "2",
                "--select",
                "a, b,",
                "--font",
                "f.ttf"
            ]),
            Ok(Command::Render(RenderArgs {
                inputs: vec![PathBuf::from("s.json")],
                output: PathBuf::from("s.png"),
                width: 640.0,
                scale: 2.0,
                select: vec!["a".into(), "b".into()],
                font: Some(PathBuf::from("f.ttf")),
            }))
        );
        assert!(USAGE.contains("castline render IN... --out"));
        for args in [
            &["render", "s.json"][..],
            &["render", "--out", "s.svg"],
            &["render", "s.json", "--out", "s.jpg"],
            &["render", "s.json", "--out", "s.svg", "--width", "-3"],
            &["render", "s.json", "--out", "s.svg", "--scale", "NaN"],
            &["render", "s.json", "--out", "s.svg", "--width"],
        ] {
            assert!(parse_strs(args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn serve_defaults() {
        assert_eq!(
            parse_strs(&["serve"]),
            Ok(Command::Serve(ServeConfig::default()))
        );
        let default = ServeConfig::default();
        assert_eq!(default.host, "127.0.0.1");
        assert_eq!(default.port, 8000);
        assert_eq!(default.root, PathBuf::from("www"));
        assert_eq!(default.data, PathBuf::from("data"));
    }

    #[test]
    fn serve_options() {
        let expected = ServeConfig {
            host: "::1".into(),
            port: 0,
            root: PathBuf::from("site"),
            data: PathBuf::from("/tmp/d=1"),
        };
        assert_eq!(
            parse_strs(&[
                "serve", "--host", "::1", "--port", "0", "--root", "site", "--data", "/tmp/d=1"
            ]),
            Ok(Command::Serve(expected.clone()))
        );
        assert_eq!(
            parse_strs(&[
                "serve",
                "--host=::1",
                "--port=0",
                "--root=site",
                "--data=/tmp/d=1"
            ]),
            Ok(Command::Serve(expected))
        );
    }

    #[test]
    fn usage_errors() {
        for args in [
            &[][..],
            &["frobnicate"],
            &["--port", "80"],
            &["serve", "--bogus"],
            &["serve", "extra"],
            &["serve", "--port"],
            &["serve", "--port", "http"],
            &["serve", "--port", "65536"],
            &["serve", "--port", "-1"],
            &["serve", "--root"],
            &["check"],
            &["check", "--bogus", "a.csv"],
            &["convert", "a.csv"],
            &["convert", "-o", "out.json"],
            &["convert", "a.csv", "-o"],
            &["convert", "a.csv", "-o", "x.json", "-o", "y.json"],
            &["convert", "a.csv", "--output="],
        ] {
            assert!(parse_strs(args).is_err(), "{args:?}");
        }
    }
}
