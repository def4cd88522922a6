//! Trigger detection: deciding from a contact's message that a conversation should be handed
//! to a human.
//!
//! [`detect_explicit_request`] recognises an explicit request for a human ("can I talk to an
//! agent?") in English, Spanish, French, German, Portuguese, Italian, Dutch and Chinese.
//! [`normalize`] is the text folding it runs on, shared with the other triggers.

mod chinese;
pub mod classifier;
pub mod context;
pub mod engine;
pub mod explicit;
pub mod frustration;
pub mod judge;
mod lexicon;
mod lexicon_germanic;
mod lexicon_romance;
pub(crate) mod normalize;
pub mod semantic;
pub mod topics;

pub use context::{Context, Line, Signal, Speaker};
pub use explicit::{
    ExplicitRequest, detect_explicit_request, detect_explicit_request_after, has_request_blocker,
};
pub use frustration::{Frustration, frustration};
pub use normalize::normalize;
pub use semantic::{SemanticHit, SemanticTarget, SemanticThresholds};
