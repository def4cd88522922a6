//! The HTTP server's accept loop, with the limits that keep slow or greedy clients from
//! taking the server down.
//!
//! A client that opens a connection and sends half a request holds a file descriptor for as
//! long as the server waits. Three limits bound that:
//! - **header read timeout**: a request's headers must arrive within
//!   `header_read_timeout_seconds`, or the connection is closed (hyper enforces it);
//! - **body read timeout**: each part of a body must arrive within
//!   `body_read_timeout_seconds` (a `tower-http` layer in the router);
//! - **open connections**: at most `max_connections` at once (and never more than the
//!   process's file limit leaves room for); past it, new connections wait in the kernel's
//!   backlog until one closes, so the database and the timers keep the descriptors they need;
//! - **per address**: at most `max_connections_per_address` of them from one client (an IPv6
//!   client counts by its /64), so one client cannot hold them all; past it, a new connection
//!   is closed at once.
//!
//! `axum::serve` offers none of the first and last, so this is its loop with them added: one
//! task per connection, websocket upgrades, the peer's address for rate limits, and a
//! graceful shutdown that lets open requests finish.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// Descriptors kept free for the database, outgoing calls and logs, whatever the cap.
const RESERVED_DESCRIPTORS: usize = 128;

#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    /// The most connections one client address may hold, so one client cannot take them all
    /// (websockets included, which otherwise live as long as the client likes).
    pub max_connections_per_address: usize,
    pub header_read_timeout: Duration,
}

/// Open connections per client address (IPv6 clients by their /64, which one machine has).
#[derive(Clone, Default)]
struct PerAddress(Arc<std::sync::Mutex<HashMap<IpAddr, usize>>>);

impl PerAddress {
    /// A place for a connection from `peer`, unless it already holds `max`.
    fn take(&self, peer: IpAddr, max: usize) -> Option<AddressSlot> {
        let key = crate::limits::client_key(peer);
        let mut open = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(key).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(AddressSlot { key, open: self.clone() })
    }
}

/// One connection's place among its address's; given back when the connection closes.
struct AddressSlot {
    key: IpAddr,
    open: PerAddress,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

impl ConnectionLimits {
    /// The configured cap, lowered to what the process's open-file limit allows.
    pub fn effective_max_connections(&self) -> usize {
        match open_file_limit() {
            Some(limit) => self.max_connections.min(limit.saturating_sub(RESERVED_DESCRIPTORS).max(1)),
            None => self.max_connections,
        }
    }
}

/// The soft limit on open files, raised to the hard limit first (many systems start
/// processes at 1,024, which a few hundred idle widgets already approach).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    usize::try_from(limit.rlim_cur).ok()
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn open_file_limit() -> Option<usize> {
    None
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting, asks every
/// connection to finish its request and close, and waits for them.
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let capacity = limits.effective_max_connections();
    let permits = Arc::new(Semaphore::new(capacity));
    let per_address = PerAddress::default();
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before it was taken: not fatal.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = per_address.take(peer.ip(), limits.max_connections_per_address) else {
            // Closing at once: the client already holds its share.
            tracing::debug!(%peer, "a client past its share of connections was refused");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.map(Body::new)
        });
        let mut stopping = stopping.clone();
        // The permit travels with the socket, so a websocket (which leaves the HTTP connection
        // when it upgrades) still counts until it closes.
        let stream = Counted { stream, _permit: permit, _slot: slot };
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
            let connection = builder
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_end(result, peer),
                () = crate::state::stopped(&mut stopping) => {
                    connection.as_mut().graceful_shutdown();
                    log_end(connection.await, peer);
                }
            }
        });
    }
    let _ = stop.send(true);
    // Every connection holds a permit until it ends: having them all back means all ended.
    let all = u32::try_from(capacity).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
    Ok(())
}

/// A connection's socket with its place among the open connections.
struct Counted {
    stream: tokio::net::TcpStream,
    _permit: OwnedSemaphorePermit,
    _slot: AddressSlot,
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

fn log_end(result: Result<(), hyper::Error>, peer: SocketAddr) {
    if let Err(error) = result {
        tracing::debug!(%peer, %error, "connection ended with an error");
    }
}
