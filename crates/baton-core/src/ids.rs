//! Typed identifiers. They are UUIDv7 (time-ordered) so they sort by creation; generating one
//! reads the clock, which is why [`Id::new_v7`] takes the instant explicitly.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::time::Timestamp;

/// An identifier of one kind of entity; `K` keeps a conversation id from being passed where a
/// handoff id is expected.
pub struct Id<K> {
    uuid: Uuid,
    kind: PhantomData<fn() -> K>,
}

impl<K> Id<K> {
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self { uuid, kind: PhantomData }
    }

    /// A new time-ordered id for something created at `now`; `entropy` supplies the random bits.
    pub fn new_v7(now: Timestamp, entropy: [u8; 10]) -> Self {
        let millis = now.as_millis().max(0) as u64;
        Self::from_uuid(uuid::Builder::from_unix_timestamp_millis(millis, &entropy).into_uuid())
    }

    pub fn as_uuid(&self) -> Uuid {
        self.uuid
    }
}

impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Id<K> {}
impl<K> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.uuid == other.uuid
    }
}
impl<K> Eq for Id<K> {}
impl<K> std::hash::Hash for Id<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.uuid.hash(state)
    }
}
impl<K> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.uuid.cmp(&other.uuid)
    }
}
impl<K> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.uuid)
    }
}
impl<K> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.uuid)
    }
}
impl<K> FromStr for Id<K> {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self::from_uuid)
    }
}
impl<K> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.uuid.serialize(serializer)
    }
}
impl<'de, K> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Uuid::deserialize(deserializer).map(Self::from_uuid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CannedKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKindTag {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelDeliveryKind {}

pub type ConversationId = Id<ConversationKind>;
pub type HandoffId = Id<HandoffKind>;
pub type UserId = Id<UserKind>;
pub type BotId = Id<BotKind>;
pub type MessageId = Id<MessageKind>;
pub type TeamId = Id<TeamKind>;
pub type WebhookId = Id<WebhookKind>;
pub type CannedId = Id<CannedKind>;
pub type DeliveryId = Id<DeliveryKind>;
pub type ContactId = Id<ContactKind>;
pub type AttachmentId = Id<AttachmentKind>;
pub type ChannelId = Id<ChannelKindTag>;
pub type ChannelDeliveryId = Id<ChannelDeliveryKind>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_ids_sort_by_creation_time() {
        let earlier = ConversationId::new_v7(Timestamp::from_millis(1_000), [0xff; 10]);
        let later = ConversationId::new_v7(Timestamp::from_millis(2_000), [0x00; 10]);
        assert!(earlier < later);
        assert_eq!(earlier.as_uuid().get_version_num(), 7);
    }

    #[test]
    fn ids_round_trip_through_text() {
        let id = HandoffId::new_v7(Timestamp::from_millis(42), [7; 10]);
        let parsed: HandoffId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
        assert!("not-a-uuid".parse::<HandoffId>().is_err());
    }
}
