//! The trigger engine's cost per contact message, with 20 earlier lines of context: it runs on
//! every message, so it must stay far below the time of a database write.
//! Run with `cargo bench -p baton-core --bench triggers`.

use std::hint::black_box;

use baton_core::policy::{Policy, Topic};
use baton_core::triggers::engine::Engine;
use baton_core::triggers::{Context, Line, Speaker};
use criterion::{Criterion, criterion_group, criterion_main};

const CONTACT: [&str; 5] = [
    "Hi, I ordered a tent last week and it still has not shipped",
    "The order number is 4471-AB, placed on Monday",
    "Can you check whether the courier has it?",
    "ok, and when will it arrive?",
    "That is too late, I need it for a trip on Friday",
];
const BOT: [&str; 5] = [
    "Thanks! Let me look that up for you.",
    "Orders ship within 2 business days; delivery takes 3 to 5 days.",
    "Sorry, I can't see courier details. You can rephrase, or ask for a human.",
    "It should arrive by next Wednesday.",
    "I understand. Is there anything else I can help with?",
];

/// Messages of different kinds, judged in turn: ordinary, a request in Spanish, angry, German.
const MESSAGES: [&str; 4] = [
    "Could you tell me where my parcel is right now? The tracking page shows nothing.",
    "quiero hablar con una persona, por favor",
    "THIS IS RIDICULOUS!!! I have been waiting for days and nobody answers",
    "Kann ich die Lieferadresse meiner Bestellung noch ändern?",
];

fn evaluate(c: &mut Criterion) {
    let policy = Policy {
        topics: vec![
            Topic {
                name: "refund".into(),
                phrases: vec!["refund".into(), "money back".into(), "reembolso".into()],
                examples: vec![],
            },
            Topic {
                name: "legal".into(),
                phrases: vec!["lawyer".into(), "lawsuit".into(), "avocat".into()],
                examples: vec![],
            },
        ],
        ..Policy::default()
    };
    let engine = Engine::new(&policy);
    let earlier: Vec<Line> = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                Line { speaker: Speaker::Contact, text: CONTACT[(i / 2) % CONTACT.len()] }
            } else {
                Line { speaker: Speaker::Bot, text: BOT[(i / 2) % BOT.len()] }
            }
        })
        .collect();
    let mut turn = 0;
    c.bench_function("evaluate one message, 20 earlier lines", |b| {
        b.iter(|| {
            turn += 1;
            let context = Context {
                earlier: &earlier,
                text: MESSAGES[turn % MESSAGES.len()],
                bot_failures: Some(0),
                semantic: &[],
            };
            black_box(engine.evaluate(black_box(&context)))
        })
    });
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
