//! The `castline` command line: argument parsing and dispatch to the
//! library. Each subcommand's work lives in its own library module (`serve`
//! in [`castline::serve`]); this file only turns arguments into calls and
//! errors into exit codes (0 ok, 1 failure, 2 usage error).
//!
//! On wasm32 the binary is an empty stub, so that building every target of
//! the crate for the browser (clippy, `cargo test`) still works.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::ffi::OsString;
    use std::io::{self, Write};
    use std::path::PathBuf;
    use std::process::ExitCode;

    use castline::serve::{self, ServeConfig};

    pub const USAGE: &str = "\
castline: who met whom, and when.

Usage:
  castline serve [--host HOST] [--port PORT] [--root DIR] [--data DIR]
  castline --help
  castline --version

Commands:
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
    }

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
            ] {
                assert!(parse_strs(args).is_err(), "{args:?}");
            }
        }
    }
}
