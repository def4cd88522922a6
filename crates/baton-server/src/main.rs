use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    return_large_allocations_to_the_system();
    let cli = baton_server::cli::Cli::parse();
    match baton_server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("baton: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Each password hash briefly needs 19 MiB. glibc's malloc raises its mmap threshold after
/// the first such block is freed and then serves later ones from its heaps, which it keeps:
/// twenty logins left the server 200 MiB larger. A fixed threshold keeps every block of
/// 1 MiB or more mmapped, so it goes back to the system when freed.
fn return_large_allocations_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter, under glibc's own locks.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
