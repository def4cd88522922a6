//! Estimates how frustrated a contact is at their latest message, from 0 (calm) to 1, with the
//! evidence behind the number, in English, Spanish, French, German, Portuguese, Italian, Dutch
//! and Chinese.
//!
//! # How it decides
//!
//! Each piece of evidence is a [`Signal`] whose weight (0 to 1) reads "how sure this alone
//! makes us". The score is their noisy-or, `1 − Π(1 − wᵢ)`: it stays below 1, and each further
//! signal closes part of the remaining gap, so two weak signals together count like one strong.
//! The weights are set so that, against [`DEFAULT_THRESHOLD`] (0.6, the balanced preset), one
//! strong signal hands off on its own, a medium one (0.4–0.55) needs company, and a weak one
//! (under 0.3) only ever helps.
//!
//! From the message itself (`signals.rs`), after [normalisation](fn@super::normalize):
//! - **`negative_words`**: anger, contempt or despair ("useless", "ridículo", "fed up",
//!   "unverschämt", "垃圾"), 0.8; milder complaints ("bad", "difficile", "enttäuscht") 0.48.
//!   A negation just before cancels them ("not bad", "pas *si* mauvais", "nicht schlecht")
//!   and turns praise into a mild complaint ("not helpful", "nada clara"); a softener makes a
//!   strong word mild and a mild one nothing ("a *bit* annoying", "*etwas* ärgerlich",
//!   "有点失望"). Words that name a procedure or a subject rather than a mood ("complaint",
//!   "fraud", "lawyer") are mild: "how do I file a complaint?" is a calm question;
//! - **`blame`**: reproaches to whoever answers, "you don't understand", "answer my question",
//!   "não faz sentido", 0.8;
//! - **`waiting_complaint`**: waiting, or saying and doing things again: "still waiting", "for
//!   days", "how many times", "as I said", "toujours pas", "immer noch", 0.68; "already" with a
//!   past verb ("already restarted", "já reiniciei", "schon bezahlt") 0.42; a bare "again",
//!   "still", "not yet" ("ainda não") 0.28. In the contact's first message all of it counts
//!   0.85 times as much, unless the message names a helper or the bot: "my refund still
//!   hasn't arrived" opening a conversation asks where it is, which the bot may answer, and
//!   hands off only with more said;
//! - **`all_caps`**: at least 70% capitals over 10 or more letters in two or more capitalised
//!   words (so "my PIN" is not shouting), 0.55, but only 0.17 from a contact who wrote earlier
//!   messages in capitals too;
//! - **`negative_emoji`**: 😡 🤬 🙄 👎 …, 0.55;
//! - **`repeated_punctuation`**: "?!" or three marks 0.48, "??" 0.28, "!!" 0.16;
//! - **`profanity`**: swearing and insults, 0.42: on its own it is an intensifier ("where is
//!   the damn invoice?"), not a reason to hand off;
//! - **`pushback`**: a message opening with "but" in the language it is written in, 0.39.
//!
//! Several hits of one signal add up with diminishing returns (each counts half the one
//! before). A message that thanks or praises and says nothing negative is calm: its capitals,
//! "!!!", "again" and "but" are enthusiasm, and the conversation's signals below are skipped.
//!
//! From the conversation (this file), normalising each earlier line once and reading only the
//! last few:
//! - **`repetition`**: the message repeats one of the contact's last 8 (word-set Jaccard at
//!   least 0.6, over 4 or more words), 0.44, or 0.56 when nearly identical;
//! - **`rephrased`**: short of a repetition, the same need in other words after the bot
//!   answered it (three or more shared words of four letters or more, a third of them), 0.2;
//! - **`unresolved`**: the contact says that what the bot suggested, or what they tried, did
//!   not help ("it didn't work", "nothing happens", "same error", "sigue igual", "还是不行"),
//!   once the bot has answered something: 0.3, and 0.5 or 0.62 when their earlier messages
//!   said so too. Opening a conversation with "my card doesn't work" is not a complaint;
//! - **`bot_failures`**: the bot's answers in a row that could not help (from
//!   [`Context::bot_failures`], else [`looks_like_bot_failure`] on its last 4 lines): one 0.28,
//!   two 0.56, three or more 0.73;
//! - **`negative_run`**: frustration lasts and builds. The contact's last three messages are
//!   scored on their own; 70% of the highest carries over, and each other one at 0.45 or more
//!   adds 0.15, so rising intensity crosses the threshold a message earlier.
//!
//! The weights were checked against more than one source (see `docs/quality.md`): real
//! support chats (MAIA, Brazilian Portuguese), angry and calm lines in eight languages (XED
//! subtitles), and the project's ordinary messages, on which a false alarm is a false handoff.
//! On the real chats, whose other side is a human agent, `unresolved` and `rephrased` add one
//! false alarm each and no hit: they are kept at weights that only tip a message other
//! signals already raise, for the bot conversations the chats do not show.
//!
//! Words come from per-language tables (`lexicon*.rs`, `chinese.rs`) that are indexed once by
//! first word (`index.rs`), so a message costs one or two hash look-ups per token.

