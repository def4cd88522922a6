//! The email channel's inbound side: each new mail of a channel's mailbox stored as the
//! contact's message, through the widget's own use case.
//!
//! A mail joins the conversation of the mail it answers (`In-Reply-To`, `References`: a reply
//! to a ticket's answer returns to that ticket), or else the conversation of its sender's
//! address on the channel. Its `Message-ID` is the message's `client_id`, so a mail read twice
//! (a crash before the mailbox position was saved) is stored once. Mails a program sent (an
//! out-of-office answer, a bounce) and mails from the channel's own address are not taken:
//! answering them would start a loop.

use std::time::Duration;

use baton_core::channel::EmailSettings;
use baton_store::Channel;

use super::inbound::{client_id, conversation_of, message_text};
use crate::auth::Caller;
use crate::channels::email::{IncomingMail, parse};
use crate::channels::imap::{FetchedMail, Mailbox};
use crate::error::ApiError;
use crate::state::SharedState;

/// The `client_id` prefix of a mail's message.
const MAIL_CLIENT_ID_PREFIX: &str = "mail:";

/// Reads the channel's new mail; how many mails were taken.
pub async fn read(state: &SharedState, channel: &Channel, settings: &EmailSettings) -> anyhow::Result<usize> {
    let timeout = Duration::from_secs(state.settings.channels.timeout_seconds);
    let mut mailbox = Mailbox::open(settings, timeout).await.map_err(anyhow::Error::msg)?;
    let read = read_open(state, channel, settings, &mut mailbox, timeout).await;
    mailbox.close().await;
    read
}

async fn read_open(
    state: &SharedState,
    channel: &Channel,
    settings: &EmailSettings,
    mailbox: &mut Mailbox,
    timeout: Duration,
) -> anyhow::Result<usize> {
    let position = state.store.mailbox_position(channel.id).await?;
    let (mails, next) = tokio::time::timeout(timeout, mailbox.new_mail(position))
        .await
        .map_err(|_| anyhow::anyhow!("the IMAP server did not answer within {} s", timeout.as_secs()))?
        .map_err(anyhow::Error::msg)?;
    let mut taken = Vec::with_capacity(mails.len());
    for mail in &mails {
        // A mail that fails to store stops the read here: the position stays before it, and
        // the next read tries it again.
        take_mail(state, channel, settings, mail).await?;
        taken.push(mail.uid);
        let position = next.map(|next| baton_store::MailboxPosition { last_uid: mail.uid, ..next });
        if let Some(position) = position {
            state.store.save_mailbox_position(channel.id, position).await?;
        }
    }
    if let Some(next) = next
        && next.last_uid > taken.last().copied().unwrap_or(0)
        && Some(next) != position
    {
        state.store.save_mailbox_position(channel.id, next).await?;
    }
    if let Err(error) = mailbox.mark_read(&taken).await {
        tracing::info!(channel = %channel.id, %error, "mails taken were not marked read");
    }
    Ok(taken.len())
}

async fn take_mail(
    state: &SharedState,
    channel: &Channel,
    settings: &EmailSettings,
    fetched: &FetchedMail,
) -> anyhow::Result<()> {
    let mail = match parse(&fetched.raw) {
        Ok(mail) => mail,
        Err(why) => {
            tracing::info!(channel = %channel.id, uid = fetched.uid, %why, "a mail that does not read was left");
            return Ok(());
        }
    };
    if mail.automatic || mail.from == settings.address.trim().to_ascii_lowercase() {
        tracing::info!(channel = %channel.id, uid = fetched.uid, "a mail sent by a program was left");
        return Ok(());
    }
    let conversation = match state.store.email_conversation(&mail.answers).await? {
        Some(id) => super::conversations::load(state, id).await?,
        None => conversation_of(state, channel, &mail.from, mail.from_name.clone()).await?,
    };
    state.store.record_thread_mail(&mail.message_id, conversation.id, &mail.subject, state.now()).await?;
    let id = client_id(&format!("{MAIL_CLIENT_ID_PREFIX}{}", mail.message_id));
    let mut text = mail.text.clone();
    for (index, file) in mail.files.iter().enumerate() {
        let name = file.name.clone();
        let sent = super::attachments::send(
            state,
            conversation.id,
            &Caller::Contact,
            &file.name,
            &file.content_type,
            file.bytes.clone(),
            Some(format!("{id}:{index}")),
        )
        .await;
        match sent {
            Ok(_) => {}
            Err(ApiError::Internal(error)) => return Err(error),
            // The team still learns that something came.
            Err(refused) => {
                tracing::info!(channel = %channel.id, %refused, "a mailed file was not kept");
                text.push_str(&format!("\n[{name}: not kept]"));
            }
        }
    }
    store_text(state, &conversation, &mail, text.trim(), id).await
}

async fn store_text(
    state: &SharedState,
    conversation: &baton_store::Conversation,
    mail: &IncomingMail,
    text: &str,
    id: String,
) -> anyhow::Result<()> {
    let text = if text.is_empty() && mail.files.is_empty() { mail.subject.as_str() } else { text };
    let Some(text) = message_text(text) else { return Ok(()) };
    match super::conversations::contact_message(state, conversation.id, text, Some(id), None).await {
        Ok(_) => Ok(()),
        Err(ApiError::Internal(error)) => Err(error),
        // Refused (the conversation's rate limit, say): the mail stays readable in the mailbox.
        Err(refused) => {
            tracing::info!(conversation = %conversation.id, %refused, "a mail was not stored");
            Ok(())
        }
    }
}
