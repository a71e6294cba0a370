//! A synthetic data root of any size, for benchmarks and load tests.
//!
//! ```text
//! cargo run --release --example synth -- --cohorts 3000 [--seed N] DIR
//! ```
//!
//! Writes the repository's `curriculum.toml` and `--cohorts` cohorts with
//! ids like `c0001-2023-spring`: 17 sessions on Tuesdays and Thursdays,
//! participants with made-up names (accents, apostrophes, a comma now and
//! then), attendance logs with every status, partial minutes on both sides of
//! the threshold, corrections and make-ups, practicum logs with non-counting
//! rows and `H:MM` hours, and evaluations and practicum results so that all
//! four outcomes occur. `cohort check` accepts the result with 0 errors (it
//! warns about the rows that do not count, as it should).
//!
//! The same arguments give byte-identical files: every cohort draws from its
//! own splitmix64 stream, seeded from `--seed` and its number. Every person
//! is fictional: first and family names are drawn independently.
//!
//! Dates are relative to `--today` (default 2026-11-22, the date the tests
//! pin): nothing is dated after it, and cohorts of the latest season are
//! still running on it. Run `cohort` with `COHORT_TODAY` set to the same date
//! (or any later one) to see the same outcomes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Weekday};
use clap::Parser;

const CURRICULUM: &str = include_str!("../curriculum.toml");

/// Write a synthetic data root (curriculum.toml and cohorts/) into DIR
#[derive(Parser)]
struct Args {
    /// Number of cohorts
    #[arg(long, default_value_t = 3000)]
    cohorts: usize,
    /// Seed of the random stream; the same seed writes the same bytes
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Participants per cohort
    #[arg(long, default_value_t = 20)]
    participants: usize,
    /// Practicum rows per finished cohort, about
    #[arg(long, default_value_t = 1700)]
    practicum_rows: usize,
    /// Nothing is dated after this day
    #[arg(long, default_value = "2026-11-22")]
    today: NaiveDate,
    /// Folder to write into; must not hold a cohorts/ folder yet
    dir: PathBuf,
}

/// splitmix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Zoë",
    "José",
    "Siobhán",
    "Mai",
    "Darnell",
    "Ingrid",
    "Mateus",
    "Chloé",
    "Rahim",
    "Kateřina",
    "Liam",
    "Amélie",
    "Kwame",
    "Renée",
    "Fatima Zahra",
    "Björn",
    "Élodie",
    "Hannah",
    "Aisha",
    "Noah",
    "Priya",
    "Tomás",
    "Léa",
    "Mikael",
    "Yusuf",
    "Marta",
    "Oluwaseun",
    "Søren",
    "Ngozi",
    "Camille",
    "Dmitri",
    "Inès",
    "Joaquín",
    "Astrid",
    "Kenji",
    "Leila",
    "Mateo",
    "Nadia",
    "Òscar",
    "Rūta",
    "Saoirse",
    "Thandiwe",
    "Ümit",
    "Wiktoria",
    "Xavier",
    "Yara",
    "Zainab",
    "André",
    "Bérénice",
    "Ciarán",
    "Dagný",
    "Émile",
    "François",
    "Gökhan",
    "Hélène",
    "Ifeoma",
    "Jürgen",
    "Łukasz",
    "Maëlle",
    "Nuno",
    "Anaïs",
    "Raphaël",
    "Siân",
    "Tadeusz",
    "Ulla",
    "Valérie",
    "Sam",
    "Jordan",
    "Alex",
    "Robin",
    "Taylor",
    "Morgan",
    "Jamie",
    "Casey",
    "Riley",
    "Avery",
];

const FAMILY: &[&str] = &[
    "Martin-Leclerc",
    "Ramírez",
    "O'Brien",
    "Nguyễn",
    "Brooks",
    "Sørensen",
    "Conceição",
    "Fontaine",
    "Chowdhury",
    "Dvořák",
    "Kowalski",
    "Gagnon",
    "Mensah",
    "Lachance",
    "El Idrissi",
    "Lindqvist",
    "Moreau",
    "Goldberg",
    "Tremblay",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Lefebvre",
    "Poulin",
    "Thibault",
    "St-Pierre",
    "Nadeau",
    "Martel",
    "Müller",
    "Schäfer",
    "Jørgensen",
    "Åberg",
    "Wiśniewski",
    "Dąbrowski",
    "Ó Súilleabháin",
    "MacNeil",
    "D'Amico",
    "Da Silva",
    "van der Berg",
    "Hernández",
    "Muñoz",
    "Núñez",
    "Álvarez",
    "Ibáñez",
    "Çelik",
    "Yılmaz",
    "Öztürk",
    "Nakamura",
    "Takahashi",
    "Kim",
    "Park",
    "Singh",
    "Patel",
    "Sharma",
    "Iyer",
    "Adeyemi",
    "Mwangi",
    "Haddad",
    "Khalil",
    "Mansour",
    "Delgado",
    "Okonkwo",
];

