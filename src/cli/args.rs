//! What `castline` accepts on its command line, as clap's derive types: every command, option
//! and default, with the text `--help` prints. Parsing and usage errors are clap's (exit 2,
//! `--help` and `--version` on stdout with 0); the checks here are only those a value can fail
//! on its own (a port number, a picture's width, an output's extension), so a command that
//! parses can be run. [`super::commands`] runs it.
//!
//! The doc comments are the help text, kept verbatim so their line breaks (under 80 columns)
//! survive: clap wraps help only with its `wrap_help` feature, which we leave out.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::builder::{PathBufValueParser, TypedValueParser};
use clap::error::{ContextKind, ContextValue};
use clap::{Args, CommandFactory, Parser, Subcommand};

use super::serve::{self, ServeConfig};

/// Widest picture `render` draws, CSS px; wider is surely a typo.
pub const MAX_RENDER_WIDTH: f64 = 10_000.0;
/// Most device px per CSS px `render` draws a PNG at.
pub const MAX_RENDER_SCALE: f64 = 8.0;
/// Most actors `generate` makes: beyond these (or [`MAX_GENERATED_EVENTS`]) the output would
/// be larger than any loader accepts.
pub const MAX_GENERATED_ACTORS: usize = 1_000_000;
/// Most events `generate` makes.
pub const MAX_GENERATED_EVENTS: usize = 5_000_000;

/// The one-line synopsis of every command, at the top of `castline --help` and of top-level
/// usage errors. clap would say only `castline <COMMAND>`; each command's own usage (in its
/// `--help` and errors) is clap's, made from its arguments. A unit test checks that this
/// names every option.
const SYNOPSIS: &str = "\
castline check FILE...
       castline convert IN... -o OUT.json
       castline render IN... --out OUT.svg|OUT.png|OUT.txt|OUT.html [--width N] [--scale N]
                       [--select IDS] [--font FILE.ttf]
       castline serve [--host HOST] [--port PORT] [--root DIR] [--data DIR]
       castline publish STORY... -o SITE [--base-url URL] [--title T] [--summary S]
                       [--credit C] [--viewer DIR] [--font FILE.ttf] [--select IDS]
                       [--window START..END] [--theme light|dark] [--watch]
       castline generate --actors N --events M [--seed S] [-o OUT.json]
       castline help [COMMAND]
       castline --help
       castline --version";

/// The whole command line.
#[derive(Debug, PartialEq, Parser)]
#[command(
    name = "castline",
    version,
    about = "castline: who met whom, and when.",
    long_about = None,
    override_usage = SYNOPSIS,
    after_help = "`castline COMMAND --help` explains each command and its options.",
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Parses the arguments (the program's name first), or says why they do not parse: a usage
/// error, or the help or version text clap reports as one.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, clap::Error> {
    let args: Vec<OsString> = args.into_iter().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => Ok(cli.command),
        Err(error) => Err(with_usage(error, &args)),
    }
}

/// Adds the usage to a usage error that lacks it. clap leaves it out of errors about one value
/// (`--port http`, `--output=`); every usage error has always shown it, and scripts and tests
/// look for it.
fn with_usage(mut error: clap::Error, args: &[OsString]) -> clap::Error {
    if !error.use_stderr() || error.get(ContextKind::Usage).is_some() {
        return error;
    }
    let mut cli = Cli::command();
    // Gives each command its full name for the usage line (`castline serve`, not `serve`).
    cli.build();
    // The top level has no options that take a value, so the second argument names the command.
    let named = args
        .get(1)
        .and_then(|name| name.to_str())
        .and_then(|name| cli.find_subcommand_mut(name));
    let usage = match named {
        Some(command) => command.render_usage(),
        None => cli.render_usage(),
    };
    error.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    error
}

