//! A case passed on to a helper, with what is passed between the verb and the helper: "pass
//! my case to a staff member", "transférer ma demande à un agent", "passalo a un umano",
//! "potete inoltrare il mio ricorso al team di moderazione".
//!
//! Only verbs of handing something on (not "send" or "transfer" in English, which move money
//! and files), an object of a few words with no sentence break, and "to" right before the
//! helper (past its article). The usual blockers hold: a negation, a hypothetical, a report.

use super::matching::is_clause_punct;
use super::{Detector, LINKING_PREPOSITIONS, Link, Mention, Table};

/// Verbs of passing something on, and the words for "to", by language.
#[rustfmt::skip]
const PASSED_ON: &[(&str, Table, Table)] = &[
    ("en", &["pass", "forward", "escalate", "hand", "refer"], &["to"]),
    ("fr", &[
        "transferer", "transferez", "transmettre", "transmettez", "remonter", "remontez",
        "faire suivre", "escalader", "passer", "passez",
    ], &["a", "au", "aux"]),
    ("it", &[
        "passare", "passalo", "passala", "passatelo", "passatela", "passate", "inoltrare",
        "inoltrate", "inoltra", "inoltrarlo", "girare", "girate", "giralo", "trasferire",
        "trasferite", "scalare", "scala", "scalate", "affidare", "affidate",
    ], &["a", "al", "alla", "allo", "all'", "ai", "agli", "alle"]),
    // Not "pasar" / "passar": "pasar la entrega a la dirección de mi trabajo" moves a parcel.
    ("es", &["transferir", "transfiera", "reenviar", "reenvie", "escalar", "escale", "derivar", "derive"], &["a", "al"]),
    ("pt", &["transferir", "transfira", "encaminhar", "encaminhe", "encaminha", "escalar", "escale"], &[
        "a", "ao", "para", "pro", "pra",
    ]),
];

/// Another person: a new holder, not a helper.
const OTHER: &[&str] =
    &["other", "another", "else", "otra", "otro", "outra", "outro", "altra", "altro", "autre"];

/// The writer's own: "my colleague", "mia collega".
const MINE: &[&str] =
    &["my", "mio", "mia", "miei", "mie", "mon", "ma", "mes", "mi", "mis", "meu", "minha", "meus", "minhas"];

/// "One of" before the helper.
const ONE: &[&str] = &["one", "uno", "una", "un", "une", "um", "uma"];

/// The most words of what is passed: "my account recovery case".
const OBJECT_REACH: usize = 6;

impl Detector<'_> {
    pub(super) fn link_passed_on(&self, cs: usize, m: &Mention) -> Option<Link> {
        let (_, verbs, to) = PASSED_ON.iter().find(|(code, _, _)| *code == self.lx.code)?;
        let (lx, toks) = (self.lx, self.toks);
        let mut t = m.start;
        // Back over what leads the helper: "to *one of your* technicians".
        while t > cs
            && m.start - t < 4
            && !self.is(to, toks[t - 1])
            && (self.is(lx.articles, toks[t - 1])
                || self.is(lx.determiners, toks[t - 1])
                || LINKING_PREPOSITIONS.contains(&toks[t - 1])
                || ONE.contains(&toks[t - 1]))
        {
            t -= 1;
        }
        let to_at = t.checked_sub(1).filter(|&k| k >= cs && self.is(to, toks[k]))?;
        // The verb, a few words before, with nothing but an object between.
        let verb = (to_at.saturating_sub(OBJECT_REACH + 1).max(cs)..to_at)
            .rev()
            .find(|&v| self.match_at(verbs, v, to_at, false).is_some_and(|(n, _)| v + n <= to_at))?;
        let noun_use =
            verb > cs && (self.is(lx.articles, toks[verb - 1]) || self.is(lx.determiners, toks[verb - 1]));
        let crossed = (verb..to_at).any(|k| is_clause_punct(toks[k]));
        // "transferir mi billete a otra persona", "la proprietà a una mia collega": something
        // handed over to someone else or to the writer's own people.
        let someone_else = (to_at + 1..m.end).any(|k| OTHER.contains(&toks[k]) || MINE.contains(&toks[k]));
        if someone_else {
            return None;
        }
        (!noun_use && !crossed).then(|| Link::new((verb, m.end), Some(verb)))
    }
}
