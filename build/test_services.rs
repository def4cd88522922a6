// Shared by the build scripts of the crates whose tests need an outside service or data file.
//
// Each such test is marked `#[cfg_attr(not(<cfg>), ignore = "needs <VARIABLE>")]`: the build
// script turns the cfg on when the variable is set at build time, so a plain `cargo test`
// reports the test as ignored (and says why) instead of passing it without running it, and
// `.ci/run`, which sets every variable, runs them all with the same command. Changing a
// variable rebuilds the crate, so the report always matches the environment.

/// Declares each `(variable, cfg)` pair and turns the cfg on when the variable is set.
fn announce_test_services(services: &[(&str, &str)]) {
    for (variable, cfg) in services {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={variable}");
        if std::env::var_os(variable).is_some_and(|value| !value.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
