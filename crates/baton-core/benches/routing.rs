//! The routing decision with 10,000 queued handoffs and 1,000 users. The server runs it after
//! every change to the queue or to a user's presence or load, so it must stay far below the
//! cost of the database reads that feed it; the target is under 1 ms.
//! Run with `cargo bench -p baton-core --bench routing`.
//!
//! The workspace: 20 teams of 50 users (a tenth of them in a second team); everyone speaks
//! English, some German, French or Spanish; 80 % online, the rest away or offline; two teams
//! closed (office hours). Three bots share the queue: one offers round robin with
//! `{"de": ["team:berlin"], "fr": ["team:paris"], "*": ["team:support-…"]}`-style targets,
//! one offers to the least busy of everyone, one broadcasts to a few teams. A tenth of the
//! handoffs were declined by someone. Three loads:
//! - `drain`: nobody holds a chat (the start of the day): every online user gets an offer;
//! - `busy`: 1 user in 20 has room, the rest are at capacity: the walk covers the queue;
//! - `full`: nobody has room: only the broadcast audiences are worked out;
//! - `stranded`: like `busy`, but the users with room speak only Dutch and no conversation is
//!   in Dutch (or of unknown language): nobody can be offered anything, and the walk covers
//!   the whole queue;
//! - `declines`: like `drain`, but the user first in line for every offer has declined every
//!   handoff, so each offer skips them.

use std::hint::black_box;

use baton_core::handoff::Priority;
use baton_core::ids::{HandoffId, TeamId, UserId};
use baton_core::routing::{Agent, Queue, QueuedHandoff, Reach, Roster, Route, RouteId, Strategy, decide};
use baton_core::time::Timestamp;
use baton_core::user::Presence;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use uuid::Uuid;

const USERS: u32 = 1_000;
const TEAMS: u32 = 20;
const HANDOFFS: u32 = 10_000;
const CAPACITY: u32 = 10;

/// A small deterministic generator (xorshift64*): the same workspace on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u32) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) % u64::from(sides)) as u32
    }
}

fn user(n: u32) -> UserId {
    UserId::from_uuid(Uuid::from_u128(0x1000_0000_0000 + u128::from(n)))
}

fn team(n: u32) -> TeamId {
    TeamId::from_uuid(Uuid::from_u128(0x3000_0000_0000 + u128::from(n)))
}

#[derive(Clone, Copy)]
enum Load {
    Drain,
    Busy,
    Full,
    Stranded,
    Declines,
}

fn agents(load: Load) -> Vec<Agent> {
    let mut dice = Dice(0x5eed_0001);
    (0..USERS)
        .map(|n| {
            let mut languages = vec!["en".to_owned()];
            for (language, percent) in [("de", 30), ("fr", 20), ("es", 10)] {
                if dice.roll(100) < percent {
                    languages.push(language.to_owned());
                }
            }
            let mut teams = vec![team(n % TEAMS)];
            if dice.roll(10) == 0 {
                teams.push(team(dice.roll(TEAMS)));
            }
            let presence = match dice.roll(10) {
                0 => Presence::Away,
                1 => Presence::Offline,
                _ => Presence::Online,
            };
            let live = match load {
                Load::Drain | Load::Declines => 0,
                Load::Busy | Load::Stranded if dice.roll(20) == 0 => {
                    if matches!(load, Load::Stranded) {
                        languages = vec!["nl".to_owned()];
                    }
                    dice.roll(CAPACITY)
                }
                Load::Busy | Load::Full | Load::Stranded => CAPACITY,
            };
            let agent = Agent {
                id: user(n),
                presence,
                languages,
                teams,
                live,
                pending_offers: 0,
                capacity: None,
                last_assigned_at: Some(Timestamp::from_millis(i64::from(dice.roll(1_000_000)))),
            };
            if matches!(load, Load::Declines) && n == 0 {
                // Never assigned, so first in line; in no team and speaking every language,
                // so every route to everyone reaches them.
                let languages = ["en", "de", "fr", "es"].map(String::from).to_vec();
                return Agent { languages, ..Agent::new(agent.id, Presence::Online) };
            }
            agent
        })
        .collect()
}

/// Two teams are outside their office hours.
fn team_open(id: TeamId) -> bool {
    id != team(18) && id != team(19)
}

