//! Renderers: pure functions from data to text. Styles are embedded as ANSI codes; anstream
//! strips them where colour is off.

pub mod html;
pub mod json;
pub mod markdown;
pub mod progress;
pub mod review;
pub mod summary;
pub mod svg;
pub mod terminal;
