use std::env;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::Path;

#[path = "src/metadata/loader.rs"]
mod loader;

#[path = "src/error.rs"]
mod error;

fn main() {
    let pnm_path = "assets/PhoneNumberMetadata.xml";
    let mut metadata = loader::load(BufReader::new(
        File::open(pnm_path).expect("could not open metadata file"),
    ))
    .expect("failed to load metadata");
    for meta in &mut metadata {
        compact_patterns(meta);
    }
    println!("cargo:rerun-if-changed={pnm_path}");

    let mut out = BufWriter::new(
        File::create(Path::new(&env::var("OUT_DIR").unwrap()).join("database.bin"))
            .expect("could not create database file"),
    );

    postcard::to_io(&metadata, &mut out).expect("failed to serialize database");
}

/// Removes the whitespace from every pattern `Database::from` compiles as a regular expression. They are all
/// compiled with `ignore_whitespace(true)`, under which whitespace is insignificant everywhere (the metadata's
/// patterns hold no escaped whitespace and no `#` comment), so each compiles to the same expression; the
/// metadata's multi-line layout made up three fifths of the embedded database.
fn compact_patterns(meta: &mut loader::Metadata) {
    fn compact(pattern: &mut Option<String>) {
        if let Some(pattern) = pattern {
            pattern.retain(|c| !c.is_whitespace());
        }
    }
    let descriptors = [
        &mut meta.general,
        &mut meta.fixed_line,
        &mut meta.mobile,
        &mut meta.toll_free,
        &mut meta.premium_rate,
        &mut meta.shared_cost,
        &mut meta.personal_number,
        &mut meta.voip,
        &mut meta.pager,
        &mut meta.uan,
        &mut meta.emergency,
        &mut meta.voicemail,
        &mut meta.short_code,
        &mut meta.standard_rate,
        &mut meta.carrier,
        &mut meta.no_international,
    ];
    for descriptor in descriptors.into_iter().flatten() {
        compact(&mut descriptor.national_number);
    }
    for format in meta.formats.iter_mut().chain(&mut meta.international_formats) {
        compact(&mut format.pattern);
        for pattern in &mut format.leading_digits {
            pattern.retain(|c| !c.is_whitespace());
        }
    }
    compact(&mut meta.international_prefix);
    compact(&mut meta.national_prefix_for_parsing);
    compact(&mut meta.leading_digits);
}
