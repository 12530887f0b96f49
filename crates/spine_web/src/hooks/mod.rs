//! Hooks the screens share.

pub mod use_studio;
