//! The identity graph document as written in JSON (SPEC section 2): serde types with `deny_unknown_fields`,
//! the source of `spine.schema.json`. Compiled into `settings::Settings` by `validate::validate`.
//!
//! OWNER: engine-config helper. To be written.
