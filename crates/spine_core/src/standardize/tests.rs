//! Tests of every standardization step, with the edge cases of SPEC section 10, and the laws they obey.

use super::*;
use crate::settings::IdentifierKind;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn identifier(steps: &[Step]) -> Identifier {
    Identifier {
        name: "id".to_owned(),
        kind: IdentifierKind::Custom,
        steps: steps.to_vec(),
        default_region: None,
        date_order: DateOrder::Dmy,
        blocked_values: BTreeSet::new(),
        blocked_patterns: Vec::new(),
        blocked_pattern_sources: Vec::new(),
        max_records_per_value: None,
        conflict_limit: None,
    }
}

fn run(steps: &[Step], raw: &str) -> Standardized {
    standardize(&identifier(steps), raw)
}

fn used(value: &str) -> Standardized {
    Standardized::Used(value.to_owned())
}

fn invalid(reason: &str) -> Standardized {
    Standardized::Invalid(reason.to_owned())
}

#[track_caller]
fn check(steps: &[Step], cases: &[(&str, Standardized)]) {
    for (raw, expected) in cases {
        assert_eq!(&run(steps, raw), expected, "steps {steps:?} on {raw:?}");
    }
}

#[test]
fn empty_after_trimming_is_empty_before_any_step() {
    for steps in [&[][..], &[Step::Email], &[Step::OnlyNumeric], &[Step::Date]] {
        check(
            steps,
            &[
                ("", Standardized::Empty),
                ("  \t", Standardized::Empty),
                ("\u{3000}\u{a0}", Standardized::Empty),
            ],
        );
    }
}

#[test]
fn without_steps_the_raw_value_is_kept() {
    check(&[], &[(" Ann ", used(" Ann "))]);
}

#[test]
fn trim_removes_unicode_whitespace_at_both_ends() {
    check(
        &[Step::Trim],
        &[(" a b ", used("a b")), ("\u{a0}\u{2003}x\n", used("x"))],
    );
}

#[test]
fn lowercase_and_uppercase_are_unicode() {
    check(
        &[Step::Lowercase],
        &[
            ("AnN", used("ann")),
            ("ÉLODIE", used("élodie")),
            ("ΟΔΟΣ", used("οδος")),
        ],
    );
    check(
        &[Step::Uppercase],
        &[
            ("ann", used("ANN")),
            ("straße", used("STRASSE")),
            ("élodie", used("ÉLODIE")),
        ],
    );
}

#[test]
fn collapse_whitespace_makes_runs_one_space_without_trimming() {
    check(
        &[Step::CollapseWhitespace],
        &[
            (" a  \t b ", used(" a b ")),
            ("a\u{a0}\u{2003}b", used("a b")),
            ("ab", used("ab")),
            ("\ta\n", used(" a ")),
        ],
    );
}

#[test]
fn remove_accents_drops_combining_marks_without_recomposing() {
    check(
        &[Step::RemoveAccents],
        &[
            ("Élodie Müller", used("Elodie Muller")),
            ("François", used("Francois")),
            // Letters that do not decompose stay.
            ("søren æble straße", used("søren æble straße")),
            // A decomposed accent is removed too; so are spacing (Mc) and enclosing (Me) marks.
            ("e\u{301}", used("e")),
            ("a\u{903}b\u{20dd}", used("ab")),
        ],
    );
    // Nothing but marks is left empty.
    check(
        &[Step::RemoveAccents],
        &[
            ("\u{301}", invalid("remove_accents: leaves the value empty")),
            (
                "\u{903}\t",
                invalid("remove_accents: leaves the value empty"),
            ),
        ],
    );
}

#[test]
fn only_numeric_keeps_ascii_digits() {
    check(
        &[Step::OnlyNumeric],
        &[
            ("+33 (0)6 12-34", used("33061234")),
            // Arabic-Indic and full-width digits are not ASCII digits.
            ("٣4５", used("4")),
            ("abc", invalid("only_numeric: no digits")),
        ],
    );
}

