//! The `baton` binary as a person runs it.

use std::process::Command;

use serde_json::json;

use crate::process::{BATON, Server};

fn baton(args: &[&str]) -> std::process::Output {
    Command::new(BATON)
        .args(args)
        .env_remove("BATON_DATABASE_URL")
        .env_remove("BATON_LISTEN")
        .output()
        .unwrap()
}

#[test]
fn default_config_prints_every_setting() {
    let output = baton(&["default-config"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for key in [
        "listen = \"127.0.0.1:8080\"",
        "database_url = \"sqlite://baton.db\"",
        "max_body_bytes",
        "websocket_buffer_bytes",
    ] {
        assert!(text.contains(key), "{key} missing from:\n{text}");
    }
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("json.db").display());
    let server = Server::start_with(&url, &[("BATON_LOG_FORMAT", "json")]);
    let logs: Vec<serde_json::Value> =
        server.banner.iter().filter_map(|line| serde_json::from_str(line).ok()).collect();
    let starting = logs.iter().find(|log| log["fields"]["message"] == "starting");
    let starting = starting.unwrap_or_else(|| panic!("no JSON log line in {:#?}", server.banner));
    assert_eq!(starting["level"], "INFO");
    assert!(starting["timestamp"].is_string() && starting["target"].is_string(), "{starting}");
    assert!(
        server.banner.iter().any(|line| line.contains("password:")),
        "the login is still printed for people"
    );
    assert!(server.interrupt().success());
}

#[tokio::test]
async fn first_start_prints_an_admin_login_that_works_and_ctrl_c_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("first.db").display());
    let server = Server::start(&url);
    let banner = server.banner.join("\n");
    let password = server
        .banner
        .iter()
        .find_map(|line| line.trim().strip_prefix("password:").map(|p| p.trim().to_owned()))
        .unwrap_or_else(|| panic!("no password in:\n{banner}"));
    assert!(banner.contains("admin@baton.local"), "{banner}");
    // Logs written to a pipe carry no terminal colour codes.
    assert!(banner.contains("starting"), "the start is logged: {banner}");
    assert!(!banner.contains('\x1b'), "colour codes in piped logs: {banner:?}");
    let client = baton_ai::http_client().unwrap();
    let login = client
        .post(format!("{}/v1/auth/login", server.base))
        .json(&json!({"email": "admin@baton.local", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let demo = client.get(format!("{}/demo", server.base)).send().await.unwrap();
    assert_eq!(demo.status(), 200);
    assert!(demo.text().await.unwrap().contains("/widget.js"));
    assert!(server.interrupt().success());

    // The second start finds the admin and prints no password.
    let again = Server::start(&url);
    assert!(!again.banner.iter().any(|line| line.contains("password:")), "{:?}", again.banner);
    assert!(again.interrupt().success());
}

#[tokio::test]
async fn user_add_creates_a_user_who_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("users.db").display());
    let added = baton(&[
        "user",
        "add",
        "--database-url",
        &url,
        "--email",
        "Sam@Example.com",
        "--password",
        "s3cret-pass",
        "--role",
        "agent",
        "--team",
        "support",
    ]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let duplicate = baton(&[
        "user",
        "add",
        "--database-url",
        &url,
        "--email",
        "sam@example.com",
        "--password",
        "s3cret-pass",
        "--role",
        "admin",
    ]);
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
    let weak = baton(&[
        "user",
        "add",
        "--database-url",
        &url,
        "--email",
        "x@example.com",
        "--password",
        "short",
        "--role",
        "agent",
    ]);
    assert!(!weak.status.success());

    let server = Server::start(&url);
    assert!(
        !server.banner.iter().any(|line| line.contains("password:")),
        "a user exists, so no admin is generated"
    );
    let response = baton_ai::http_client()
        .unwrap()
        .post(format!("{}/v1/auth/login", server.base))
        .json(&json!({"email": "sam@example.com", "password": "s3cret-pass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "agent");
    assert_eq!(body["user"]["teams"], serde_json::json!(["support"]), "`--team` makes them a member");
    assert!(server.interrupt().success());
}

#[tokio::test]
async fn user_passwd_recovers_a_lost_admin_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("lost.db").display());
    let server = Server::start(&url);
    let generated = server
        .banner
        .iter()
        .find_map(|line| line.trim().strip_prefix("password:").map(|p| p.trim().to_owned()))
        .expect("the first admin's password");
    assert!(server.interrupt().success());

    // The printed password is lost; a new one is set from the command line, and printed.
    let reset = baton(&["user", "passwd", "--database-url", &url, "--email", "ADMIN@baton.local"]);
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let printed = String::from_utf8(reset.stdout).unwrap();
    let password = printed
        .lines()
        .find_map(|line| line.strip_prefix("New password for admin@baton.local: "))
        .unwrap_or_else(|| panic!("no new password in {printed}"))
        .to_owned();
    let chosen = baton(&[
        "user",
        "passwd",
        "--database-url",
        &url,
        "--email",
        "admin@baton.local",
        "--password",
        "mine, chosen",
    ]);
    assert!(chosen.status.success());
    let unknown = baton(&["user", "passwd", "--database-url", &url, "--email", "nobody@example.com"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user"));

    let server = Server::start(&url);
    let login = |password: String| {
        let base = server.base.clone();
        async move {
            baton_ai::http_client()
                .unwrap()
                .post(format!("{base}/v1/auth/login"))
                .json(&json!({"email": "admin@baton.local", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(login(generated).await, 401);
    assert_eq!(login(password).await, 401, "replaced by the chosen one");
    assert_eq!(login("mine, chosen".into()).await, 200);
    assert!(server.interrupt().success());
}
