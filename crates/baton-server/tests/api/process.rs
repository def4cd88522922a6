//! `baton serve` as a child process, for tests of the binary itself.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BATON: &str = env!("CARGO_BIN_EXE_baton");

/// A running `baton serve`, with the lines it printed before it started listening.
pub struct Server {
    child: Child,
    pub base: String,
    pub banner: Vec<String>,
}

impl Server {
    pub fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[])
    }

    /// [`start`](Self::start) with more environment variables.
    pub fn start_with(database_url: &str, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(BATON)
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", database_url])
            .env("BATON_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (lines, received) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            // Keep draining after the banner: a closed pipe would make the server's next
            // print fail.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut banner = Vec::new();
        loop {
            let line =
                received.recv_timeout(Duration::from_secs(60)).expect("baton serve prints where it listens");
            if let Some(address) = line.trim().strip_prefix("Baton is listening on ") {
                let base = address.to_owned();
                banner.push(line);
                return Self { child, base, banner };
            }
            banner.push(line);
        }
    }

    /// Ctrl-C, and the exit status.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        for _ in 0..600 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("baton did not stop within 30 s of Ctrl-C");
    }

    /// `kill -9`: the process ends at once, with whatever it had not yet written.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    /// A test that fails leaves no server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