const STAFF: &[&str] = &[
    "Rosa Delgado",
    "Malik Haddad",
    "Grace Okafor",
    "Sam Whitfield",
    "Dana Kowalczyk",
    "Noor Rahman",
    "Pierre-Luc Gendron",
    "Aroha Ngata",
    "Beatriz Lopes",
    "Colm Ferris",
    "Eun-ji Baek",
    "Farid Saleh",
    "Gwen Tallis",
    "Hiroko Abe",
    "Isabeau Renaud",
    "Jonas Eklund",
];

const TIMEZONES: &[&str] = &[
    "America/Toronto",
    "America/Toronto",
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Halifax",
    "America/St_Johns",
    "America/Regina",
];

const SEASONS: &[(&str, &str, u32, u32)] = &[
    ("winter", "Winter", 1, 10),
    ("spring", "Spring", 4, 5),
    ("summer", "Summer", 7, 5),
    ("fall", "Fall", 10, 1),
];

/// What the generator aims at for one participant; the data then shows it.
#[derive(Clone, Copy, PartialEq)]
enum Plan {
    Withdrawn,
    /// A webinar missed and not made up.
    Missed,
    AwaitingEvaluation,
    PartialParticipation,
    Level1,
    Certified,
    /// Recommended; practicum under way, no result yet.
    Practising,
    Failed,
    /// Recommended, result "pass", but fewer than the required counted hours.
    PassedShort,
}

impl Plan {
    fn draw(rng: &mut Rng) -> Plan {
        const WEIGHTS: &[(Plan, u64)] = &[
            (Plan::Withdrawn, 40),
            (Plan::Missed, 70),
            (Plan::AwaitingEvaluation, 30),
            (Plan::PartialParticipation, 30),
            (Plan::Level1, 230),
            (Plan::Certified, 350),
            (Plan::Practising, 130),
            (Plan::Failed, 60),
            (Plan::PassedShort, 60),
        ];
        let mut x = rng.below(1000);
        for (plan, w) in WEIGHTS {
            if x < *w {
                return *plan;
            }
            x -= w;
        }
        Plan::Level1
    }

    fn recommended(self) -> bool {
        matches!(
            self,
            Plan::Certified | Plan::Practising | Plan::Failed | Plan::PassedShort
        )
    }

    /// Share of the cohort's practicum rows.
    fn practicum_weight(self) -> f64 {
        match self {
            Plan::Certified | Plan::Failed => 1.0,
            Plan::PassedShort => 0.9,
            Plan::Practising => 0.5,
            _ => 0.0,
        }
    }
}

/// From the curriculum: the numbers the data must respect.
struct Program {
    webinars: usize,
    session_minutes: i64,
    min_minutes: i64,
    required_seconds: i64,
}

fn program() -> Program {
    let doc: toml_edit::DocumentMut = CURRICULUM
        .parse()
        .expect("the repository's curriculum.toml parses");
    let int = |table: &str, key: &str| {
        doc[table][key]
            .as_integer()
            .unwrap_or_else(|| panic!("curriculum.toml has [{table}] {key}"))
    };
    Program {
        webinars: doc["webinar"].as_array_of_tables().map_or(0, |a| a.len()),
        session_minutes: int("attendance", "session_minutes"),
        min_minutes: int("attendance", "min_minutes"),
        required_seconds: int("practicum", "required_hours") * 3600,
    }
}

