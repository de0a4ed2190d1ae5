//! The viewer's state without the browser: the loaded story and its placements ([`app`]),
//! split by how long each part lives ([`fixed`], [`state`], [`derived`], [`plan`]); the
//! reader's input as the page sends it, and the gestures it makes ([`input`]: click, long
//! press, pinch); what a pointer or a key changes ([`interact`]); playback ([`playback`]); the
//! story told in steps ([`steps`]); a big network's communities, open or closed ([`overview`]); which canvas to paint next ([`repaint`]); the story as the page asks for it
//! ([`story_view`], and the legend's icons, [`legend`]) and the search box's answers
//! ([`search`]). The wasm handle ([`crate::web`]) and the native tests drive the same
//! [`App`].
//!
//! May import: [`crate::story`], [`crate::read`], [`crate::place`], [`crate::draw`] (the
//! [`Frame`](crate::draw::Frame) it hands to the drawing).

pub mod app;
pub mod derived;
pub mod fixed;
pub mod input;
pub mod interact;
pub mod legend;
pub mod overview;
pub mod plan;
pub mod playback;
pub mod repaint;
pub mod search;
pub mod state;
pub mod steps;
pub mod story_view;

pub use app::App;