#[test]
fn alphanumeric_keeps_unicode_letters_and_digits() {
    check(
        &[Step::Alphanumeric],
        &[
            ("AB-12/é_ø!", used("AB12éø")),
            ("--", invalid("alphanumeric: no letters or digits")),
        ],
    );
}

#[test]
fn date_reads_the_formats_of_section_10() {
    check(
        &[Step::Date],
        &[
            ("2024-02-29", used("2024-02-29")),
            (" 20240131 ", used("2024-01-31")),
            ("2024-01-31T23:59:59Z", used("2024-01-31")),
            ("2024-01-31T23:59:59.123+05:30", used("2024-01-31")),
            ("2024-01-31 08:15", used("2024-01-31")),
            ("2024-01-31T00:30:00-0800", used("2024-01-31")),
            ("31/12/2024", used("2024-12-31")),
            ("1/2/2024", used("2024-02-01")),
            ("01.02.2024", used("2024-02-01")),
            ("1-2-2024", used("2024-02-01")),
        ],
    );
    let mdy = Identifier {
        date_order: DateOrder::Mdy,
        ..identifier(&[Step::Date])
    };
    assert_eq!(standardize(&mdy, "1/2/2024"), used("2024-01-02"));
    assert_eq!(standardize(&mdy, "12/31/2024"), used("2024-12-31"));
    assert_eq!(
        standardize(&mdy, "31/12/2024"),
        invalid("date: impossible date")
    );
}

#[test]
fn date_rejects_other_forms_impossible_dates_and_year_0000() {
    let unrecognised = invalid("date: not a recognised date");
    check(
        &[Step::Date],
        &[
            ("2023-02-29", invalid("date: impossible date")),
            ("1900-02-29", invalid("date: impossible date")),
            ("2000-02-29", used("2000-02-29")),
            ("2024-04-31", invalid("date: impossible date")),
            ("2024-13-01", invalid("date: impossible date")),
            ("2024-00-10", invalid("date: impossible date")),
            ("00000101", invalid("date: year 0000")),
            ("0000-01-01", invalid("date: year 0000")),
            ("1/2/24", unrecognised.clone()),
            ("1/2-2024", unrecognised.clone()),
            ("1/2/2024/5", unrecognised.clone()),
            ("123/2/2024", unrecognised.clone()),
            ("2024/01/31", unrecognised.clone()),
            ("2024-1-31", unrecognised.clone()),
            ("31 Jan 2024", unrecognised.clone()),
            ("2024-01-31T25:00", unrecognised.clone()),
            ("2024-01-31T12", unrecognised.clone()),
            ("2024-01-31T12:00:00+", unrecognised.clone()),
            ("2024-01-31x", unrecognised.clone()),
            ("２０２４-01-31", unrecognised.clone()),
            ("1 2 2024", unrecognised),
        ],
    );
}

#[test]
fn email_follows_the_validity_rule_of_section_10() {
    check(
        &[Step::Email],
        &[
            (" Ann.Lee+News@Example.COM ", used("ann.lee@example.com")),
            ("a+b+c@x.co", used("a@x.co")),
            ("ann@mail.example.fr", used("ann@mail.example.fr")),
            ("ann@x.c1", used("ann@x.c1")),
            ("élodie@exemple.fr", used("élodie@exemple.fr")),
            ("ann lee@x.com", invalid("email: contains whitespace")),
            ("ann.example.com", invalid("email: no @")),
            ("a@b@x.com", invalid("email: more than one @")),
            ("@x.com", invalid("email: empty local part")),
            ("+news@x.com", invalid("email: empty local part")),
            ("ann@", invalid("email: empty domain")),
            (
                "ann@localhost",
                invalid("email: domain has fewer than two labels"),
            ),
            ("ann@x..com", invalid("email: empty domain label")),
            ("ann@.x.com", invalid("email: empty domain label")),
            ("ann@x.com.", invalid("email: empty domain label")),
            (
                "ann@x.c",
                invalid("email: top-level domain shorter than two characters"),
            ),
            (
                "ann@10.0.0.12",
                invalid("email: top-level domain is all digits"),
            ),
        ],
    );
}

