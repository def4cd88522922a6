//! `baton eval` on our own small cases, and the quality targets on the shared development data.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const BATON: &str = env!("CARGO_BIN_EXE_baton");

fn eval(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(BATON).arg("eval").args(args).output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A file of the shared evaluation data, in the folder `BATON_TEST_EVAL_DIR` names; the tests
/// that read it are ignored unless it was set at build time.
fn shared_eval(file: &str) -> PathBuf {
    let dir = std::env::var("BATON_TEST_EVAL_DIR").expect("BATON_TEST_EVAL_DIR names the evaluation data");
    let path = PathBuf::from(dir).join(file);
    assert!(path.exists(), "{} is not there", path.display());
    path
}

#[test]
fn predictions_follow_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.jsonl");
    let lines = [
        r#"{"id": "a", "lang": "en", "messages": [{"author": "contact", "text": "can I speak to a real person please"}], "label": "explicit_request"}"#,
        r#"{"id": "b", "lang": "en", "messages": [{"author": "contact", "text": "I want my money back for this order"}], "label": "none"}"#,
        r#"{"id": "c", "lang": "es", "messages": [{"author": "contact", "text": "¿cuánto cuesta el envío?"}], "label": "none"}"#,
    ];
    std::fs::write(&cases, lines.join("\n")).unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "preset = \"balanced\"\n[[topics]]\nname = \"refund\"\nphrases = [\"refund\", \"money back\"]\n",
    )
    .unwrap();

    let (ok, out, err) =
        eval(&["--policy", policy.to_str().unwrap(), "--predictions", cases.to_str().unwrap()]);
    assert!(ok, "{err}");
    let predictions: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let predicted: Vec<&str> = predictions.iter().map(|p| p["predicted"].as_str().unwrap()).collect();
    assert_eq!(predicted, ["explicit_request", "forbidden_topic", "none"]);
    assert_eq!(predictions[1]["signals"][0]["name"], "forbidden_topic");

    let (ok, out, err) = eval(&["--policy", policy.to_str().unwrap(), "--errors", cases.to_str().unwrap()]);
    assert!(ok, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["overall"]["explicit_request"]["tp"], 1);
    assert_eq!(report["overall"]["handoff"]["fp"], 1, "the topic handoff was labelled none");
    assert_eq!(report["by_lang"]["es"]["cases"], 1);
    assert_eq!(report["errors"][0]["id"], "b");

    // Without the policy's topic, the same case is no handoff.
    let (_, out, _) = eval(&["--predictions", cases.to_str().unwrap()]);
    assert!(out.lines().nth(1).unwrap().contains(r#""predicted":"none""#), "{out}");
}

#[test]
fn bad_input_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("bad.jsonl");
    std::fs::write(&cases, "{\"id\": \"a\", \"messages\": [], \"label\": \"none\"}\n").unwrap();
    let (ok, _, err) = eval(&[cases.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("bad.jsonl:1"), "{err}");
    let (ok, _, err) = eval(&["/nonexistent/cases.jsonl"]);
    assert!(!ok);
    assert!(err.contains("opening"), "{err}");
}

#[test]
#[cfg_attr(not(test_eval_data), ignore = "needs BATON_TEST_EVAL_DIR")]
fn explicit_requests_on_the_development_set_meet_the_targets() {
    let dev = shared_eval("dev.jsonl");
    let (ok, out, err) = eval(&[dev.to_str().unwrap()]);
    assert!(ok, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let explicit = &report["overall"]["explicit_request"];
    println!("dev.jsonl explicit_request: {explicit}");
    assert!(explicit["precision"].as_f64().unwrap() >= 0.97, "{explicit}");
    assert!(explicit["recall"].as_f64().unwrap() >= 0.95, "{explicit}");
}

#[test]
#[cfg_attr(not(test_eval_data), ignore = "needs BATON_TEST_EVAL_DIR")]
fn frustration_on_the_maia_chats_meets_the_targets() {
    let raw = shared_eval("raw/pt_br_client_02_a.json");
    let converter = raw.parent().unwrap().parent().unwrap().join("maia_to_jsonl.py");
    // The licence allows no modified copy in the project: convert at run time, to a temp file.
    let converted =
        Command::new("python3").arg(&converter).arg(&raw).output().expect("python3 runs the converter");
    assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("maia.jsonl");
    std::fs::write(&cases, converted.stdout).unwrap();
    let (ok, out, err) = eval(&[cases.to_str().unwrap()]);
    assert!(ok, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let frustration = &report["overall"]["frustration"];
    println!("MAIA frustration: {frustration}");
    assert!(frustration["tp"].as_u64().unwrap() + frustration["fn"].as_u64().unwrap() > 50, "{frustration}");
    assert!(frustration["precision"].as_f64().unwrap() >= 0.5, "{frustration}");
    assert!(frustration["f1"].as_f64().unwrap() >= 0.5, "{frustration}");
}

#[test]
#[cfg_attr(
    not(all(test_eval_data, test_embeddings)),
    ignore = "needs BATON_TEST_EVAL_DIR and BATON_TEST_EMBEDDINGS_URL"
)]
fn the_semantic_layer_keeps_the_development_targets() {
    let dev = shared_eval("dev.jsonl");
    let url = std::env::var("BATON_TEST_EMBEDDINGS_URL")
        .expect("BATON_TEST_EMBEDDINGS_URL names an embeddings server");
    let (ok, out, err) = eval(&["--embeddings-url", &url, dev.to_str().unwrap()]);
    assert!(ok, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let explicit = &report["overall"]["explicit_request"];
    println!("dev.jsonl explicit_request with embeddings: {explicit}");
    assert!(explicit["precision"].as_f64().unwrap() >= 0.97, "{explicit}");
    assert!(explicit["recall"].as_f64().unwrap() >= 0.95, "{explicit}");
    assert_eq!(report["overall"]["handoff"]["fp"], 0, "{report}");
}
