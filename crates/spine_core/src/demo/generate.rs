//! The generator itself: people with households and accounts, the records each one leaves in the four profile
//! models, their web events, and the ground truth that says which records are whose.

use super::names::{self, GivenName};
use super::render::{self, CsvLine, TimeFormat};
use super::rng::DemoRng;
use super::{DemoFile, DemoSet, GRAPH_JSON};

/// 2021-01-01T00:00:00Z: the start of the demo's history.
const EPOCH: i64 = 1_609_459_200;
const DAY: i64 = 86_400;

/// The profile models, in the order their files are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Crm,
    Shop,
    App,
    Support,
}

impl Model {
    const ALL: [Model; 4] = [Model::Crm, Model::Shop, Model::App, Model::Support];

    fn name(self) -> &'static str {
        match self {
            Model::Crm => "crm",
            Model::Shop => "shop",
            Model::App => "app",
            Model::Support => "support",
        }
    }

    fn header(self) -> &'static str {
        match self {
            Model::Crm => {
                "contact_id,first_name,last_name,email,phone,customer_id,city,consent,updated_at"
            }
            Model::Shop => {
                "id,customer_no,email,tel,given_name,family_name,city,total_spent,modified"
            }
            Model::App => "user_id,email,mobile,first,last,newsletter,last_login",
            Model::Support => "contact_ref,user_id,email,phone,first_name,last_name,note,updated",
        }
    }

    fn key_prefix(self) -> &'static str {
        match self {
            Model::Crm => "CRM-",
            Model::Shop => "S",
            Model::App => "",
            Model::Support => "Z-",
        }
    }

    /// Per mille of records with no email and with no phone.
    fn missing_rates(self) -> (u32, u32) {
        match self {
            Model::Crm => (80, 350),
            Model::Shop => (20, 500),
            Model::App => (30, 600),
            Model::Support => (100, 400),
        }
    }
}

/// One real person.
#[derive(Debug)]
struct Person {
    id: usize,
    given: &'static GivenName,
    family: &'static str,
    email: String,
    work_email: Option<String>,
    mobile: Option<String>,
    landline: Option<String>,
    customer_id: Option<String>,
    /// A second shop account opened with the same email (two customer IDs for one person).
    second_customer_id: Option<String>,
    user_id: Option<String>,
    /// The identifier every record of this person carries (besides deliberately blank ones): the phone
    /// number when true, the personal email otherwise. It keeps each person findable in principle.
    anchor_phone: bool,
    city: &'static str,
    /// When the person first shows up, in Unix seconds.
    since: i64,
    /// The browser cookie of the person's web visits, if any.
    anonymous_id: Option<String>,
}

/// How a row's key is written.
#[derive(Debug)]
enum Key {
    /// A fresh key from the model's counter.
    Fresh,
    /// An empty or blank key (a guest row, a broken export).
    Missing,
    /// A fresh key written on two identical rows (a row exported twice).
    Duplicated,
    /// The key is the record's own identifier (the app's user ID).
    Own(String),
}

/// A rendered row waiting for its key, so keys can follow a shuffled order rather than the person order.
#[derive(Debug)]
struct Pending {
    person: u32,
    key: Key,
    /// The cells after the key, already CSV-encoded.
    rest: String,
}

#[derive(Debug)]
struct Event {
    at: i64,
    kind: &'static str,
    user_id: String,
    email: String,
    anonymous_id: String,
}

/// Builds a demo set of `records` profile records from `seed`.
pub(super) fn generate(records: usize, seed: u64) -> DemoSet {
    let mut rng = DemoRng::new(seed, 0);
    let mut pending: [Vec<Pending>; 4] = Default::default();
    let mut events: Vec<Event> = Vec::new();
    let mut left = records;
    let mut previous: Option<Person> = None;
    let mut id = 0usize;
    while left > 0 {
        let mut person = new_person(&mut rng, id, previous.as_ref());
        let count = [1, 2, 3, 4, 5][rng.weighted(&[30, 30, 20, 12, 8])];
        let models = choose_models(&mut rng, count);
        if models.contains(&Model::App) && person.user_id.is_none() {
            person.user_id = Some(user_id(id));
        }
        let mut shop_accounts = 0;
        for model in models {
            if left == 0 {
                break;
            }
            let mut row = render_row(&mut rng, &person, model, shop_accounts);
            if model == Model::Shop {
                shop_accounts += 1;
            }
            if matches!(row.key, Key::Duplicated) && left < 2 {
                row.key = Key::Fresh;
            }
            left -= if matches!(row.key, Key::Duplicated) {
                2
            } else {
                1
            };
            pending[model as usize].push(row);
        }
        person_events(&mut rng, &mut person, previous.as_ref(), &mut events);
        previous = Some(person);
        id += 1;
    }
    noise_events(&mut rng, &mut events);

    let mut models = Vec::with_capacity(4);
    let mut truth = String::from("model,key,person\n");
    for (model, rows) in Model::ALL.into_iter().zip(pending) {
        models.push(DemoFile {
            name: model.name().to_owned(),
            text: finish_model(seed, model, rows, &mut truth),
        });
    }
    DemoSet {
        graph_json: GRAPH_JSON.to_owned(),
        models,
        events: vec![DemoFile {
            name: "web_events".to_owned(),
            text: finish_events(events),
        }],
        truth,
    }
}

