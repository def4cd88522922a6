//! A question who to talk to, then the helper in a clause of its own: "who can I talk to
//! about this, a person I mean", "à qui je peux parler, un employé je veux dire", "con chi
//! posso parlare, un dipendente intendo".
//!
//! The question alone ("who do I talk to about billing?") may ask for a name or a department
//! to write to; naming a helper right after it makes it a request for one. The helper's clause
//! must be short, an afterthought rather than a sentence of its own.

use super::{Detector, Link, Mention, Span, Table};

/// "who", by language, and the words that make the contact the one asking to talk: "who can
/// *I* talk to", "con chi *posso* parlare" (not "who did you talk to, the manager?").
#[rustfmt::skip]
const WHO: &[(&str, Table, Table)] = &[
    ("en", &["who", "whom"], &["i", "we"]),
    ("fr", &["qui"], &["je", "j'", "on", "nous"]),
    ("it", &["chi"], &["io", "posso", "potrei", "devo", "possiamo", "dobbiamo"]),
    ("es", &["quien"], &["yo", "puedo", "podria", "debo", "podemos", "hablo"]),
    ("pt", &["quem"], &["eu", "posso", "poderia", "devo", "podemos", "falo"]),
    ("de", &["wer", "wem", "wen"], &["ich", "wir"]),
    ("nl", &["wie"], &["ik", "we", "wij"]),
];

/// The most words of the helper's clause: "like an actual employee, I mean".
const AFTERTHOUGHT: usize = 6;

impl Detector<'_> {
    pub(super) fn link_who_then_helper(&self, sentence: Span, (cs, ce): Span, m: &Mention) -> Option<Link> {
        let (_, who_words, asker) = WHO.iter().find(|(code, _, _)| *code == self.lx.code)?;
        if cs == sentence.0 || ce - cs > AFTERTHOUGHT || m.name {
            return None;
        }
        let who = (sentence.0..cs).find(|&k| self.is(who_words, self.toks[k]))?;
        let verb = (who + 1..cs).find(|&k| self.match_at(self.lx.contact, k, cs, false).is_some())?;
        let by_me = (who + 1..verb).any(|k| self.is(asker, self.toks[k]));
        by_me.then(|| Link::new((who, m.end), Some(verb)))
    }
}