/// The routes of the three bots, one per bot and conversation language, indexed
/// `[bot][language]` with languages as in [`LANGUAGES`].
fn routes(queue: &mut Queue) -> [[RouteId; 6]; 3] {
    // Bot 1: language targets, round robin.
    let round_robin = LANGUAGES.map(|language| {
        let reach = match language {
            Some("de") => vec![Reach::Team(team(0))],
            Some("fr") => vec![Reach::Team(team(1))],
            _ => vec![Reach::Team(team(2)), Reach::Team(team(3)), Reach::Team(team(4))],
        };
        queue.route(Route::new(reach, language, Strategy::RoundRobin))
    });
    // Bot 2: everyone, least busy.
    let least_busy =
        LANGUAGES.map(|language| queue.route(Route::new([Reach::Everyone], language, Strategy::LeastBusy)));
    // Bot 3: five teams, broadcast.
    let broadcast = LANGUAGES.map(|language| {
        let reach = (5..10).map(|n| Reach::Team(team(n)));
        queue.route(Route::new(reach, language, Strategy::Broadcast))
    });
    [round_robin, least_busy, broadcast]
}

/// Conversation languages, English twice as likely as the others.
const LANGUAGES: [Option<&str>; 6] = [Some("en"), Some("en"), Some("de"), Some("fr"), Some("es"), None];

/// `languages`: how many of [`LANGUAGES`] conversations are in (5 leaves out "unknown").
fn handoffs(routes: [[RouteId; 6]; 3], languages: u32) -> Vec<QueuedHandoff> {
    let mut dice = Dice(0x5eed_0002);
    let priorities = [Priority::Low, Priority::Normal, Priority::Normal, Priority::High, Priority::Urgent];
    (0..HANDOFFS)
        .map(|n| {
            let route = routes[dice.roll(3) as usize][dice.roll(languages) as usize];
            let declined_by = if dice.roll(10) == 0 { vec![user(dice.roll(USERS))] } else { Vec::new() };
            QueuedHandoff {
                id: HandoffId::from_uuid(Uuid::from_u128(0x2000_0000_0000 + u128::from(n))),
                priority: priorities[dice.roll(5) as usize],
                requested_at: Timestamp::from_millis(1_000_000 + i64::from(dice.roll(3_600_000))),
                route,
                declined_by,
            }
        })
        .collect()
}

fn routing(c: &mut Criterion) {
    let mut empty = Queue::new();
    let routes = routes(&mut empty);
    let mut queue = empty.clone();
    queue.extend(handoffs(routes, LANGUAGES.len() as u32));
    let mut known_languages = empty.clone();
    known_languages.extend(handoffs(routes, LANGUAGES.len() as u32 - 1));
    let mut declined = empty.clone();
    declined.extend(
        handoffs(routes, LANGUAGES.len() as u32)
            .into_iter()
            .map(|handoff| QueuedHandoff { declined_by: vec![user(0)], ..handoff }),
    );
    let loads = [
        ("drain", Load::Drain),
        ("busy", Load::Busy),
        ("full", Load::Full),
        ("stranded", Load::Stranded),
        ("declines", Load::Declines),
    ];
    for (name, load) in loads {
        let queue = match load {
            Load::Stranded => &known_languages,
            Load::Declines => &declined,
            _ => &queue,
        };
        let roster = Roster::new(agents(load), CAPACITY, team_open);
        let offers = decide(queue, &roster).offers.len();
        c.bench_function(&format!("decide: 10,000 queued, 1,000 users, {name} ({offers} offers)"), |b| {
            b.iter(|| black_box(decide(black_box(queue), black_box(&roster))))
        });
    }
    // What the caller does before each decision, from the rows it read.
    let rows = agents(Load::Busy);
    c.bench_function("roster: 1,000 users", |b| {
        b.iter_batched(|| rows.clone(), |rows| Roster::new(rows, CAPACITY, team_open), BatchSize::SmallInput)
    });
    // A store returns the queue in order (`ORDER BY priority DESC, requested_at`).
    let rows = queue.handoffs().to_vec();
    c.bench_function("queue: 10,000 handoffs, read in order", |b| {
        b.iter_batched(
            || (empty.clone(), rows.clone()),
            |(mut fresh, rows)| {
                fresh.extend(rows);
                fresh
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("positions: 10,000 handoffs", |b| {
        b.iter(|| black_box(queue.positions().map(|(_, position)| position.in_route).sum::<usize>()))
    });
}

criterion_group!(benches, routing);
criterion_main!(benches);