/// IDs below ten million people are unique: the multipliers are prime to 10 so the map is a bijection.
fn scrambled(id: usize, multiplier: usize) -> usize {
    id.wrapping_mul(multiplier) % 10_000_000
}

fn user_id(id: usize) -> String {
    format!("u{:07}", scrambled(id, 7919))
}

fn new_person(rng: &mut DemoRng, id: usize, previous: Option<&Person>) -> Person {
    // About one person in fourteen lives with the previous one: same family name and city, often the same
    // email address and landline.
    let household = previous.filter(|_| rng.chance(70));
    let given = rng.pick(names::GIVEN_NAMES);
    let family = household.map_or_else(|| *rng.pick(names::FAMILY_NAMES), |p| p.family);
    let email = match household {
        Some(p) if rng.chance(700) => p.email.clone(),
        _ => personal_email(rng, id, given, family),
    };
    let work_email = rng.chance(100).then(|| {
        format!(
            "{}.{}{}@{}",
            render::email_word(given.full),
            render::email_word(family),
            scrambled(id, 3_141_593),
            rng.pick(names::WORK_DOMAINS)
        )
    });
    let mobile = rng.chance(880).then(|| render::new_phone(rng, false));
    let landline = match household {
        Some(p) if p.landline.is_some() && rng.chance(600) => p.landline.clone(),
        _ => rng.chance(150).then(|| render::new_phone(rng, true)),
    };
    let customer_id = rng
        .chance(650)
        .then(|| format!("C{:07}", scrambled(id, 104_729)));
    let second_customer_id = rng
        .chance(40)
        .then(|| format!("C1{:07}", scrambled(id, 104_729)));
    let user_id = rng.chance(450).then(|| user_id(id));
    let anchor_phone = mobile.is_some() && rng.chance(150);
    let city = household.map_or_else(|| *rng.pick(names::CITIES), |p| p.city);
    let since = EPOCH + rng.below((3 * 365 * DAY) as usize) as i64;
    Person {
        id,
        given,
        family,
        email,
        work_email,
        mobile,
        landline,
        customer_id,
        second_customer_id,
        user_id,
        anchor_phone,
        city,
        since,
        anonymous_id: None,
    }
}

fn personal_email(rng: &mut DemoRng, id: usize, given: &GivenName, family: &str) -> String {
    // A number unique to the person keeps addresses distinct at any size without revealing the truth.
    let id = scrambled(id, 3_141_593);
    let g = render::email_word(given.full);
    let f = render::email_word(family);
    let local = match rng.below(4) {
        0 => format!("{g}.{f}{id}"),
        1 => format!("{g}{f}{id}"),
        2 => format!("{}{f}{id}", &g[..1]),
        _ => format!("{g}_{f}.{id}"),
    };
    let domain = names::EMAIL_DOMAINS[rng.weighted(names::EMAIL_DOMAIN_WEIGHTS)];
    format!("{local}@{domain}")
}

/// The models a person's records land in: the app at most once (one account per person there).
fn choose_models(rng: &mut DemoRng, count: usize) -> Vec<Model> {
    let mut models = Vec::with_capacity(count);
    for _ in 0..count {
        let mut model = Model::ALL[rng.weighted(&[30, 30, 22, 18])];
        if model == Model::App && models.contains(&Model::App) {
            model = Model::Shop;
        }
        models.push(model);
    }
    models
}

