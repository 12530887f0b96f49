//! The studio's components, one per file, named for what the user sees.

pub mod load_demo;