/// A CSV cell, quoted when it must be.
fn cell(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) || text.starts_with(' ') || text.ends_with(' ') {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn row(out: &mut String, cells: &[&str], eol: &str) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, c);
    }
    out.push_str(eol);
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Lower-case ASCII letters of a name, for a made-up email address.
fn ascii_key(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'å' | 'ã' | 'ą' | 'À' | 'Á' | 'Å' => 'a',
            'ç' | 'Ç' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ě' | 'É' | 'È' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
            'ł' | 'Ł' => 'l',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ò' | 'Ö' => 'o',
            'ř' => 'r',
            'ś' | 'š' => 's',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'Ü' => 'u',
            'ý' | 'ỳ' => 'y',
            'ễ' => 'e',
            'ð' => 'd',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

struct Person {
    id: String,
    name: String,
    email: Option<String>,
    aliases: Vec<String>,
    plan: Plan,
    withdrawn: Option<NaiveDate>,
}

struct Session {
    date: NaiveDate,
    start: NaiveTime,
}

/// One practicum row before it is written.
#[derive(Clone)]
struct Practice {
    date: NaiveDate,
    participant: usize,
    seq: usize,
    hours: String,
    kind: &'static str,
    monitor: String,
    note: String,
}

/// Hours as a log would hold them: decimals (`0.35`, `1.5`, `2`) or `H:MM`.
fn hours_text(rng: &mut Rng, seconds: f64) -> (String, i64) {
    if rng.chance(300) {
        let minutes = ((seconds / 60.0).round() as i64).max(1);
        (
            format!("{}:{:02}", minutes / 60, minutes % 60),
            minutes * 60,
        )
    } else {
        let hundredths = ((seconds / 36.0).round() as i64).max(1);
        let (whole, frac) = (hundredths / 100, hundredths % 100);
        let text = match frac {
            0 if rng.chance(50) => format!("{whole}.0"),
            0 => format!("{whole}"),
            f if f % 10 == 0 && !rng.chance(100) => format!("{whole}.{}", f / 10),
            f => format!("{whole}.{f:02}"),
        };
        (text, hundredths * 36)
    }
}

struct Cohort {
    id: String,
    name: String,
    timezone: &'static str,
    trainers: [&'static str; 2],
    monitors: [&'static str; 3],
    sessions: Vec<Session>,
    people: Vec<Person>,
}

fn rfc3339(tz: chrono_tz::Tz, date: NaiveDate, time: NaiveTime) -> String {
    let local = date.and_time(time);
    let when = tz
        .from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&local));
    when.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Everything about cohort number `n`, and its files, appended to `files`.
fn cohort(n: usize, args: &Args, program: &Program, files: &mut Vec<(String, String)>) {
    let mut rng = Rng::new(args.seed, n as u64);
    let today = args.today;
    // Spread the cohorts over 32 seasons, 2019 to 2026, in a scrambled order
    // so that even a few cohorts cover old, recent and running ones.
    let period = (n * 13) % 32;
    let year = 2019 + (period / 4) as i32;
    let (slug, season, month, day) = SEASONS[period % 4];
    let width = args.cohorts.to_string().len().max(4);
    let id = format!("c{n:0width$}-{year}-{slug}");

    let timezone = *rng.pick(TIMEZONES);
    let tz: chrono_tz::Tz = timezone.parse().expect("known time zone");
    let t1 = *rng.pick(STAFF);
    let mut t2 = *rng.pick(STAFF);
    while t2 == t1 {
        t2 = *rng.pick(STAFF);
    }
    let monitors = [*rng.pick(STAFF), *rng.pick(STAFF), *rng.pick(STAFF)];
    let start_hour = *rng.pick(&[12u32, 12, 10, 13, 18]);
    let start_time = NaiveTime::from_hms_opt(start_hour, if rng.chance(200) { 30 } else { 0 }, 0)
        .expect("valid time");

    let mut date = NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
        + Duration::days(rng.range(0, 20));
    while date.weekday() != Weekday::Tue {
        date += Duration::days(1);
    }
    let mut sessions = Vec::with_capacity(program.webinars);
    for w in 0..program.webinars {
        sessions.push(Session {
            date,
            start: start_time,
        });
        // Tuesday, Thursday, Tuesday, …; now and then a week off.
        date += Duration::days(if w % 2 == 0 { 2 } else { 5 });
        if w % 2 == 1 && rng.chance(40) {
            date += Duration::days(7);
        }
    }
    let last = sessions.last().expect("17 sessions").date;
    let held: Vec<bool> = sessions.iter().map(|s| s.date < today).collect();
    let held_count = held.iter().filter(|h| **h).count();
    let finished = last < today;

    // People.
    let width_p = args.participants.to_string().len().max(2);
    let mut people: Vec<Person> = Vec::with_capacity(args.participants);
    let mut emails: Vec<String> = Vec::new();
    for p in 0..args.participants {
        let first = *rng.pick(FIRST);
        let family = *rng.pick(FAMILY);
        let mut name = format!("{first} {family}");
        if rng.chance(8) {
            name.push_str(", Jr.");
        }
        let email = rng.chance(900).then(|| {
            let base = format!("{}.{}", ascii_key(first), ascii_key(family));
            let mut email = format!("{base}@example.org");
            let mut k = 2;
            while emails.contains(&email) {
                email = format!("{base}{k}@example.org");
                k += 1;
            }
            emails.push(email.clone());
            email
        });
        let mut aliases = Vec::new();
        if rng.chance(100) {
            aliases.push(format!("{family}, {first}"));
        }
        if rng.chance(50) {
            aliases.push(format!(
                "{} {}.",
                first,
                family.chars().next().unwrap_or('X')
            ));
        }
        let mut plan = Plan::draw(&mut rng);
        let mut withdrawn = None;
        if plan == Plan::Withdrawn {
            // Withdrew the day after a session, somewhere in the middle.
            if held_count >= 6 {
                let k = rng.range(4, (held_count as i64 - 1).min(12)) as usize;
                withdrawn = Some(sessions[k].date + Duration::days(1));
            } else {
                plan = Plan::Level1;
            }
        }
        if plan == Plan::Missed && held_count == 0 {
            plan = Plan::Level1;
        }
        people.push(Person {
            id: format!("p{:0width_p$}", p + 1),
            name,
            email,
            aliases,
            plan,
            withdrawn,
        });
    }

    let c = Cohort {
        id,
        name: format!("{season} {year}, group {n}"),
        timezone,
        trainers: [t1, t2],
        monitors,
        sessions,
        people,
    };
    let dir = format!("cohorts/{}", c.id);

    // Attendance: one log per held webinar.
    let missed: Vec<Vec<usize>> = c
        .people
        .iter()
        .map(|person| {
            if person.plan != Plan::Missed {
                return Vec::new();
            }
            let mut ws = vec![rng.below(held_count as u64) as usize];
            if rng.chance(250) {
                let w = rng.below(held_count as u64) as usize;
                if !ws.contains(&w) {
                    ws.push(w);
                }
            }
            ws
        })
        .collect();
    for (w, session) in c.sessions.iter().enumerate() {
        if !held[w] {
            continue;
        }
        let spreadsheet = rng.chance(30); // re-saved by a spreadsheet: BOM and CRLF
        let eol = if spreadsheet { "\r\n" } else { "\n" };
        let mut text = String::with_capacity(64 * (c.people.len() + 4));
        if spreadsheet {
            text.push('\u{feff}');
        }
        row(
            &mut text,
            &[
                "participant",
                "status",
                "minutes",
                "recorded_by",
                "recorded_at",
                "note",
            ],
            eol,
        );
        let by = c.trainers[rng.below(2) as usize];
        let end = session.start + Duration::minutes(program.session_minutes + rng.range(1, 9));
        let at = rfc3339(tz, session.date, end);
        let mut later: Vec<[String; 6]> = Vec::new();
        for (p, person) in c.people.iter().enumerate() {
            if person.withdrawn.is_some_and(|d| session.date > d) {
                continue;
            }
            let status_word = |rng: &mut Rng, s: &str| {
                if rng.chance(20) {
                    capitalise(s)
                } else {
                    s.to_string()
                }
            };
            let (status, minutes, note) = if missed[p].contains(&w) {
                match rng.below(3) {
                    0 => ("absent", String::new(), String::new()),
                    1 => (
                        "excused",
                        String::new(),
                        "family emergency; told the trainer ahead".to_string(),
                    ),
                    _ => (
                        "partial",
                        rng.range(20, program.min_minutes - 1).to_string(),
                        "joined late".to_string(),
                    ),
                }
            } else if person
                .withdrawn
                .is_some_and(|d| session.date + Duration::days(1) == d)
            {
                ("absent", String::new(), String::new())
            } else {
                match rng.below(1000) {
                    0..850 => ("present", String::new(), String::new()),
                    850..920 => {
                        let m = rng.range(program.min_minutes, program.session_minutes);
                        (
                            "partial",
                            m.to_string(),
                            if m == program.min_minutes {
                                "left early, at the threshold".into()
                            } else {
                                String::new()
                            },
                        )
                    }
                    920..970 => {
                        // Absent or excused, made up later with another cohort.
                        let first = if rng.chance(500) { "absent" } else { "excused" };
                        let made_up = session.date + Duration::days(rng.range(14, 120));
                        let made_up = made_up.min(today - Duration::days(1)).max(session.date);
                        later.push([
                            person.id.clone(),
                            status_word(&mut rng, "makeup"),
                            String::new(),
                            c.trainers[0].to_string(),
                            rfc3339(tz, made_up, end),
                            format!(
                                "attended webinar {} with another cohort, on {made_up}",
                                w + 1
                            ),
                        ]);
                        (first, String::new(), String::new())
                    }
                    _ => {
                        // Recorded absent, corrected to present by a later row.
                        later.push([
                            person.id.clone(),
                            "present".to_string(),
                            String::new(),
                            c.trainers[1].to_string(),
                            rfc3339(tz, session.date, end + Duration::minutes(50)),
                            "correction: joined by phone as \"guest\"".to_string(),
                        ]);
                        ("absent", String::new(), String::new())
                    }
                }
            };
            let status = status_word(&mut rng, status);
            row(
                &mut text,
                &[&person.id, &status, &minutes, by, &at, &note],
                eol,
            );
        }
        for r in &later {
            let cells: Vec<&str> = r.iter().map(String::as_str).collect();
            row(&mut text, &cells, eol);
        }
        files.push((format!("{dir}/attendance/{:02}.csv", w + 1), text));
    }

    // Evaluations and the practicum, once the cohort is over.
    let mut evaluations: Vec<Option<(bool, bool, &str, NaiveDate)>> = vec![None; c.people.len()];
    let mut results: Vec<Option<(bool, &str, NaiveDate)>> = vec![None; c.people.len()];
    let mut practice: Vec<Practice> = Vec::new();
    if finished {
        let eval_date = (last + Duration::days(rng.range(1, 7))).min(today);
        let total_weight: f64 = c.people.iter().map(|p| p.plan.practicum_weight()).sum();
        for (p, person) in c.people.iter().enumerate() {
            let by = c.trainers[rng.below(2) as usize];
            evaluations[p] = match person.plan {
                Plan::Withdrawn | Plan::AwaitingEvaluation => None,
                Plan::PartialParticipation => Some((false, false, by, eval_date)),
                Plan::Missed => Some((true, rng.chance(500), by, eval_date)),
                Plan::Level1 => Some((true, false, by, eval_date)),
                _ => Some((true, true, by, eval_date)),
            };
            if !person.plan.recommended() {
                continue;
            }
            let share = person.plan.practicum_weight() / total_weight;
            let rows = ((args.practicum_rows as f64 * share).round() as usize).max(1);
            let target_h = match person.plan {
                Plan::Certified => rng.range(56, 80),
                Plan::Failed => rng.range(50, 70),
                Plan::PassedShort => rng.range(40, 48),
                _ => rng.range(2, 45),
            } as f64;
            let needs_full = matches!(person.plan, Plan::Certified | Plan::Failed);
            let base = target_h * 3600.0 / rows as f64;
            let days_available = (today - last).num_days() - 1;
            if days_available < 1 {
                continue;
            }
            let spread = days_available.min(150).min(rows as i64);
            let per_day = rows.div_ceil(spread as usize);
            let monitor = c.monitors[p % 3];
            let mut day =
                last + Duration::days(1 + rng.range(0, (days_available - spread).clamp(0, 10)));
            let (mut on_day, mut day_seconds, mut counted) = (0, 0i64, 0i64);
            let mut mine: Vec<Practice> = Vec::with_capacity(rows + 4);
            while mine.len() < rows || (needs_full && counted < program.required_seconds) {
                let mut want = base * (0.5 + rng.unit());
                if mine.len() >= rows {
                    want = want
                        .max((program.required_seconds - counted) as f64)
                        .min(4.0 * 3600.0);
                }
                let (hours, seconds) = hours_text(&mut rng, want);
                if on_day >= per_day || day_seconds + seconds > 20 * 3600 {
                    day += Duration::days(1);
                    on_day = 0;
                    day_seconds = 0;
                }
                if day > today {
                    break;
                }
                // Now and then a row that does not count: other kinds of
                // work, or support nobody monitored.
                let (kind, monitor, note) = match rng.below(1000) {
                    0..8 => ("supervision", monitor.to_string(), "group supervision"),
                    8..12 => (
                        "training",
                        monitor.to_string(),
                        "booster training, de-escalation",
                    ),
                    12..16 => ("other", monitor.to_string(), "writing up session notes"),
                    16..20 => ("support", String::new(), "monitor was away"),
                    20..220 => ("", monitor.to_string(), ""),
                    220..240 => (
                        "support",
                        monitor.to_string(),
                        "drop-in, \"warm line\" shift",
                    ),
                    _ => ("support", monitor.to_string(), ""),
                };
                let counts = kind.is_empty() || (kind == "support" && !monitor.is_empty());
                if counts {
                    counted += seconds;
                }
                mine.push(Practice {
                    date: day,
                    participant: p,
                    seq: mine.len(),
                    hours,
                    kind,
                    monitor,
                    note: note.to_string(),
                });
                on_day += 1;
                day_seconds += seconds;
            }
            if !needs_full {
                // Stay below the required hours.
                while counted >= program.required_seconds {
                    let Some(last_row) = mine.pop() else { break };
                    let seconds = hours_seconds(&last_row.hours);
                    if last_row.kind.is_empty()
                        || (last_row.kind == "support" && !last_row.monitor.is_empty())
                    {
                        counted -= seconds;
                    }
                }
            }
            // Now and then a row logged twice by mistake and reversed
            // whole, and (below the required hours, so the plan holds) a
            // row logged too long and partly reversed: reversing rows of
            // every kind of row, so that bench/reference.py is compared
            // with them too.
            if !mine.is_empty() && rng.chance(120) {
                let wrong = mine[rng.below(mine.len() as u64) as usize].clone();
                if hours_seconds(&wrong.hours) <= 3 * 3600 {
                    let seq = mine.len();
                    mine.push(Practice {
                        seq,
                        ..wrong.clone()
                    });
                    mine.push(Practice {
                        seq: seq + 1,
                        hours: format!("-{}", wrong.hours),
                        note: "logged twice by mistake".to_string(),
                        ..wrong
                    });
                }
            }
            if !needs_full && !mine.is_empty() && rng.chance(250) {
                let long = mine[rng.below(mine.len() as u64) as usize].clone();
                if hours_seconds(&long.hours) >= 1800 && !long.hours.starts_with('-') {
                    mine.push(Practice {
                        seq: mine.len(),
                        hours: "-0:15".to_string(),
                        note: "was a quarter of an hour shorter".to_string(),
                        ..long
                    });
                }
            }
            if rng.chance(150) {
                // A shadow shift on the last session's day: too early to count.
                mine.push(Practice {
                    date: last,
                    participant: p,
                    seq: mine.len(),
                    hours: "2".to_string(),
                    kind: "support",
                    monitor: monitor.to_string(),
                    note: "shadow shift, on the day of the last webinar".to_string(),
                });
            }
            let last_practice = mine.iter().map(|r| r.date).max().unwrap_or(last);
            let result_date = (last_practice + Duration::days(rng.range(1, 14))).min(today);
            let result_by = c.monitors[(p + 1) % 3];
            results[p] = match person.plan {
                Plan::Certified | Plan::PassedShort => Some((true, result_by, result_date)),
                Plan::Failed => Some((false, result_by, result_date)),
                _ => None,
            };
            practice.extend(mine);
        }
    }
    if !practice.is_empty() || finished {
        practice.sort_by_key(|r| (r.date, r.participant, r.seq));
        let mut text = String::with_capacity(48 * (practice.len() + 1));
        row(
            &mut text,
            &["participant", "date", "hours", "kind", "monitor", "note"],
            "\n",
        );
        for r in &practice {
            let date = r.date.to_string();
            row(
                &mut text,
                &[
                    &c.people[r.participant].id,
                    &date,
                    &r.hours,
                    r.kind,
                    &r.monitor,
                    &r.note,
                ],
                "\n",
            );
        }
        files.push((format!("{dir}/practicum.csv"), text));
    }

    files.push((
        format!("{dir}/cohort.toml"),
        cohort_toml(&c, &evaluations, &results),
    ));
}

fn hours_seconds(text: &str) -> i64 {
    match text.split_once(':') {
        Some((h, m)) => h.parse::<i64>().unwrap_or(0) * 3600 + m.parse::<i64>().unwrap_or(0) * 60,
        None => {
            let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
            whole.parse::<i64>().unwrap_or(0) * 3600
                + format!("{frac:0<2}").parse::<i64>().unwrap_or(0) * 36
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[allow(clippy::type_complexity)]
fn cohort_toml(
    c: &Cohort,
    evaluations: &[Option<(bool, bool, &str, NaiveDate)>],
    results: &[Option<(bool, &str, NaiveDate)>],
) -> String {
    let mut t = String::with_capacity(8192);
    let _ = writeln!(
        t,
        "# Synthetic cohort written by examples/synth.rs; every person is made up.\n"
    );
    let _ = writeln!(t, "id = {}", toml_str(&c.id));
    let _ = writeln!(t, "name = {}", toml_str(&c.name));
    let _ = writeln!(t, "timezone = {}", toml_str(c.timezone));
    let _ = writeln!(t, "delivery = \"online\"");
    let _ = writeln!(
        t,
        "trainers = [{}, {}]",
        toml_str(c.trainers[0]),
        toml_str(c.trainers[1])
    );
    for (w, s) in c.sessions.iter().enumerate() {
        let end = s.start + Duration::hours(2);
        let _ = write!(
            t,
            "\n[[session]]\nwebinar = {}\ndate = {}\nstart = \"{}\"\nend = \"{}\"\n",
            w + 1,
            s.date,
            s.start.format("%H:%M"),
            end.format("%H:%M")
        );
    }
    for (p, person) in c.people.iter().enumerate() {
        let _ = write!(
            t,
            "\n[[participant]]\nid = {}\nname = {}\n",
            toml_str(&person.id),
            toml_str(&person.name)
        );
        if let Some(email) = &person.email {
            let _ = writeln!(t, "email = {}", toml_str(email));
        }
        if !person.aliases.is_empty() {
            let list: Vec<String> = person.aliases.iter().map(|a| toml_str(a)).collect();
            let _ = writeln!(t, "aliases = [{}]", list.join(", "));
        }
        if let Some(date) = person.withdrawn {
            let _ = writeln!(t, "withdrawn = {date}");
        }
        if let Some((full, recommend, by, date)) = evaluations[p] {
            let _ = write!(
                t,
                "\n[participant.evaluation]\nparticipation = \"{}\"\nrecommend = {recommend}\nby = {}\ndate = {date}\n",
                if full { "full" } else { "partial" },
                toml_str(by)
            );
        }
        if let Some((pass, by, date)) = results[p] {
            let _ = write!(
                t,
                "\n[participant.practicum]\nresult = \"{}\"\nby = {}\ndate = {date}\n",
                if pass { "pass" } else { "fail" },
                toml_str(by)
            );
        }
    }
    t
}

fn write_all(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn main() {
    let args = Args::parse();
    if args.dir.join("cohorts").exists() {
        eprintln!(
            "synth: {} already holds a cohorts/ folder; give an empty or new folder",
            args.dir.display()
        );
        std::process::exit(2);
    }
    if args.participants == 0 {
        eprintln!("synth: --participants must be at least 1");
        std::process::exit(2);
    }
    let program = program();
    if let Err(e) = std::fs::create_dir_all(&args.dir)
        .and_then(|()| std::fs::write(args.dir.join("curriculum.toml"), CURRICULUM))
    {
        eprintln!("synth: cannot write {}: {e}", args.dir.display());
        std::process::exit(1);
    }
    let (mut files_written, mut bytes) = (1usize, CURRICULUM.len());
    let mut files = Vec::new();
    for n in 1..=args.cohorts {
        files.clear();
        cohort(n, &args, &program, &mut files);
        if let Err(e) = write_all(&args.dir, &files) {
            eprintln!("synth: cannot write into {}: {e}", args.dir.display());
            std::process::exit(1);
        }
        files_written += files.len();
        bytes += files.iter().map(|(_, t)| t.len()).sum::<usize>();
    }
    eprintln!(
        "synth: wrote {} cohorts, {files_written} files, {:.1} MB into {}",
        args.cohorts,
        bytes as f64 / 1e6,
        args.dir.display()
    );
}