#[test]
fn gmail_dots_are_dropped_only_at_gmail() {
    let steps = [Step::Email, Step::EmailGmailDots];
    check(
        &steps,
        &[
            ("Ann.Lee+x@Gmail.com", used("annlee@gmail.com")),
            ("a.n.n@googlemail.com", used("ann@gmail.com")),
            ("ann.lee@example.com", used("ann.lee@example.com")),
            ("ann.lee@gmail.co.uk", used("ann.lee@gmail.co.uk")),
            (
                "...@gmail.com",
                invalid("email_gmail_dots: empty local part"),
            ),
        ],
    );
    // Alone, a value that is not an address passes unchanged.
    check(
        &[Step::EmailGmailDots],
        &[("not an address", used("not an address"))],
    );
}

#[test]
fn phone_gives_e164_with_the_default_region() {
    let france = Identifier {
        default_region: Some("FR".to_owned()),
        ..identifier(&[Step::Phone])
    };
    assert_eq!(standardize(&france, "06 12 34 56 78"), used("+33612345678"));
    assert_eq!(
        standardize(&france, "+33 (0)6 12 34 56 78"),
        used("+33612345678")
    );
    assert_eq!(
        standardize(&france, "0033 6 12 34 56 78"),
        used("+33612345678")
    );
    assert_eq!(
        standardize(&france, "+1 650-253-0000"),
        used("+16502530000")
    );
    assert_eq!(
        standardize(&france, "00 00 00 00 00"),
        invalid("phone: not a phone number")
    );
    assert_eq!(
        standardize(&france, "06 12"),
        invalid("phone: impossible number")
    );
    assert_eq!(
        standardize(&france, "call me"),
        invalid("phone: not a phone number")
    );
    let us = Identifier {
        default_region: Some("US".to_owned()),
        ..identifier(&[Step::Phone])
    };
    assert_eq!(standardize(&us, "(650) 253-0000"), used("+16502530000"));
    let nowhere = identifier(&[Step::Phone]);
    assert_eq!(
        standardize(&nowhere, "+44 20 7946 0958"),
        used("+442079460958")
    );
    assert_eq!(
        standardize(&nowhere, "06 12 34 56 78"),
        invalid("phone: no country code and no default_region")
    );
}

#[test]
fn phone_writes_what_the_e164_formatter_writes() {
    // The step writes E.164 itself; it must be exactly the `phonenumber` formatter's text for every valid
    // number, whatever its country, its leading zeros (Italy) or how it was written.
    let numbers = [
        ("FR", "06 12 34 56 78"),
        ("FR", "01 23 45 67 89"),
        ("FR", "+33 9 99 99 99 99"),
        ("US", "(650) 253-0000"),
        ("GB", "020 7946 0958"),
        ("IT", "02 1234 5678"),
        ("IT", "+39 06 6988 4144"),
        ("DE", "030 123456"),
        ("JP", "03-1234-5678"),
        ("BR", "(11) 91234-5678"),
        ("FR", "+800 1234 5678"),
        ("FR", "+882 3456 7890 1234"),
    ];
    for (region, raw) in numbers {
        let identifier = Identifier {
            default_region: Some(region.to_owned()),
            ..identifier(&[Step::Phone])
        };
        let country = phonenumber::country::Id::from_str(region).ok();
        let number = phonenumber::parse(country, raw).unwrap_or_else(|_| panic!("{raw}"));
        assert!(phonenumber::is_valid(&number), "{raw} in {region}");
        let expected = phonenumber::format(&number)
            .mode(phonenumber::Mode::E164)
            .to_string();
        assert_eq!(standardize(&identifier, raw), used(&expected), "{raw}");
    }
}

#[test]
fn name_follows_section_10() {
    check(
        &[Step::Name],
        &[
            (
                "  Dr. Élodie   O'Brien-Smith ",
                used("elodie o brien smith"),
            ),
            ("MME Françoise", used("francoise")),
            ("Mr + Mrs Jones", used("+ jones")),
            ("M. Dupont", used("m dupont")),
            ("Prof.Dr.Ann", used("ann")),
            ("Ann Miss", used("ann")),
            (
                "Mrs.",
                invalid("name: nothing left after removing punctuation and honorifics"),
            ),
            ("Drake", used("drake")),
            ("Søren «Kierkegaard»", used("søren kierkegaard")),
            ("ANN\u{a0}\u{2003}LEE", used("ann lee")),
        ],
    );
}