/// What the arguments ask for.
///
/// In `render`, `generate` and `serve` an option given again replaces the earlier value, as
/// the hand-written parser before clap did; `convert` refuses a second output, as it did.
#[derive(Debug, PartialEq, Subcommand)]
pub enum Command {
    /// Read story files and print every problem found, one per line
    ///
    /// Read story files and print every problem found, one per line, as
    /// FILE:LINE:COLUMN: error|warning: WHERE: WHAT. Formats are told by
    /// content: Castline JSON, Castline CSV (events, actors and relations
    /// sheets given together are one story), TimelineJS CSV or JSON.
    /// Exits 1 if there is any error, 0 if there are only warnings.
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),

    /// Write one story as Castline JSON
    ///
    /// Read one story (one file, or the CSV sheets of one story) and write
    /// it as Castline JSON to OUT.json (-o - writes to standard output).
    /// Problems are printed to standard error; records with errors are
    /// left out, and the exit status is then 1. Never overwrites an input.
    #[command(verbatim_doc_comment)]
    Convert(ConvertArgs),

    /// Draw one story as a picture: SVG, PNG or plain text
    ///
    /// Draw one story (read as convert reads it) as a static picture: the
    /// network above the time axis, N CSS px wide (default 900), as SVG or
    /// PNG (N×scale px; scale defaults to 1), or the events as plain text.
    /// OUT.html is the page's stand-in: the header and both pictures as HTML
    /// and SVG, for the page to show before its scripts run (make dist puts
    /// it in the pages); it names the story by IN as given, the URL the page
    /// loads it by, and is drawn at the page's own sizes (no --width).
    /// --select a,b selects those actors first, as a click would. PNG text
    /// uses FILE.ttf, or DejaVu Sans from Debian's fonts-dejavu-core.
    /// Never overwrites an input.
    #[command(verbatim_doc_comment, args_override_self = true)]
    Render(RenderArgs),

    /// Write a made-up story of N actors and M events, for benchmarks
    ///
    /// Write a made-up story of N actors and M events as Castline JSON
    /// (standard output unless -o): preferential attachment among actors,
    /// events of 1–6 participants in bursts, dates of mixed precision. The
    /// same seed (default 1) always gives the same story. For benchmarks.
    #[command(verbatim_doc_comment, args_override_self = true)]
    Generate(GenerateArgs),

    /// Serve the page and the data files over HTTP, on loopback only
    ///
    /// Serve the page from DIR given by --root (default: www) and the data
    /// files from --data (default: data) under /data/, over HTTP.
    /// HOST must be loopback: 127.0.0.1 (default), localhost or ::1.
    /// PORT defaults to 8000; 0 picks a free port. Prints the page's URL.
    #[command(verbatim_doc_comment, args_override_self = true)]
    Serve(ServeArgs),

    /// Write one story as a static folder for any host
    ///
    /// Write one story (read as convert reads it) into the folder SITE as
    /// a site for any static host, at its root or under any path: the page
    /// (index.html), the embed page with embed.js, the story as Castline
    /// JSON laid out to rest (story.json: the page opens without moving),
    /// story.svg, story.png and story.txt, the share card tags, and with
    /// --base-url (the URL SITE will be served from) oembed.json.
    /// Publishing again into SITE starts from the earlier positions; a
    /// folder that holds anything else is refused. Any error in the story
    /// publishes nothing (exit 1). The viewer is --viewer DIR, else www/
    /// when built here, else the one built into castline (make install).
    /// With --watch it publishes again whenever a STORY file changes,
    /// until stopped (Ctrl+C); a change with errors is reported and the
    /// folder keeps the last good publication.
    #[command(verbatim_doc_comment, args_override_self = true)]
    Publish(PublishArgs),
}

/// `castline publish STORY... -o SITE`
#[derive(Debug, PartialEq, Eq, Args)]
pub struct PublishArgs {
    /// One story file, or the CSV sheets of one story
    #[arg(value_name = "STORY", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The folder to write (made if missing)
    #[arg(short, long, value_name = "SITE")]
    pub output: PathBuf,

    /// The absolute URL SITE will be served from (for the share card and oEmbed)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// The story's title, for sheets that carry none (replaces the story's)
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// The story's summary (replaces the story's)
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,

    /// The story's credit line (replaces the story's)
    #[arg(long, value_name = "TEXT")]
    pub credit: Option<String>,

    /// The viewer's folder to publish with (default: www/ when built, else the built-in one)
    #[arg(long, value_name = "DIR")]
    pub viewer: Option<PathBuf>,

    /// TrueType font for story.png's text (default: DejaVu Sans)
    #[arg(long, value_name = "FILE.ttf")]
    pub font: Option<PathBuf>,

