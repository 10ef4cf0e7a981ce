//! Renderers: pure functions from data to text. Styles are embedded as ANSI codes; anstream
//! strips them where colour is off.

pub mod terminal;