#[test]
fn ascii_punctuation_fast_path_agrees_with_the_unicode_categories() {
    for byte in 0..=127u8 {
        let ch = char::from(byte);
        let category = get_general_category(ch);
        let by_category = matches!(
            category,
            GeneralCategory::ConnectorPunctuation
                | GeneralCategory::DashPunctuation
                | GeneralCategory::OpenPunctuation
                | GeneralCategory::ClosePunctuation
                | GeneralCategory::InitialPunctuation
                | GeneralCategory::FinalPunctuation
                | GeneralCategory::OtherPunctuation
        );
        assert_eq!(is_punctuation(ch), by_category, "{ch:?} is {category:?}");
    }
}

#[test]
fn nickname_maps_words_to_canonical_names() {
    check(
        &[Step::Nickname],
        &[
            ("bob", used("robert")),
            ("bob  lee", used("robert  lee")),
            ("jean bill", used("jean william")),
            ("manu", used("emmanuel")),
            ("Bob", used("Bob")),
            ("bobcat", used("bobcat")),
            ("alex", used("alex")),
        ],
    );
    check(
        &[Step::Name, Step::Nickname],
        &[("Dr. Bob O'Neil", used("robert o neil"))],
    );
}

#[test]
fn nickname_table_is_sorted_unique_lower_case_ascii() {
    for pair in nickname::NICKNAMES.windows(2) {
        assert!(pair[0].0 < pair[1].0, "{:?} before {:?}", pair[0], pair[1]);
    }
    for (nickname, name) in nickname::NICKNAMES {
        for word in [nickname, name] {
            assert!(word.bytes().all(|b| b.is_ascii_lowercase()), "{word}");
        }
        assert_ne!(nickname, name);
        // A canonical name is never itself a nickname, so applying the step twice changes nothing more.
        assert_eq!(nickname::canonical(name), name);
    }
}

#[test]
fn phonetic_is_the_double_metaphone_primary_code_per_word() {
    check(
        &[Step::Phonetic],
        &[
            ("Smith", used("SM0")),
            ("Schmidt", used("XMT")),
            ("Alcock", used("ALKK")),
            ("Allerton", used("ALRT")),
            ("john smith", used("JN SM0")),
            ("Élodie", used("ALT")),
            ("Jérôme", used("JRM")),
            ("42 !!", invalid("phonetic: no letters to encode")),
            ("张伟", invalid("phonetic: no letters to encode")),
        ],
    );
}

#[test]
fn steps_run_in_order_and_the_failing_step_is_named() {
    check(
        &[Step::Trim, Step::Lowercase, Step::OnlyNumeric],
        &[(" AB ", invalid("only_numeric: no digits"))],
    );
    check(
        &[Step::OnlyNumeric, Step::Date],
        &[("d: 2024-01-31", used("2024-01-31"))],
    );
    check(
        &[Step::Name, Step::Phonetic],
        &[("Mr. Jérôme Smith", used("JRM SM0"))],
    );
}

#[test]
fn blocked_values_and_patterns() {
    let mut id = identifier(&[Step::Email]);
    id.blocked_values = BTreeSet::from(["test@test.com".to_owned()]);
    id.blocked_patterns = vec![
        regex::Regex::new("^(?:no.*)$").unwrap(),
        regex::Regex::new("^(?:x)$").unwrap(),
    ];
    id.blocked_pattern_sources = vec!["no.*".to_owned(), "x".to_owned()];
    assert_eq!(
        blocked_reason(&id, "test@test.com").as_deref(),
        Some("listed in blocked_values")
    );
    assert_eq!(
        blocked_reason(&id, "noreply@x.com").as_deref(),
        Some("matches blocked pattern 'no.*'")
    );
    // Patterns must match the whole value.
    assert_eq!(blocked_reason(&id, "x@x.com"), None);
    assert_eq!(blocked_reason(&id, "ann@x.com"), None);
    assert_eq!(
        quarantine_reason(51, 50),
        "held by 51 records, over max_records_per_value 50"
    );
}