    /// Actor ids the page and embed open with selected, comma-separated (a,b)
    // One list, as render's --select (see there for the spelled-out type).
    #[arg(
        long,
        value_name = "IDS",
        value_parser = actor_ids,
        default_value = "",
        hide_default_value = true
    )]
    pub select: ::std::vec::Vec<String>,

    /// The time window they open with, START..END (dates; either may be left out)
    #[arg(long, value_name = "START..END", value_parser = time_window)]
    pub window: Option<(Option<String>, Option<String>)>,

    /// Fix the colours: light or dark (default: the reader's setting)
    #[arg(long, value_name = "THEME", value_parser = ["light", "dark"])]
    pub theme: Option<String>,

    /// Publish again whenever a STORY file changes, until stopped
    #[arg(long)]
    pub watch: bool,
}

impl From<PublishArgs> for super::publish::PublishOptions {
    fn from(args: PublishArgs) -> Self {
        super::publish::PublishOptions {
            inputs: args.inputs,
            output: args.output,
            base_url: args.base_url,
            title: args.title,
            summary: args.summary,
            credit: args.credit,
            viewer: args.viewer,
            font: args.font,
            select: args.select,
            window: args.window,
            theme: args.theme,
            watch: args.watch,
        }
    }
}

/// `castline check FILE...`
#[derive(Debug, PartialEq, Eq, Args)]
pub struct CheckArgs {
    /// Story files; Castline CSV sheets given together are one story
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// `castline convert IN... -o OUT.json`
#[derive(Debug, PartialEq, Eq, Args)]
pub struct ConvertArgs {
    /// One story file, or the CSV sheets of one story
    #[arg(value_name = "IN", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Castline JSON file to write; - is standard output
    #[arg(short, long, value_name = "OUT.json")]
    pub output: PathBuf,
}

/// What `castline render` draws, and where.
#[derive(Debug, PartialEq, Args)]
pub struct RenderArgs {
    /// One story file, or the CSV sheets of one story
    #[arg(value_name = "IN", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Picture to write: .svg, .png, .txt (the events as text) or .html (the page's stand-in)
    #[arg(
        short = 'o',
        long = "out",
        visible_alias = "output",
        value_name = "FILE",
        value_parser = PathBufValueParser::new().try_map(picture_path)
    )]
    pub output: PathBuf,

    // Each number's attributes have one shape (clap's derive spells them per field).
    /// Width in CSS px, above 0 and at most 10000
    #[arg(
        long,
        value_name = "N",
        default_value_t = 900.0,
        value_parser = width,
        allow_negative_numbers = true
    )]
    pub width: f64,

    /// Device px per CSS px (PNG only), above 0 and at most 8
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1.0,
        value_parser = scale,
        allow_negative_numbers = true
    )]
    pub scale: f64,

    /// Actor ids to select first, comma-separated (a,b)
    // `::std::vec::Vec` keeps clap from reading the type as "the option may repeat": one
    // --select is one list, and a later --select replaces it, as before.
    #[arg(
        long,
        value_name = "IDS",
        value_parser = actor_ids,
        default_value = "",
        hide_default_value = true
    )]
    pub select: ::std::vec::Vec<String>,

    /// TrueType font for a PNG's text (default: DejaVu Sans)
    #[arg(long, value_name = "FILE.ttf")]
    pub font: Option<PathBuf>,
}

/// `castline generate --actors N --events M [--seed S] [-o OUT.json]`
#[derive(Debug, PartialEq, Eq, Args)]
pub struct GenerateArgs {
    /// Number of actors, 1 to 1000000
    #[arg(
        long,
        value_name = "N",
        value_parser = actor_count,
        allow_negative_numbers = true
    )]
    pub actors: usize,

    /// Number of events, 0 to 5000000
    #[arg(
        long,
        value_name = "M",
        value_parser = event_count,
        allow_negative_numbers = true
    )]
    pub events: usize,

    /// The same seed always gives the same story
    #[arg(
        long,
        value_name = "S",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    pub seed: u64,

    /// Castline JSON file to write; - or none is standard output
    #[arg(short, long, value_name = "OUT.json")]
    pub output: Option<PathBuf>,
}

/// `castline serve`: the command line's side of [`ServeConfig`], with its defaults.
#[derive(Debug, PartialEq, Eq, Args)]
pub struct ServeArgs {
    /// Host to listen on: 127.0.0.1, localhost or ::1
    #[arg(long, value_name = "HOST", default_value = serve::DEFAULT_HOST)]
    pub host: String,