/// One record of a person in one model, with the noise of that model.
fn render_row(rng: &mut DemoRng, person: &Person, model: Model, shop_account: usize) -> Pending {
    // A blank record: nothing to match on but empty cells and placeholders (a guest checkout, a contact typed
    // in a hurry). It goes to unresolved records as `missing_identifiers`.
    let blank = rng.chance(15);
    let placeholder = |rng: &mut DemoRng, values: &[&str]| {
        if rng.chance(500) {
            (*rng.pick(values)).to_owned()
        } else {
            String::new()
        }
    };
    let (mut given, mut family) = if blank {
        (placeholder(rng, names::PLACEHOLDER_NAMES), String::new())
    } else {
        (
            render::given_name(rng, person.given, model == Model::Crm),
            render::family_name(rng, person.family),
        )
    };
    if !blank && rng.chance(5) {
        given = (*rng.pick(names::PLACEHOLDER_NAMES)).to_owned();
    }
    if rng.chance(15) {
        std::mem::swap(&mut given, &mut family);
    }
    let (no_email, no_phone) = model.missing_rates();
    let email = if blank {
        if model == Model::Shop && rng.chance(800) {
            names::GUEST_EMAIL.to_owned()
        } else {
            placeholder(rng, names::PLACEHOLDER_EMAILS)
        }
    } else if !person.anchor_phone {
        // The anchor is written with noise a standardization step undoes, never with a typo.
        render::email(rng, &person.email, false)
    } else if rng.chance(no_email) {
        String::new()
    } else if rng.chance(60) {
        (*rng.pick(names::PLACEHOLDER_EMAILS)).to_owned()
    } else if model == Model::Shop && rng.chance(300) {
        names::GUEST_EMAIL.to_owned()
    } else {
        let address = match &person.work_email {
            Some(work) if rng.chance(250) => work,
            _ => &person.email,
        };
        render::email(rng, address, true)
    };
    let phone = if blank {
        placeholder(rng, names::PLACEHOLDER_PHONES)
    } else if let Some(mobile) = person.mobile.as_ref().filter(|_| person.anchor_phone) {
        render::phone(rng, mobile)
    } else if rng.chance(no_phone) {
        String::new()
    } else if rng.chance(25) {
        (*rng.pick(names::PLACEHOLDER_PHONES)).to_owned()
    } else {
        let number = match (&person.mobile, &person.landline) {
            (Some(_), Some(landline)) if rng.chance(250) => Some(landline),
            (Some(mobile), _) => Some(mobile),
            (None, landline) => landline.as_ref(),
        };
        number.map(|n| render::phone(rng, n)).unwrap_or_default()
    };
    let city = if rng.chance(100) {
        String::new()
    } else if rng.chance(100) {
        names::strip_accents(person.city).to_uppercase()
    } else {
        person.city.to_owned()
    };
    let at = person.since + rng.below((400 * DAY) as usize) as i64;
    let id_cell = |rng: &mut DemoRng, value: &Option<String>, per_mille: u32| match value {
        Some(value) if !blank && rng.chance(per_mille) => match rng.weighted(&[900, 60, 40]) {
            0 => value.clone(),
            1 => value.to_lowercase(),
            _ => format!(" {value}"),
        },
        _ => String::new(),
    };

    let mut line = CsvLine::default();
    let mut key = Key::Fresh;
    match model {
        Model::Crm => {
            let customer_id = id_cell(rng, &person.customer_id, 500);
            let consent = *rng.pick(&["yes", "yes", "no", ""]);
            let updated = render::timestamp(rng, at, TimeFormat::SpaceSeparated);
            for cell in [
                &given,
                &family,
                &email,
                &phone,
                &customer_id,
                &city,
                consent,
                &updated,
            ] {
                line.push(cell);
            }
            if rng.chance(2) {
                key = Key::Missing;
            }
        }
        Model::Shop => {
            let account = if shop_account > 0 && person.second_customer_id.is_some() {
                &person.second_customer_id
            } else {
                &person.customer_id
            };
            let customer_no = id_cell(rng, account, 950);
            let spent = format!("{}.{:02}", rng.below(2000), rng.below(100));
            let modified = render::timestamp(rng, at, TimeFormat::Iso);
            for cell in [
                &customer_no,
                &email,
                &phone,
                &given,
                &family,
                &city,
                &spent,
                &modified,
            ] {
                line.push(cell);
            }
            if rng.chance(5) {
                key = Key::Missing;
            }
        }
        Model::App => {
            let newsletter = *rng.pick(&["true", "false", "false"]);
            let login = render::timestamp(rng, at, TimeFormat::UnixSeconds);
            for cell in [&email, &phone, &given, &family, newsletter, &login] {
                line.push(cell);
            }
            key = Key::Own(person.user_id.clone().unwrap_or_else(|| user_id(person.id)));
        }
        Model::Support => {
            let user = id_cell(rng, &person.user_id, 400);
            let note = *rng.pick(names::SUPPORT_NOTES);
            let updated = render::timestamp(rng, at, TimeFormat::Date);
            for cell in [&user, &email, &phone, &given, &family, note, &updated] {
                line.push(cell);
            }
        }
    }
    if matches!(key, Key::Fresh) && model != Model::App && rng.chance(3) {
        key = Key::Duplicated;
    }
    Pending {
        person: person.id as u32,
        key,
        rest: line.text,
    }
}

