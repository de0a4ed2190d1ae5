//! Writes the default story (or a Castline JSON file) as SVG, for looking at the drawing
//! without a browser: `cargo run --example render_svg -- [FILE] [WIDTH] > story.svg`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (name, text) = match args.first() {
        Some(path) => (
            path.clone(),
            std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?,
        ),
        None => (
            castline::DEFAULT_STORY_FILE.to_owned(),
            castline::DEFAULT_STORY.to_owned(),
        ),
    };
    let width: f64 = args.get(1).and_then(|w| w.parse().ok()).unwrap_or(900.0);
    let mut app = castline::App::from_json(&name, &text).map_err(|d| format!("{d:?}"))?;
    print!("{}", castline::render::render_svg(&mut app, width)?);
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
