//! `kill -9` under load: every message the server acknowledged is still there after a
//! restart, and a send the contact retries (with its `client_id`) is stored once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::process::Server;

const CONVERSATIONS: usize = 16;
const MESSAGES_EACH: usize = 40;

/// What one contact got through before the server died.
struct Sent {
    /// The ids the server gave the acknowledged messages, in order.
    acknowledged: Vec<String>,
}

async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

pub fn client_id(conversation: usize, n: usize) -> String {
    format!("c{conversation}-m{n}")
}

/// Checks a conversation's stored messages after a kill: seqs gap-free, and the contact's
/// messages once each, in order, with `expected` as their client_ids; returns their ids.
pub fn contact_ids_stored_once_in_order<'a>(messages: &'a [Value], expected: &[String]) -> Vec<&'a str> {
    let seqs: Vec<i64> = messages.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "seqs are gap-free");
    let from_contact: Vec<&Value> = messages.iter().filter(|m| m["author"]["kind"] == "contact").collect();
    let client_ids: Vec<&str> = from_contact.iter().map(|m| m["client_id"].as_str().unwrap()).collect();
    assert_eq!(client_ids, expected, "each message once, in order");
    from_contact.iter().map(|m| m["id"].as_str().unwrap()).collect()
}

/// Sends message `from..MESSAGES_EACH` one after another; stops at the first failure.
async fn send_from(
    client: &reqwest::Client,
    base: &str,
    (index, id, token): (usize, &str, &str),
    from: usize,
    acknowledged: &AtomicUsize,
) -> Vec<(String, u16)> {
    let mut stored = Vec::new();
    for n in from..MESSAGES_EACH {
        let sent = client
            .post(format!("{base}/v1/conversations/{id}/messages"))
            .bearer_auth(token)
            .json(&json!({"text": format!("message {n}"), "client_id": client_id(index, n)}))
            .timeout(Duration::from_secs(30))
            .send()
            .await;
        let Ok(response) = sent else { break };
        let status = response.status().as_u16();
        let Ok(body) = response.json::<Value>().await else { break };
        assert!(status == 201 || status == 200, "{status}: {body}");
        stored.push((body["id"].as_str().unwrap().to_owned(), status));
        acknowledged.fetch_add(1, Ordering::SeqCst);
    }
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_under_load_loses_no_acknowledged_message_and_stores_each_retry_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("durable.db").display());
    let no_limits = [("BATON_LIMITS__ENABLED", "false")];
    let server = Server::start_with(&url, &no_limits);
    let client = baton_ai::http_client().unwrap();
    let mut conversations = Vec::new();
    for index in 0..CONVERSATIONS {
        let created =
            json_of(client.post(format!("{}/v1/conversations", server.base)).json(&json!({}))).await;
        let id = created["id"].as_str().unwrap().to_owned();
        conversations.push((index, id, created["token"].as_str().unwrap().to_owned()));
    }

    // Every contact sends at once; the server dies a third of the way through.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = conversations
        .iter()
        .cloned()
        .map(|(index, id, token)| {
            let (client, base, acknowledged) = (client.clone(), server.base.clone(), acknowledged.clone());
            tokio::spawn(async move {
                let stored = send_from(&client, &base, (index, &id, &token), 0, &acknowledged).await;
                Sent { acknowledged: stored.into_iter().map(|(id, _)| id).collect() }
            })
        })
        .collect();
    let kill_after = CONVERSATIONS * MESSAGES_EACH / 3;
    for _ in 0..600 {
        if acknowledged.load(Ordering::SeqCst) >= kill_after {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(acknowledged.load(Ordering::SeqCst) >= kill_after, "the load never got going");
    server.kill();
    let mut before = Vec::new();
    for sender in senders {
        before.push(sender.await.unwrap());
    }
    let sent_before: usize = before.iter().map(|s| s.acknowledged.len()).sum();
    assert!(sent_before < CONVERSATIONS * MESSAGES_EACH, "the kill came after the last send");

    // After a restart each contact sends again from its first unacknowledged message.
    let server = Server::start_with(&url, &no_limits);
    let mut retried_and_found = 0;
    for ((index, id, token), sent) in conversations.iter().zip(&before) {
        let again = AtomicUsize::new(0);
        let from = sent.acknowledged.len();
        let stored = send_from(&client, &server.base, (*index, id, token), from, &again).await;
        assert_eq!(stored.len(), MESSAGES_EACH - from, "every send after the restart is acknowledged");
        // Only the send in flight at the kill may have been stored without an answer.
        let repeats: Vec<_> = stored.iter().enumerate().filter(|(_, (_, status))| *status == 200).collect();
        assert!(repeats.iter().all(|(n, _)| *n == 0), "only the first retry can be a repeat: {repeats:?}");
        retried_and_found += repeats.len();

        let listed =
            json_of(client.get(format!("{}/v1/conversations/{id}/messages", server.base)).bearer_auth(token))
                .await;
        let expected: Vec<String> = (0..MESSAGES_EACH).map(|n| client_id(*index, n)).collect();
        let stored_ids = contact_ids_stored_once_in_order(listed["messages"].as_array().unwrap(), &expected);
        let acknowledged: Vec<&str> = sent.acknowledged.iter().map(String::as_str).collect();
        assert_eq!(
            &stored_ids[..acknowledged.len()],
            &acknowledged[..],
            "acknowledged before the kill, kept"
        );
    }
    eprintln!(
        "acknowledged before the kill: {sent_before}; in flight and found stored after it: {retried_and_found}"
    );
    assert!(retried_and_found <= CONVERSATIONS);
    assert!(server.interrupt().success());
}
