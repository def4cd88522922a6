//! Reading a support mailbox by IMAP: the mails that arrived since the last read.
//!
//! A read logs in, selects the mailbox, fetches every mail past the stored position (by UID,
//! whole and without setting `\Seen`), and after Baton has stored them marks them read. The
//! first read of a mailbox, or one whose UIDVALIDITY changed, takes its unread mail.
//! `imaps://` is TLS from the start, checked against the platform's certificate store like
//! every other client of Baton's; `imap://` is unencrypted, for a server on the same machine.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Session;
use baton_core::channel::EmailSettings;
use baton_store::MailboxPosition;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// At most this many mails are taken per read; the rest wait for the next.
const BATCH: usize = 50;

/// A connection, plain or TLS.
trait Connection: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Connection for T {}

/// One mail as the server holds it.
pub struct FetchedMail {
    pub uid: u32,
    pub raw: Vec<u8>,
}

/// A logged-in session on the channel's mailbox.
pub struct Mailbox {
    session: Session<Box<dyn Connection>>,
    uid_validity: u32,
    /// The UID the next mail will get, when the server says.
    uid_next: Option<u32>,
}

impl Mailbox {
    /// Connects, logs in and selects the mailbox, all within `timeout`.
    pub async fn open(settings: &EmailSettings, timeout: Duration) -> Result<Self, String> {
        tokio::time::timeout(timeout, Self::connect(settings))
            .await
            .map_err(|_| format!("the IMAP server did not answer within {} s", timeout.as_secs()))?
    }

    async fn connect(settings: &EmailSettings) -> Result<Self, String> {
        let (host, port, tls) = settings.imap_server().ok_or("imap_url does not name a server")?;
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|error| format!("connecting to {host}:{port}: {error}"))?;
        let connection: Box<dyn Connection> = if tls {
            let config = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|error| error.to_string())?;
            let config = rustls_platform_verifier::BuilderVerifierExt::with_platform_verifier(config)
                .map_err(|error| error.to_string())?
                .with_no_client_auth();
            let name = rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|error| format!("{host}: {error}"))?;
            let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
                .connect(name, tcp)
                .await
                .map_err(|error| format!("TLS with {host}: {error}"))?;
            Box::new(stream)
        } else {
            Box::new(tcp)
        };
        let mut client = async_imap::Client::new(connection);
        client
            .read_response()
            .await
            .map_err(|error| format!("reading the greeting: {error}"))?
            .ok_or("the server closed the connection before greeting")?;
        let mut session = client
            .login(&settings.username, &settings.password)
            .await
            .map_err(|(error, _)| format!("logging in as {}: {error}", settings.username))?;
        let selected = session
            .select(&settings.mailbox)
            .await
            .map_err(|error| format!("selecting {}: {error}", settings.mailbox))?;
        let uid_validity = selected.uid_validity.ok_or("the server names no UIDVALIDITY")?;
        Ok(Self { session, uid_validity, uid_next: selected.uid_next })
    }

    /// The mails past `position` (or, without a valid one, the unread ones), oldest first, and
    /// the position after them.
    pub async fn new_mail(
        &mut self,
        position: Option<MailboxPosition>,
    ) -> Result<(Vec<FetchedMail>, Option<MailboxPosition>), String> {
        let from = position.filter(|p| p.uid_validity == self.uid_validity).map(|p| p.last_uid);
        let mut uids: Vec<u32> = match from {
            Some(last) => self.session.uid_search(format!("UID {}:*", last.saturating_add(1))).await,
            None => self.session.uid_search("UNSEEN").await,
        }
        .map_err(|error| format!("searching: {error}"))?
        .into_iter()
        // `n:*` always matches the newest mail, even one at or below n.
        .filter(|uid| from.is_none_or(|last| *uid > last))
        .collect();
        uids.sort_unstable();
        uids.truncate(BATCH);
        let mut mails = Vec::with_capacity(uids.len());
        if !uids.is_empty() {
            let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            let fetches: Vec<_> = self
                .session
                .uid_fetch(&set, "(UID BODY.PEEK[])")
                .await
                .map_err(|error| format!("fetching: {error}"))?
                .try_collect()
                .await
                .map_err(|error| format!("fetching: {error}"))?;
            for fetch in &fetches {
                if let (Some(uid), Some(raw)) = (fetch.uid, fetch.body()) {
                    mails.push(FetchedMail { uid, raw: raw.to_vec() });
                }
            }
            mails.sort_by_key(|mail| mail.uid);
        }
        // From now on the mailbox is read by UID, so a mail someone else opens first is still
        // taken.
        let last_uid = uids.last().copied().or(from).or(self.uid_next.map(|next| next.saturating_sub(1)));
        let position = last_uid.map(|last_uid| MailboxPosition { uid_validity: self.uid_validity, last_uid });
        Ok((mails, position))
    }

    /// Marks the mails read, for whoever else looks at the mailbox.
    pub async fn mark_read(&mut self, uids: &[u32]) -> Result<(), String> {
        if uids.is_empty() {
            return Ok(());
        }
        let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let updates: Vec<_> = self
            .session
            .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
            .await
            .map_err(|error| format!("marking read: {error}"))?
            .try_collect()
            .await
            .map_err(|error| format!("marking read: {error}"))?;
        drop(updates);
        Ok(())
    }

    pub async fn close(mut self) {
        let _ = self.session.logout().await;
    }
}