mod chinese;
mod index;
mod lexicon;
mod lexicon_germanic;
mod lexicon_romance;
mod signals;

use super::context::{Context, Line, Signal, Speaker};
use super::explicit::mentions_helper_or_bot;
use super::normalize::{is_cjk, normalize, tokenize};
use index::{Kind, index};
use signals::{Evidence, shouting};

/// The score at which the `balanced` preset hands off, calibrated on labelled support chats.
pub const DEFAULT_THRESHOLD: f32 = 0.6;

/// A per-turn frustration estimate with the evidence behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frustration {
    /// From 0.0 (calm) to 1.0.
    pub score: f32,
    /// What raised the score, strongest first; empty when it is 0.
    pub signals: Vec<Signal>,
}

/// How many of the contact's earlier lines a repetition is looked for in.
const REPEAT_LOOKBACK: usize = 8;
/// Messages shorter than this (in distinct words) are not compared: "yes please" twice is fine.
const REPEAT_MIN_WORDS: usize = 4;
const REPEAT_JACCARD: f32 = 0.6;
const REPEAT_SAME: f32 = 0.85;
const REPEAT_WEIGHT: f32 = 0.44;
const REPEAT_SAME_WEIGHT: f32 = 0.56;
/// A rephrasing shares at least this many content words with the earlier message…
const REPHRASE_MIN_SHARED: usize = 3;
/// …and this share of their content words; above `REPEAT_JACCARD` of all words it is a repetition.
const REPHRASE_JACCARD: f32 = 0.35;
const REPHRASE_WEIGHT: f32 = 0.2;
/// How many of the contact's earlier lines a negative run is read from.
const RUN_LOOKBACK: usize = 3;
/// The share of the strongest earlier score that carries over to the message.
const RUN_CARRY: f32 = 0.7;
/// Each other earlier line scoring at least `NEGATIVE_LINE` adds `RUN_EXTRA`.
const NEGATIVE_LINE: f32 = 0.45;
const RUN_EXTRA: f32 = 0.15;
/// How many of the bot's last lines are read for failures when the caller does not count them.
const BOT_LOOKBACK: usize = 4;
/// Weights of a contact saying once, twice, or three or more times in their last messages
/// that what the bot suggested (or what they tried) did not help.
const UNRESOLVED_WEIGHTS: [f32; 3] = [0.3, 0.5, 0.62];
/// Weights of one, two and three or more failing bot answers in a row.
const FAILURE_WEIGHTS: [f32; 3] = [0.28, 0.56, 0.73];
/// What a waiting complaint weighs in the contact's first message, as a share of its weight
/// later: one alone ("still not arrived", 0.68) then stays under the balanced threshold.
const OPENING_WAIT_FACTOR: f32 = 0.85;