/// Shuffles a model's rows, gives them keys in file order, and writes the CSV text and the truth rows.
fn finish_model(seed: u64, model: Model, mut rows: Vec<Pending>, truth: &mut String) -> String {
    let mut rng = DemoRng::new(seed, 10 + model as u64);
    rng.shuffle(&mut rows);
    let mut text =
        String::with_capacity(rows.iter().map(|r| r.rest.len() + 12).sum::<usize>() + 100);
    text.push_str(model.header());
    text.push('\n');
    let mut counter = 0usize;
    let mut next_key = || {
        counter += 1;
        format!("{}{counter:07}", model.key_prefix())
    };
    for row in rows {
        let (key, copies, in_truth) = match row.key {
            Key::Fresh => (next_key(), 1, true),
            Key::Own(key) => (key, 1, true),
            Key::Duplicated => (next_key(), 2, false),
            Key::Missing => ((*rng.pick(&["", " "])).to_owned(), 1, false),
        };
        for _ in 0..copies {
            text.push_str(&key);
            text.push(',');
            text.push_str(&row.rest);
            text.push('\n');
        }
        if in_truth {
            truth.push_str(model.name());
            truth.push(',');
            truth.push_str(&key);
            truth.push_str(&format!(",p{:07}\n", row.person));
        }
    }
    text
}

/// A person's web visits: anonymous page views, then a visit where they log in or give their email, which
/// lets the earlier anonymous events be stitched by backfill.
fn person_events(
    rng: &mut DemoRng,
    person: &mut Person,
    previous: Option<&Person>,
    events: &mut Vec<Event>,
) {
    if !rng.chance(250) {
        return;
    }
    // A household's shared computer: the same cookie for two people, which makes it ambiguous.
    let shared = previous
        .filter(|p| p.family == person.family && p.city == person.city)
        .and_then(|p| p.anonymous_id.clone())
        .filter(|_| rng.chance(300));
    let anonymous_id = shared.unwrap_or_else(|| {
        let mut id = String::from("a-");
        for _ in 0..12 {
            id.push(char::from(*rng.pick(b"0123456789abcdef")));
        }
        id
    });
    let count = 1 + rng.below(4);
    let mut at = person.since + rng.below((600 * DAY) as usize) as i64;
    for index in 0..count {
        let mut event = Event {
            at,
            kind: "page_view",
            user_id: String::new(),
            email: String::new(),
            anonymous_id: String::new(),
        };
        if index + 1 < count {
            event.anonymous_id.clone_from(&anonymous_id);
        } else {
            event.kind =
                ["purchase", "add_to_cart", "page_view", "login"][rng.weighted(&[40, 20, 20, 20])];
            match &person.user_id {
                Some(user) if rng.chance(650) => {
                    event.user_id = if rng.chance(50) {
                        user.to_uppercase()
                    } else {
                        user.clone()
                    };
                }
                _ => event.email = render::email(rng, &person.email, true),
            }
            if rng.chance(850) {
                event.anonymous_id.clone_from(&anonymous_id);
            }
        }
        events.push(event);
        // Most visits follow within days; a few come back after the stitching lifetime has run out.
        let gap_days = if rng.chance(80) {
            100 + rng.below(100)
        } else {
            rng.below(20)
        };
        at += gap_days as i64 * DAY + rng.below(DAY as usize) as i64;
    }
    person.anonymous_id = Some(anonymous_id);
}

/// Events no profile can claim: strangers who never log in, rows without identifiers, placeholder emails and
/// user IDs of deleted accounts.
fn noise_events(rng: &mut DemoRng, events: &mut Vec<Event>) {
    let base = events.len();
    for index in 0..base / 6 + 1 {
        let at = EPOCH + rng.below((3 * 365 * DAY) as usize) as i64;
        let mut event = Event {
            at,
            kind: "page_view",
            user_id: String::new(),
            email: String::new(),
            anonymous_id: String::new(),
        };
        match index % 8 {
            0 => {}
            1 => event.email = "test@test.com".to_owned(),
            2 => {
                event.kind = "login";
                event.user_id = format!("u-deleted-{index}");
            }
            _ => event.anonymous_id = format!("a-stranger{index:06}"),
        }
        events.push(event);
    }
}

fn finish_events(mut events: Vec<Event>) -> String {
    // A stable sort keeps generation order among events of the same second, so the output is deterministic.
    crate::sort::sort_by_key(&mut events, |event| event.at);
    let mut text = String::with_capacity(events.len() * 70 + 64);
    text.push_str("event_id,ts,type,user_id,email,anonymous_id\n");
    for (index, event) in events.iter().enumerate() {
        let mut line = CsvLine::default();
        line.push(&format!("E{:08}", index + 1));
        line.push(&render::format_time(event.at, TimeFormat::Iso));
        for cell in [
            event.kind,
            &event.user_id,
            &event.email,
            &event.anonymous_id,
        ] {
            line.push(cell);
        }
        text.push_str(&line.text);
        text.push('\n');
    }
    text
}