    /// Port to listen on, 0 to 65535; 0 picks a free port
    #[arg(
        long,
        value_name = "PORT",
        default_value_t = serve::DEFAULT_PORT,
        value_parser = port,
        allow_negative_numbers = true
    )]
    pub port: u16,

    /// Directory of the page
    #[arg(long, value_name = "DIR", default_value = serve::DEFAULT_ROOT)]
    pub root: PathBuf,

    /// Directory of the data files, served under /data/
    #[arg(long, value_name = "DIR", default_value = serve::DEFAULT_DATA)]
    pub data: PathBuf,
}

impl From<ServeArgs> for ServeConfig {
    fn from(args: ServeArgs) -> Self {
        ServeConfig {
            host: args.host,
            port: args.port,
            root: args.root,
            data: args.data,
        }
    }
}

/// What `render` writes, told by the output's extension (in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    Svg,
    Png,
    Text,
    /// The page's picture before its scripts run ([`crate::render::stand_in`]).
    Html,
}

impl Picture {
    pub fn of(path: &Path) -> Option<Picture> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "svg" => Some(Picture::Svg),
            "png" => Some(Picture::Png),
            "txt" => Some(Picture::Text),
            "html" => Some(Picture::Html),
            _ => None,
        }
    }
}

// A negative number is passed to the value parsers below (`allow_negative_numbers`), so it is
// refused for what it is rather than as an unknown option `-3`.
//
// The value parsers below return a sentence; clap prefixes it with the option and the value
// ("invalid value '70000' for '--port <PORT>': …") and adds the usage.

fn picture_path(path: PathBuf) -> Result<PathBuf, String> {
    match Picture::of(&path) {
        Some(_) => Ok(path),
        None => Err("render writes .svg, .png, .txt or .html files".into()),
    }
}

fn port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| "needs a number from 0 to 65535 (0 picks a free port)".into())
}

fn width(text: &str) -> Result<f64, String> {
    positive(text, MAX_RENDER_WIDTH)
}

fn scale(text: &str) -> Result<f64, String> {
    positive(text, MAX_RENDER_SCALE)
}

/// A finite number in (0, max]: NaN and infinity parse as f64, but draw nothing.
fn positive(text: &str, max: f64) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n > 0.0 && *n <= max)
        .ok_or_else(|| format!("needs a number above 0 and at most {max}"))
}

/// `a, b,` is `["a", "b"]`: spaces and empty ids are what a hand-typed list leaves behind.
fn actor_ids(text: &str) -> Result<Vec<String>, String> {
    Ok(text
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect())
}

/// `START..END`, as a link's `window=` says it; the dates are checked against the story.
fn time_window(text: &str) -> Result<(Option<String>, Option<String>), String> {
    let side = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    match text.split_once("..") {
        Some((start, end)) if side(start).is_some() || side(end).is_some() => {
            Ok((side(start), side(end)))
        }
        _ => Err("needs START..END (dates; one side may be left out: 2025-11..)".into()),
    }
}

fn actor_count(text: &str) -> Result<usize, String> {
    whole_number(text, 1, MAX_GENERATED_ACTORS)
}

fn event_count(text: &str) -> Result<usize, String> {
    whole_number(text, 0, MAX_GENERATED_EVENTS)
}

