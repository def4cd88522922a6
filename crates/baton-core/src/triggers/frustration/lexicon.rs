//! Word tables for the frustration estimate: what a [`Lexicon`] holds, and English.
//!
//! Entries are written in their ordinary spelling, accents and apostrophes included
//! ("ridículo", "j'en ai marre"); the [index](super::index) normalises them once, exactly as it
//! normalises a message, so "RIDÍCULO!" matches "ridículo". An entry may span several words
//! ("waste of time"). A word ending in `*` matches any word starting that way ("frustrat*" is
//! "frustrated", "frustrating", "frustration"); such a stem must have at least 3 letters.
//!
//! The tables hold common words of complaint, not sentences: a phrase earns its place when any
//! customer writing in that language might use it about any product.

use super::lexicon_germanic::{DE, NL};
use super::lexicon_romance::{ES, FR, IT, PT};

/// Every Latin-script lexicon; Chinese is matched by substring in `chinese.rs`.
pub(super) const LEXICONS: &[&Lexicon] = &[&EN, &ES, &FR, &DE, &PT, &IT, &NL];

type Table = &'static [&'static str];

/// The words of frustration of one language, grouped by how much they say.
pub(super) struct Lexicon {
    /// ISO 639-1 code shown in a signal's detail.
    pub code: &'static str,
    /// Words of anger, contempt or despair that mean frustration on their own ("useless",
    /// "ridiculous", "fed up", "waste of time").
    pub strong: Table,
    /// Words of a milder complaint ("bad", "difficult", "disappointed").
    pub mild: Table,
    /// Swearing and insults, kept to common words.
    pub profanity: Table,
    /// Complaints about waiting or about doing something again: "still waiting", "for days",
    /// "already tried", "how many times".
    pub waiting: Table,
    /// Weaker hints of the same ("again", "still", "anyone there?").
    pub again: Table,
    /// Reproaches aimed at whoever answers: "you don't understand", "answer my question".
    pub blame: Table,
    /// Words whose negation is a complaint ("not helpful", "pas clair"); not a signal alone.
    pub positive: Table,
    /// Thanks and praise: when nothing negative is said, capitals and "!!!" are enthusiasm.
    pub thanks: Table,
    /// Words that deny a negative word after them ("not bad", "pas mal", "nicht schlecht").
    pub negators: Table,
    /// Words that soften a complaint after them ("a *bit* annoying", "*etwas* ärgerlich"): a
    /// strong word counts as a mild one, and a mild one not at all.
    pub downtoners: Table,
    /// Words a negation reaches through: copulas and intensifiers ("not *that* bad").
    pub neg_pass: Table,
    /// "But" opening a message: the contact pushes back on the last answer.
    pub pushback: Table,
    /// "Already", which followed by a verb of `done_forms` is a complaint of having done it
    /// ("already restarted", "já reiniciei", "schon neu gestartet").
    pub already: Table,
    /// Shapes of a past verb: `*ed` is any word ending in "ed", `ge*t` any word starting
    /// with "ge" and ending in "t" (at least two letters in between).
    pub done_forms: Table,
    /// What a bot says when it fails: "I didn't understand", "could you rephrase", "I can't
    /// help with that".
    pub bot_failure: Table,
    /// What a contact says when the help did not help: "it didn't work", "nothing happens",
    /// "same error", "I tried that". Not a complaint alone ("my card doesn't work" opens many
    /// calm conversations); it counts once the bot has answered (see `frustration.rs`).
    pub unresolved: Table,
}

