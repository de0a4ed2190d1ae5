//! The viewer's state without the browser: the loaded story and its placements ([`app`]),
//! what the reader does with a pointer or keys ([`interact`]), and which canvas to paint next
//! ([`repaint`]). The wasm handle ([`crate::web`]) and the native tests drive the same
//! [`App`].
//!
//! May import: [`crate::story`], [`crate::read`], [`crate::place`].

pub mod app;
pub mod interact;
pub mod repaint;

pub use app::App;