#[test]
fn step_names_are_the_json_names() {
    for step in Step::ALL {
        assert_eq!(
            serde_json::to_string(&step).unwrap(),
            format!("\"{}\"", step_name(step))
        );
    }
}

/// Strings mixing the characters the steps care about: letters with and without accents, marks, punctuation,
/// Unicode whitespace, digits, `@`, `+`, `.`, and anything else.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t\u{a0}\u{2003}a-zA-ZéÉøßİΣς\u{301}\u{903}\u{20dd}0-9@+.\\-/:'’«»!&_]{0,24}",
        "[0-9 ()+.\\-]{0,20}",
        "(mr|mrs|dr|m|ann|bob|\\.| |-){0,8}",
    ]
}

fn used_value(steps: &[Step], raw: &str) -> Option<String> {
    match run(steps, raw) {
        Standardized::Used(value) => Some(value),
        _ => None,
    }
}

proptest! {
    #[test]
    fn steps_never_panic(raw in tricky(), step in proptest::sample::select(&Step::ALL[..])) {
        let mut id = identifier(&[step]);
        id.default_region = Some("FR".to_owned());
        let _ = standardize(&id, &raw);
        id.default_region = None;
        id.date_order = DateOrder::Mdy;
        let _ = standardize(&id, &raw);
    }

    #[test]
    fn used_values_are_never_blank(raw in tricky(), steps in proptest::collection::vec(proptest::sample::select(&Step::ALL[..]), 0..4)) {
        if let Standardized::Used(value) = run(&steps, &raw) {
            prop_assert!(!value.trim().is_empty());
        }
    }

    #[test]
    fn some_steps_are_idempotent(raw in tricky()) {
        for step in [Step::Trim, Step::Lowercase, Step::RemoveAccents, Step::Name, Step::CollapseWhitespace, Step::Email, Step::Date] {
            if let Some(once) = used_value(&[step], &raw) {
                prop_assert_eq!(used_value(&[step], &once), Some(once.clone()), "{:?}", step);
            }
        }
    }
}

fn nfd_string(input: &str) -> String {
    let mut out = String::new();
    nfd(input.chars(), |ch| out.push(ch));
    out
}

#[test]
fn nfd_decomposes_every_character_as_unicode_normalization_does() {
    use unicode_normalization::UnicodeNormalization as _;
    for ch in (0..=0x10ffff).filter_map(char::from_u32) {
        let expected: String = std::iter::once(ch).nfd().collect();
        assert_eq!(nfd_string(&ch.to_string()), expected, "{ch:?}");
    }
}

#[test]
fn nfd_puts_combining_marks_in_canonical_order() {
    use unicode_normalization::UnicodeNormalization as _;
    // Classes 230 (acute, grave), 220 (dot below, cedilla at 202), 1 (tilde overlay), 216 (horn): every order
    // of them after a starter, a precomposed letter and a Hangul syllable, and marks with no starter before.
    let marks = [
        '\u{301}', '\u{300}', '\u{323}', '\u{327}', '\u{334}', '\u{31b}',
    ];
    for first in ['a', 'ệ', '한', '\u{301}'] {
        for (i, &x) in marks.iter().enumerate() {
            for &y in &marks[i..] {
                for &z in &marks {
                    for tail in ["", "b", "\u{345}"] {
                        let input = format!("{first}{x}{z}{y}{tail}{y}");
                        assert_eq!(
                            nfd_string(&input),
                            input.nfd().collect::<String>(),
                            "{input:?}"
                        );
                    }
                }
            }
        }
    }
    assert_eq!(nfd_string("a\u{301}\u{323}"), "a\u{323}\u{301}");
    assert_eq!(nfd_string("\u{1e09}"), "c\u{327}\u{301}");
}

proptest! {
    #[test]
    fn nfd_agrees_with_unicode_normalization(raw in tricky()) {
        use unicode_normalization::UnicodeNormalization as _;
        prop_assert_eq!(nfd_string(&raw), raw.nfd().collect::<String>());
    }
}