/// Estimate the contact's frustration at `context.text`.
pub fn frustration(context: &Context) -> Frustration {
    let norm = normalize(context.text);
    let toks = tokenize(&norm);
    let evidence = Evidence::of(context.text, &norm, &toks);
    let mut signals = Vec::new();
    // A message of thanks is calm whatever came before.
    if evidence.grateful {
        evidence.signals(&toks, false, &mut signals);
        return finish(signals);
    }

    let words = word_set(&toks);
    let lookback = if words.len() >= REPEAT_MIN_WORDS { REPEAT_LOOKBACK } else { RUN_LOOKBACK };
    let mut best_similarity = 0.0f32;
    let mut earlier_scores = [0.0f32; RUN_LOOKBACK];
    let mut caps_lines = 0;
    let answered_from = first_answer(context.earlier);
    let last_bot_line = context.earlier.iter().rposition(|l| l.speaker == Speaker::Bot);
    let content = content_words(&words);
    let mut best_rephrase = 0.0f32;
    let mut earlier_unresolved = 0;
    let contact_lines =
        context.earlier.iter().enumerate().rev().filter(|(_, l)| l.speaker == Speaker::Contact);
    for (k, (at, line)) in contact_lines.take(lookback).enumerate() {
        let line_norm = normalize(line.text);
        let line_toks = tokenize(&line_norm);
        if words.len() >= REPEAT_MIN_WORDS {
            let line_words = word_set(&line_toks);
            best_similarity = best_similarity.max(jaccard(&words, &line_words));
            // The same need in other words, asked again after the bot answered it.
            if content.len() >= REPHRASE_MIN_SHARED && last_bot_line.is_some_and(|bot| bot > at) {
                let line_content = content_words(&line_words);
                if shared(&content, &line_content) >= REPHRASE_MIN_SHARED {
                    best_rephrase = best_rephrase.max(jaccard(&content, &line_content));
                }
            }
        }
        if k < RUN_LOOKBACK {
            let line_evidence = Evidence::of(line.text, &line_norm, &line_toks);
            earlier_scores[k] = line_evidence.score();
            caps_lines += usize::from(shouting(line.text).is_some());
            earlier_unresolved +=
                usize::from(line_evidence.unresolved && answered_from.is_some_and(|first| at > first));
        }
    }

    evidence.signals(&toks, caps_lines >= 2, &mut signals);
    // "My refund still hasn't arrived" opening a conversation asks where it is, which the bot
    // may answer; said again after that, it is the complaint it reads as. With a helper or
    // the bot named ("… can someone from returns check?") it is a plea for a person already.
    if let Some(waiting) = signals.iter_mut().find(|s| s.name == "waiting_complaint")
        && !context.earlier.iter().any(|l| l.speaker == Speaker::Contact)
        && !mentions_helper_or_bot(context.text)
    {
        waiting.weight *= OPENING_WAIT_FACTOR;
    }
    if best_similarity >= REPEAT_JACCARD {
        let weight = if best_similarity >= REPEAT_SAME { REPEAT_SAME_WEIGHT } else { REPEAT_WEIGHT };
        let detail = format!("{:.0}% the same words as an earlier message", best_similarity * 100.0);
        signals.push(Signal { name: "repetition", detail, weight });
    } else if best_rephrase >= REPHRASE_JACCARD {
        let detail =
            format!("{:.0}% the same content words as a message the bot answered", best_rephrase * 100.0);
        signals.push(Signal { name: "rephrased", detail, weight: REPHRASE_WEIGHT });
    }
    if evidence.unresolved && answered_from.is_some() {
        let reports = 1 + earlier_unresolved;
        let weight = UNRESOLVED_WEIGHTS[reports.min(UNRESOLVED_WEIGHTS.len()) - 1];
        let detail = if reports == 1 {
            "what was tried did not help".to_owned()
        } else {
            format!("what was tried did not help, {reports} times")
        };
        signals.push(Signal { name: "unresolved", detail, weight });
    }
    let failures = context.bot_failures.unwrap_or_else(|| inferred_failures(context));
    if failures > 0 {
        let weight = FAILURE_WEIGHTS[(failures as usize).min(FAILURE_WEIGHTS.len()) - 1];
        signals.push(Signal { name: "bot_failures", detail: format!("{failures} in a row"), weight });
    }
    if let Some(signal) = negative_run(&earlier_scores) {
        signals.push(signal);
    }
    finish(signals)
}

