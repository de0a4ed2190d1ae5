use std::time::Instant;
fn main() {
    let text = castline::write::generate::generate(20_000, 200_000, 1);
    println!("{} MB", text.len() / 1_000_000);
    for _ in 0..2 {
        let t = Instant::now();
        let loaded = castline::read::json::load_json("w4.json", &text).expect("clean");
        let read = t.elapsed();
        let t = Instant::now();
        let fixed = castline::view::fixed::Fixed::new(loaded.story.clone(), vec![]);
        let f = t.elapsed();
        drop(fixed);
        let t = Instant::now();
        let g = castline::story::graph::Graph::new(&loaded.story);
        let gt = t.elapsed();
        drop(g);
        let t = Instant::now();
        let app = castline::view::app::App::new(loaded.story, loaded.diagnostics);
        println!(
            "read+check {:?}, fixed {:?} (graph {:?}), app {:?}",
            read,
            f,
            gt,
            t.elapsed()
        );
        drop(app);
    }
}