#[rustfmt::skip]
pub(super) const EN: Lexicon = Lexicon {
    code: "en",
    strong: &[
        "useless", "ridicul*", "terrible", "horrible", "awful", "worst",
        "rip off", "ripoff", "pathetic", "unacceptable", "disgrace",
        "disgraceful", "disgust*", "outrag*", "appalling", "incompeten*", "nonsense", "a joke",
        "fed up", "sick of", "tired of", "had enough", "waste of time", "wasting my time",
        "wasted my time", "furious", "angry", "pissed off", "annoyed", "annoying", "frustrat*",
        "infuriat*", "fuming", "livid", "rubbish", "garbage", "shambles", "nightmare", "unhappy",
        "upset", "thanks for nothing", "give up", "worthless", "absurd", "shocking",
        "sucks", "sue you", "legal action", "consumer protection",
        "small claims", "i hate this", "i hate it", "hate you", "hate this", "i'm done with",
        "so done with", "had it with",
        "lawyer will", "lawyers will", "my lawyer is", "get a lawyer", "getting a lawyer",
        "call my lawyer", "contact my lawyer", "talk to my lawyer", "speak to my lawyer",
        "hear from my lawyer", "involve my lawyer",
    ],
    mild: &[
        "bad", "poor", "worse", "disappoint*", "confusing", "confused", "complicated", "difficult",
        "seriously", "unbelievable", "stuck", "mess", "not ok", "not okay", "no help",
        "doesn't help", "does not help", "didn't help", "did not help", "my rights", "i'm lost",
        "i am lost", "hate",
        "scam", "scammers", "scammed", "fraud", "complaint", "lawyer", "attorney",
    ],
    profanity: &[
        "fuck*", "shit*", "bullshit", "damn", "dammit", "goddamn", "crap", "crappy", "wtf",
        "ffs", "bloody", "idiot", "idiots", "idiotic", "stupid", "dumb", "moron*", "the hell",
        "bastard*", "asshole*", "piss", "screw you", "jerk*",
    ],
    waiting: &[
        "still waiting", "still not", "still no", "still nothing", "still doesn't",
        "still does not", "still don't", "still isn't", "still haven't", "still hasn't",
        "still can't", "still cannot", "still won't", "for days", "for weeks", "for months",
        "for hours", "for ages", "how many times", "over and over", "again and again", "yet again",
        "once again", "i told you", "already told", "already said", "already explained",
        "tried everything", "several times", "many times", "multiple times", "countless times",
        "so many times", "every single time", "nothing works", "nothing worked", "nobody answers",
        "no one answers", "nobody helps", "no one helps", "no answer", "no response", "no reply",
        "never got", "never received", "same answer", "going in circles", "round in circles",
        "keeps happening", "keep getting", "keeps saying", "keep telling", "as i said",
        "like i said", "i just said", "i just told", "i repeat", "all over again",
        "from scratch again", "third time", "fourth time", "fifth time", "umpteenth time",
        "nth time",
    ],
    again: &[
        "same problem", "same issue", "same error", "again", "still", "anymore", "nobody", "no one",
        "anyone there", "anybody there", "are you there", "hello ?", "every time", "second time",
    ],
    blame: &[
        "you don't understand", "you do not understand", "you don't get it", "not listening",
        "you didn't answer", "you did not answer", "you haven't answered", "answer my question",
        "answer the question", "read my message", "read what i", "are you even", "are you kidding",
        "are you serious", "you people", "makes no sense", "doesn't make sense",
        "does not make sense", "what's the point", "not helping", "you never", "you keep",
        "unhelpful", "you can't even", "you cannot even", "you do nothing", "you don't do anything",
        "nobody does anything", "did you read", "did you even read",
    ],
    positive: &[
        "helpful", "good", "great", "acceptable", "happy", "satisfied", "fair", "clear",
    ],
    thanks: &[
        "thanks", "thank", "thx", "ty", "appreciate", "appreciated", "perfect", "awesome",
        "excellent", "wonderful", "amazing", "lovely", "cheers", "great", "brilliant",
    ],
    negators: &[
        "not", "no", "never", "don't", "dont", "doesn't", "doesnt", "isn't", "isnt", "wasn't",
        "wasnt", "ain't", "aren't", "nothing", "hardly", "without",
    ],
    downtoners: &["bit", "slightly", "little", "somewhat", "mildly", "kinda"],
    neg_pass: &[
        "that", "so", "too", "very", "really", "all", "at", "as", "is", "it's", "its", "it",
        "was", "be", "been", "even", "quite", "a", "an", "the", "exactly", "entirely",
        "overly", "particularly",
    ],
    pushback: &["but"],
    already: &["already"],
    done_forms: &["*ed", "done", "did", "sent", "told", "said", "gave", "paid", "made", "tried"],
    bot_failure: &[
        "didn't understand", "did not understand", "don't understand", "do not understand",
        "didn't get that", "didn't catch that", "did not catch that", "not sure what you mean",
        "not sure i understand", "not sure i follow", "don't know what you mean", "rephrase",
        "say that again", "say it differently", "can't help with", "cannot help with",
        "can't help you with", "cannot help you with", "unable to help", "not able to help",
        "can't assist", "cannot assist", "unable to assist", "not able to assist",
        "don't have information", "do not have information", "don't have that information",
        "don't have an answer", "do not have an answer", "i don't know", "i do not know",
        "couldn't find", "could not find", "no results", "beyond my", "outside my",
        "out of my scope", "still learning", "not trained", "try asking", "something went wrong",
        "i'm not sure about that", "not able to answer", "can't answer", "cannot answer",
    ],
    unresolved: &[
        "didn't work", "did not work", "doesn't work", "does not work", "not working", "won't work",
        "nothing happens", "nothing happened", "nothing changed", "no change", "no difference",
        "same error", "same message", "same result", "no luck", "didn't fix",
        "did not fix", "didn't solve", "did not solve", "not solved", "not fixed", "still broken",
        "even so", "that's not it", "not what i asked",
       
    ],
};
