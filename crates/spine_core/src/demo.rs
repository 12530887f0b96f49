//! The built-in demo data set and the synthetic generator behind benchmarks: deterministic (seeded), with the
//! traps real data has, and the ground truth to score a run against.
//!
//! OWNER: cli-demo helper. To be written.