/// Frustration lasts: the strongest of the contact's last messages carries over in part, and
/// each other negative one adds a little.
fn negative_run(scores: &[f32]) -> Option<Signal> {
    let strongest = scores.iter().copied().fold(0.0, f32::max);
    let negative = scores.iter().filter(|s| **s >= NEGATIVE_LINE).count();
    let others = negative.saturating_sub(1) as i32;
    let weight = 1.0 - (1.0 - RUN_CARRY * strongest) * (1.0 - RUN_EXTRA).powi(others);
    let detail =
        format!("strongest of the last {RUN_LOOKBACK} at {strongest:.2}, {negative} of them negative");
    (weight >= 0.05).then_some(Signal { name: "negative_run", detail, weight })
}

fn finish(mut signals: Vec<Signal>) -> Frustration {
    signals.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let keep: f32 = signals.iter().map(|s| 1.0 - s.weight).product();
    Frustration { score: (1.0 - keep).clamp(0.0, 1.0), signals }
}

/// Whether a bot line reads like the bot failing ("sorry, I didn't understand", "I can't help
/// with that", "could you rephrase"), in the 8 languages; used when
/// [`Context::bot_failures`] is `None`.
pub fn looks_like_bot_failure(text: &str) -> bool {
    let norm = normalize(text);
    if norm.chars().any(is_cjk) && chinese::is_bot_failure(&norm) {
        return true;
    }
    let toks = tokenize(&norm);
    let index = index();
    (0..toks.len()).any(|i| index.matches_at(&toks, i).any(|(e, _)| e.kind == Kind::BotFailure))
}

/// Where the bot first answered something the contact said: the first bot line after a contact
/// line (a greeting before the contact wrote answers nothing).
fn first_answer(earlier: &[Line]) -> Option<usize> {
    let first_contact = earlier.iter().position(|l| l.speaker == Speaker::Contact)?;
    (first_contact + 1..earlier.len()).find(|&i| earlier[i].speaker == Speaker::Bot)
}

/// The bot's failing answers in a row, counted back from its last line.
fn inferred_failures(context: &Context) -> u32 {
    let bot_lines = context.earlier.iter().rev().filter(|l| l.speaker == Speaker::Bot);
    bot_lines.take(BOT_LOOKBACK).take_while(|l| looks_like_bot_failure(l.text)).count() as u32
}

/// The distinct words of a message (Chinese as character pairs), sorted, for comparing
/// messages; punctuation and one-letter words are left out.
fn word_set<'a>(toks: &[&'a str]) -> Vec<&'a str> {
    let mut words = Vec::with_capacity(toks.len());
    for tok in toks {
        if tok.chars().any(is_cjk) {
            let starts: Vec<usize> = tok.char_indices().map(|(i, _)| i).chain([tok.len()]).collect();
            words.extend(starts.windows(3).map(|w| &tok[w[0]..w[2]]));
        } else if tok.len() >= 2 && tok.chars().any(char::is_alphanumeric) {
            words.push(*tok);
        }
    }
    words.sort_unstable();
    words.dedup();
    words
}

/// The words of a sorted word set that carry content: four letters or more ("refund",
/// "parcel"), or a Chinese character pair; "the", "my", "is" are left out.
fn content_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    words.iter().copied().filter(|w| w.chars().count() >= 4 || w.chars().any(is_cjk)).collect()
}

/// Shared words over all words, of two sorted sets.
fn jaccard(a: &[&str], b: &[&str]) -> f32 {
    let shared = shared(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 { 0.0 } else { shared as f32 / union as f32 }
}

/// How many words two sorted sets share.
fn shared(a: &[&str], b: &[&str]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

#[cfg(test)]
mod tests;