fn whole_number(text: &str, min: usize, max: usize) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| format!("needs a whole number from {min} to {max}"))
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        super::parse(
            std::iter::once("castline")
                .chain(args.iter().copied())
                .map(OsString::from),
        )
    }

    fn kind(args: &[&str]) -> Option<ErrorKind> {
        parse(args).err().map(|e| e.kind())
    }

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn clap_accepts_the_definitions() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_and_version() {
        for args in [
            &["--help"][..],
            &["-h"],
            &["help"],
            &["help", "render"],
            &["serve", "--help"],
            &["check", "--help"],
            &["convert", "-h"],
        ] {
            assert_eq!(kind(args), Some(ErrorKind::DisplayHelp), "{args:?}");
        }
        assert_eq!(kind(&["--version"]), Some(ErrorKind::DisplayVersion));
        assert_eq!(kind(&["-V"]), Some(ErrorKind::DisplayVersion));
        // Both are printed to stdout and exit 0.
        let help = parse(&["--help"]).expect_err("help");
        assert_eq!(help.exit_code(), 0);
        let help = help.to_string();
        assert!(help.contains("castline serve"), "{help}");
        assert!(help.contains("castline check FILE..."), "{help}");
        assert!(
            help.contains("castline convert IN... -o OUT.json"),
            "{help}"
        );
        assert!(help.contains("castline render IN... --out"), "{help}");
        let version = parse(&["--version"]).expect_err("version").to_string();
        assert_eq!(version, format!("castline {}\n", env!("CARGO_PKG_VERSION")));
    }

    /// The hand-written synopsis names every option clap knows, so the two cannot drift apart.
    #[test]
    fn the_synopsis_names_every_option() {
        let cli = Cli::command();
        for command in cli.get_subcommands() {
            let name = command.get_name();
            let line = SYNOPSIS
                .split("castline ")
                .find(|line| line.starts_with(&format!("{name} ")))
                .unwrap_or_else(|| panic!("no synopsis of {name}"));
            for arg in command.get_arguments().filter(|a| !a.is_positional()) {
                let id = arg.get_id().as_str();
                if id == "help" {
                    continue;
                }
                let long = arg.get_long().map(|l| format!("--{l}"));
                let short = arg.get_short().map(|s| format!("-{s}"));
                assert!(
                    long.iter()
                        .chain(&short)
                        .any(|flag| line.contains(flag.as_str())),
                    "the synopsis of {name} does not name {id}: {line}"
                );
            }
        }
    }

    /// Each command's `--help` has its own options, each with its explanation, and the limits
    /// the help text states are the ones the parser applies.
    #[test]
    fn each_command_explains_its_options() {
        let (width, scale) = (
            format!("at most {MAX_RENDER_WIDTH}"),
            format!("at most {MAX_RENDER_SCALE}"),
        );
        let (actors, events) = (
            format!("1 to {MAX_GENERATED_ACTORS}"),
            format!("0 to {MAX_GENERATED_EVENTS}"),
        );
        for (command, options) in [
            ("check", &["FILE"][..]),
            ("convert", &["--output", "-o", "standard output"]),
            (
                "render",
                &[
                    "--out", "--output", "--width", "--scale", "--select", "--font", &width, &scale,
                ],
            ),
            (
                "generate",
                &[
                    "--actors", "--events", "--seed", "--output", &actors, &events,
                ],
            ),
            (
                "serve",
                &["--host", "--port", "--root", "--data", "loopback"],
            ),
        ] {
            let help = parse(&[command, "--help"]).expect_err("help").to_string();
            for option in options.iter().copied() {
                assert!(
                    help.contains(option),
                    "{command} --help lacks {option}:\n{help}"
                );
            }
        }
    }

    #[test]
    fn check_and_convert() {
        assert_eq!(
            parse(&["check", "a.csv", "b.csv", "--", "-odd.json"]).expect("parses"),
            Command::Check(CheckArgs {
                files: paths(&["a.csv", "b.csv", "-odd.json"])
            })
        );
        assert_eq!(
            parse(&["convert", "a.csv", "-o", "out.json", "b.csv"]).expect("parses"),
            Command::Convert(ConvertArgs {
                inputs: paths(&["a.csv", "b.csv"]),
                output: PathBuf::from("out.json"),
            })
        );
        assert_eq!(
            parse(&["convert", "--output=-", "a.csv"]).expect("parses"),
            Command::Convert(ConvertArgs {
                inputs: paths(&["a.csv"]),
                output: PathBuf::from("-"),
            })
        );
        assert_eq!(
            parse(&["convert", "a.csv", "-o", "-"]).expect("parses"),
            Command::Convert(ConvertArgs {
                inputs: paths(&["a.csv"]),
                output: PathBuf::from("-"),
            })
        );
    }

    #[test]
    fn render_options() {
        assert_eq!(
            parse(&[
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
            ])
            .expect("parses"),
            Command::Render(RenderArgs {
                inputs: paths(&["s.json"]),
                output: PathBuf::from("s.png"),
                width: 640.0,
                scale: 2.0,
                select: vec!["a".into(), "b".into()],
                font: Some(PathBuf::from("f.ttf")),
            })
        );
        assert_eq!(
            parse(&["render", "s.json", "-o", "S.TXT"]).expect("parses"),
            Command::Render(RenderArgs {
                inputs: paths(&["s.json"]),
                output: PathBuf::from("S.TXT"),
                width: 900.0,
                scale: 1.0,
                select: Vec::new(),
                font: None,
            })
        );
        for spelling in [
            &["--output", "s.svg"][..],
            &["--out=s.svg"],
            &["-o", "s.svg"],
        ] {
            let args: Vec<&str> = ["render", "s.json"]
                .iter()
                .chain(spelling)
                .copied()
                .collect();
            assert!(
                matches!(parse(&args), Ok(Command::Render(RenderArgs { output, .. })) if output == Path::new("s.svg")),
                "{args:?}"
            );
        }
        // A later --select replaces an earlier one.
        let Ok(Command::Render(args)) = parse(&[
            "render",
            "s.json",
            "-o",
            "s.svg",
            "--select",
            "a",
            "--select=b",
        ]) else {
            panic!("render parses");
        };
        assert_eq!(args.select, ["b"]);
        for args in [
            &["render", "s.json"][..],
            &["render", "--out", "s.svg"],
            &["render", "s.json", "--out", "s.jpg"],
            &["render", "s.json", "--out", "s"],
            &["render", "s.json", "--out", "s.svg", "--width", "-3"],
            &["render", "s.json", "--out", "s.svg", "--width", "0"],
            &["render", "s.json", "--out", "s.svg", "--width", "10001"],
            &["render", "s.json", "--out", "s.svg", "--width", "inf"],
            &["render", "s.json", "--out", "s.svg", "--scale", "NaN"],
            &["render", "s.json", "--out", "s.svg", "--scale", "9"],
            &["render", "s.json", "--out", "s.svg", "--width"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn generate_options() {
        assert_eq!(
            parse(&[
                "generate",
                "--actors",
                "40",
                "--events=150",
                "--seed",
                "7",
                "-o",
                "g.json"
            ])
            .expect("parses"),
            Command::Generate(GenerateArgs {
                actors: 40,
                events: 150,
                seed: 7,
                output: Some(PathBuf::from("g.json")),
            })
        );
        assert_eq!(
            parse(&["generate", "--events", "0", "--actors=1"]).expect("parses"),
            Command::Generate(GenerateArgs {
                actors: 1,
                events: 0,
                seed: 1,
                output: None,
            })
        );
        for args in [
            &["generate"][..],
            &["generate", "--actors", "10"],
            &["generate", "--events", "10"],
            &["generate", "--actors", "x", "--events", "3"],
            &["generate", "--actors", "0", "--events", "3"],
            &["generate", "--actors", "1000001", "--events", "3"],
            &["generate", "--actors", "3", "--events", "5000001"],
            &["generate", "--actors", "3", "--events", "3", "--seed", "-1"],
            &["generate", "--colour", "red"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn serve_defaults() {
        let Ok(Command::Serve(args)) = parse(&["serve"]) else {
            panic!("serve parses");
        };
        assert_eq!(ServeConfig::from(args), ServeConfig::default());
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
        for args in [
            &[
                "serve", "--host", "::1", "--port", "0", "--root", "site", "--data", "/tmp/d=1",
            ][..],
            &[
                "serve",
                "--host=::1",
                "--port=0",
                "--root=site",
                "--data=/tmp/d=1",
            ],
        ] {
            let Ok(Command::Serve(parsed)) = parse(args) else {
                panic!("{args:?} parses");
            };
            assert_eq!(ServeConfig::from(parsed), expected, "{args:?}");
        }
        // Given again, an option replaces the earlier value.
        let Ok(Command::Serve(parsed)) = parse(&["serve", "--port", "9000", "--port=0"]) else {
            panic!("serve parses");
        };
        assert_eq!(parsed.port, 0);
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
            &["serve", "--port=70000"],
            &["serve", "--root"],
            &["serve", "-V"],
            &["check"],
            &["check", "--bogus", "a.csv"],
            &["convert", "a.csv"],
            &["convert", "-o", "out.json"],
            &["convert", "a.csv", "-o"],
            &["convert", "a.csv", "-o", "x.json", "-o", "y.json"],
            &["convert", "a.csv", "--output="],
        ] {
            let error = parse(args).expect_err("a usage error");
            assert_eq!(error.exit_code(), 2, "{args:?}");
            assert!(error.to_string().contains("Usage:"), "{args:?}: {error}");
        }
        let port = parse(&["serve", "--port=70000"])
            .expect_err("out of range")
            .to_string();
        assert!(
            port.contains("--port") && port.contains("0 to 65535"),
            "{port}"
        );
    }
}
