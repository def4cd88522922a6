//! Word tables for the explicit-request detector: what a [`Lexicon`] holds, and English.
//!
//! Every entry is normalised text (see [`super::normalize`]): lowercase ASCII, no accents.
//! An entry may span several words ("customer service", "put me through"); an entry starting
//! with `*` matches any longer word ending that way (German and Dutch compounds such as
//! "kundendienstmitarbeiter").

use super::lexicon_germanic::{DE, NL};
use super::lexicon_romance::{ES, FR, IT, PT};

/// Lexicons in the order they are tried; on a tie the first one names the language.
pub(crate) const LEXICONS: &[&Lexicon] = &[&EN, &ES, &FR, &DE, &PT, &IT, &NL];

type Table = &'static [&'static str];

/// The grammar of "please let me talk to a person" for one language.
pub(crate) struct Lexicon {
    /// ISO 639-1 code reported to the agent.
    pub code: &'static str,
    /// Frequent function words that tell the language of a message; only the languages with
    /// the most of them in a message are tried.
    pub markers: Table,

    // --- who: nouns for a human helper ---
    /// Always mean a human helper ("operator", "customer service"); may stand alone.
    pub strong: Table,
    /// Mean a human helper only when something asks for them ("someone", "person", "support").
    pub weak: Table,
    /// Adjectives that make a weak noun strong ("real person", "actual human").
    pub upgraders: Table,
    /// Words after a strong noun that belong to it ("human agent", "customer service team").
    pub tails: Table,
    /// A noun right after these is something else ("delivery agent", "password manager").
    pub not_before: Table,
    /// A noun right before these is a modifier ("agent address", "human error").
    pub not_after: Table,
    /// Phrases in which a human noun is not a helper ("contact person", "my boss").
    pub false_friends: Table,
    /// Prefixes that users glue onto the noun ("tosomebody").
    pub glue_prefixes: Table,

    // --- how: what links a request to the noun ---
    /// Verbs of contact; they link to strong and weak nouns ("talk to someone").
    pub contact: Table,
    /// Verbs of wanting or getting; they link to strong nouns, or to a weak noun that ends the
    /// clause ("I want an agent", "I need support").
    pub desire: Table,
    /// Words allowed between the verb and the noun ("to", "with", "a", "real", swear words).
    pub fillers: Table,
    /// Words allowed between a noun and a contact verb after it ("someone I can talk to").
    pub relative: Table,
    /// Of `relative`, those that may come right before the verb; empty means all. "the person
    /// I talk to" describes, "someone I *can* talk to" asks.
    pub relative_gate: Table,
    /// Whether the contact verb may directly follow the noun (German and Dutch put the
    /// infinitive last: "mit einem Mitarbeiter sprechen").
    pub verb_final: bool,
    /// "can a human help me": a modal, the noun as subject, then one of `subject_verbs`.
    pub modals: Table,
    pub subject_verbs: Table,
    /// Words that may surround a bare noun in a standalone request ("agent please").
    pub please: Table,
    /// Articles and prepositions allowed around a standalone noun ("a human", "with an agent").
    pub articles: Table,
    /// Thanks and goodbyes: before a bare noun they address it ("thanks, agent").
    pub farewells: Table,

    // --- when not: negation, hypotheticals, reports, identity questions ---
    /// Sentence negators; their scope runs through `neg_pass` words ("don't really want").
    pub negators: Table,
    /// Determiner negators; their scope runs only through articles and adjectives ("no agent").
    pub det_negators: Table,
    pub neg_pass: Table,
    /// Words a negation can deny besides the verbs and nouns ("necessary", "need").
    pub neg_targets: Table,
    /// Verbs of ability: a negation next to one is a complaint ("no puedo hablar con un
    /// agente"), not a refusal. Empty in English, where "can't" is simply not a negator.
    pub ability: Table,
    /// Retractions just after the noun ("an agent? no thanks").
    pub post_negations: Table,
    /// Markers that make a clause not a request: conditions, past times, thanks for something,
    /// what someone else said ("the bot said I need to contact support").
    pub hypothetical: Table,
    /// Conditional politeness that is still a request ("if possible").
    pub hypothetical_exceptions: Table,
    /// Right before the contact verb: past or third person ("was talking", "tried to talk").
    pub reported: Table,
    /// Questions about who is answering ("am I talking to a human").
    pub identity: Table,
    /// Question words that turn an identity phrase into a how-to ("wie spreche ich mit …").
    pub how_words: Table,
    /// Words for the bot, and the word "or": "bot or human?" asks, it does not request.
    pub bot_words: Table,
    pub or_words: Table,
    /// Conjunctions that start a new clause ("but").
    pub clause_breaks: Table,
    /// Before a helping verb after a noun ("someone *to* check"); empty where the infinitive
    /// stands alone.
    pub infinitive_marks: Table,
    /// Articles and possessives: a contact verb right after one is a noun ("a bank transfer").
    pub determiners: Table,

    // --- is anybody there: questions whether people exist or are present ---
    /// Before a noun, asks whether it exists or is there ("is there", "are there", "do you
    /// have"): a strong noun is then asked for, a weak one when `presence` follows it.
    pub existence: Table,
    /// After a weak noun, makes an existence question about someone present to help ("is
    /// anybody *there*", "any people *working*").
    pub presence: Table,
    /// Question words: before an existence phrase they ask about the people, not for them
    /// ("*what* hours is your team online?").
    pub wh_words: Table,

    // --- names: "can I talk to Maria?" ---
    /// Titles before a name ("Mr", "Frau", "Sra").
    pub titles: Table,
    /// Whether every noun is written with a capital (German), so a capital does not mark a name.
    pub capitalised_nouns: bool,

    // --- refusals of the bot: "no more bots", "I won't talk to a machine" ---
    /// Words for the bot that a refusal can name ("bot", "automated answers"); narrower than
    /// `bot_words`, which also holds "computer" and "program".
    pub refused: Table,
    /// Next to one of `refused` (within a few words, either side), a refusal of the bot, which
    /// asks for a human: "no more", "enough", "useless", "sick of".
    pub refusals: Table,

    // --- typos ---
    /// Whether contact verbs, not only nouns, tolerate one edit (off where inflections are
    /// one letter apart: Spanish "hablar" / "hablan").
    pub fuzzy_verbs: bool,
    /// Real words one edit away from an entry, never read as typos ("stuff" is not "staff").
    pub not_typos: Table,
    /// Short verbs ("talk") accepted one edit off only before one of `short_typo_preps` and a
    /// human noun ("taok to an agent"); too short for the general typo rule.
    pub short_typo_verbs: Table,
    pub short_typo_preps: Table,
}

impl Lexicon {
    /// A lexicon with every table empty, for `..Lexicon::EMPTY` in the language constants.
    pub(crate) const EMPTY: Lexicon = Lexicon {
        code: "",
        markers: &[],
        strong: &[],
        weak: &[],
        upgraders: &[],
        tails: &[],
        not_before: &[],
        not_after: &[],
        false_friends: &[],
        glue_prefixes: &[],
        contact: &[],
        desire: &[],
        fillers: &[],
        relative: &[],
        relative_gate: &[],
        verb_final: false,
        modals: &[],
        subject_verbs: &[],
        please: &[],
        articles: &[],
        farewells: &[],
        negators: &[],
        det_negators: &[],
        neg_pass: &[],
        neg_targets: &[],
        ability: &[],
        post_negations: &[],
        hypothetical: &[],
        hypothetical_exceptions: &[],
        reported: &[],
        identity: &[],
        how_words: &[],
        bot_words: &[],
        or_words: &[],
        clause_breaks: &[],
        infinitive_marks: &[],
        determiners: &[],
        existence: &[],
        presence: &[],
        wh_words: &[],
        titles: &[],
        capitalised_nouns: false,
        refused: &[],
        refusals: &[],
        fuzzy_verbs: false,
        not_typos: &[],
        short_typo_verbs: &[],
        short_typo_preps: &[],
    };
}

/// Nouns after which a human noun is a modifier, shared by the Latin-script languages because
/// support chats borrow English product words ("agent id", "user agent").
#[rustfmt::skip]
pub(crate) const COMMON_NOT_AFTER: Table = &[
    "address", "addresses", "name", "names", "number", "numbers", "id", "code", "codes", "details",
    "detail", "info", "information", "account", "accounts", "fee", "fees", "portal", "page", "app",
    "login", "profile", "settings", "setting", "email", "phone", "discount", "card", "license",
    "licence", "badge", "error", "errors", "resources", "rights", "nature", "body", "race",
    "trafficking", "mode", "status", "list", "field", "software", "version", "program",
    "commission", "rating", "review", "reviews", "notes", "note", "survey", "schedule", "tool",
    "dashboard", "role", "roles", "permission", "permissions", "password", "level", "tier", "limit",
    "count", "type", "form", "typing", "portal", "string", "url", "link", "ticket", "tickets",
    "hours", "group", "console", "view", "seat", "seats", "plan", "behind", "readable",
    "verification", "captcha", "telefonico", "movil", "movel", "mobile", "telefonia", "admin",
    "administrator", "owner", "leader",
];

#[rustfmt::skip]
pub(crate) const EN: Lexicon = Lexicon {
    code: "en",
    markers: &[
        "the", "to", "a", "an", "i", "you", "me", "my", "with", "please", "want", "can", "talk",
        "speak", "is", "it", "and", "of", "for", "need", "someone", "would", "like", "how", "do",
        "don't", "not", "get", "your", "this", "what", "i'm", "i'd", "thanks", "thank", "hi",
        "hello", "human", "no", "are", "there", "pls", "where", "who", "why", "yes", "am", "was",
        "be", "have", "has", "we", "they", "our", "us", "let", "just", "now",
    ],
    strong: &[
        "human", "humans", "agent", "agents", "operator", "operators", "representative",
        "callback", "call back", "gm", "gms", "game master", "game masters",
        "representatives", "rep", "reps", "supervisor", "supervisors", "manager", "managers",
        "employee", "employees", "staff", "staffer", "consultant", "consultants", "advisor",
        "advisors", "adviser", "advisers", "superior", "boss", "customer service",
        "customer services", "customer support", "customer care", "client service",
        "client services", "client support", "support team", "support staff", "support agent",
        "service team", "help desk", "helpdesk", "service desk", "live chat", "live support",
        "live help", "tech support", "technical support", "human help", "human assistance",
        "human support", "call center", "call centre", "human being", "someone from",
        "somebody from", "anyone from", "anybody from", "person from", "someone in charge",
        "person in charge", "higher up", "team member", "team lead", "someone real",
        "somebody real", "real one", "actual one", "live one", "support engineer",
        "support engineers", "tier 2", "tier two", "tier 3", "second line", "2nd line",
        "level 2 support", "second level support", "escalation team", "member of staff",
        "members of staff", "staff member", "staff members", "member of your team",
        "member of the team", "support person", "support people", "someone in", "somebody in",
        "anyone in", "anybody in", "one of your people", "one of your staff", "costumer service",
        "costumer support", "costumer care", "costumer services", "agnt", "agnts", "coordinator",
        "coordinators", "counselor", "counsellor", "counselors", "counsellors", "caseworker",
        "case worker", "case manager", "account manager", "landlord", "landlady",
        "property manager", "building manager", "site manager", "office manager", "store manager",
        "branch manager", "duty manager", "floor manager", "head of", "director", "directors",
        "front desk", "reception desk", "sales desk", "parts desk", "parts counter",
        "service counter", "helpline", "help line", "hotline", "someone at", "somebody at",
        "anyone at", "anybody at", "someone on", "somebody on", "anyone on", "sum1 from",
        "some1 from", "sm1 from", "member of your", "members of your", "staffers", "personnel",
        "service advisor", "service adviser", "service writer", "service writers", "sales rep",
        "sales reps", "account rep", "account executive", "customer rep", "customer advocate",
        "client advisor", "relationship manager", "duty officer", "leasing office",
        "management office", "admissions office", "registrars office", "bursar", "claims adjuster",
        "claims handler", "claims team", "loss adjuster",
        "front office", "back office", "box office", "one of your team", "one of the team",
        "one of your colleagues", "one of ur", "officer from", "staff from", "rep from",
        "someone frm", "somebody frm", "anyone frm", "sum1 frm", "some1 frm", "case handler",
        "case officer", "caseworkers", "colleague of yours", "your colleague", "your colleagues",
        "living soul",
        "customer relations", "customer experience team", "customer success", "client relations",
        "guest services", "guest relations", "member services", "membership services",
        "patient services", "patient liaison", "student services", "student support",
        "resident services", "tenant services", "complaints team", "complaints department",
        "someone on your team", "somebody on your team", "anyone on your team", "any of your staff",
        "any of your team", "one of your agents", "one of your reps", "human operator",
    ],
    weak: &[
        "second level", "2nd level", "second line", "tier 2",
        "person", "persons", "people", "someone", "somebody", "anyone", "anybody", "support",
        "team", "assistant", "specialist", "specialists", "technician", "associate", "expert",
        "experts", "engineer", "engineers", "department", "dept", "desk", "officer", "official",
        "whoever", "whomever", "adjuster", "adjusters", "receptionist", "receptionists",
        "reception",
        "pharmacist", "pharmacists", "secretary", "nurse", "doctor", "clerk", "dispatcher",
        "moderator", "moderators", "mod", "mods", "admin", "admins", "one of you", "you guys", "sb",
        "smb", "sm1", "some1", "any1", "ppl", "assistants", "technicians", "associates", "officers",
        "officials", "clerks", "dispatchers", "secretaries", "nurses", "doctors", "tutor", "tutors",
        "teacher", "teachers", "lecturer", "lecturers", "professor", "professors", "prof",
        "instructor", "instructors", "teaching assistant", "teaching assistants", "dean",
        "registrar", "advisers", "mechanic", "mechanics", "salesperson", "salespeople", "salesman",
        "saleswoman", "handler", "handlers", "adjustor", "caretaker", "janitor", "super",
        "superintendent", "maintenance team", "concierge", "editor", "editors", "guy", "guys",
        "gal", "lady", "folks", "folk", "crew", "big guns", "someone else", "somebody else",
        "sumone", "someon", "somone", "smone", "smbdy", "sombody", "somebdy", "peeps",
        "worker", "workers", "colleague", "colleagues", "soul", "souls", "sum1", "summ1",
        "sumbody", "somebodys", "agent's", "clerk's", "advisor's", "services", "coworker",
        "coworkers", "co-worker", "co-workers",
        "attendant", "attendants", "administrator", "administrators", "cashier", "teller",
        "tellers", "banker", "planner", "organiser", "organizer", "underwriter", "headteacher",
        "head teacher", "headmaster", "librarian", "hostess", "surveyor", "assessor",
    ],
    upgraders: &[
        "real", "actual", "live", "living", "human", "physical", "genuine", "proper", "breathing",
        "senior", "qualified", "experienced", "competent", "on-call", "oncall", "in-house",
        "dedicated", "assigned", "responsible", "regional", "duty", "certified", "licensed",
        "trained", "reallife", "irl", "blood", "flesh-and-blood", "real-life", "in-person",
        "skilled", "knowledgeable",
    ],
    tails: &[
        "agent", "agents", "service", "being", "beings", "team", "staff", "rep", "reps",
        "representative", "representatives", "operator", "person", "member", "desk", "department",
        "services", "section", "office", "unit",
        "division", "people", "folks", "staffers", "personnel", "officer", "officers", "handler",
    ],
    not_before: &[
        "delivery", "travel", "shipping", "insurance", "estate", "user", "secret", "free", "double",
        "password", "download", "file", "task", "package", "booking", "virtual", "ai", "digital",
        "automated", "bot", "robot", "software", "transport", "courier", "customs", "voice",
        "smart", "google", "chat", "additional", "new", "second", "third", "authorized",
        "authorised", "primary", "secondary",
    ],
    not_after: COMMON_NOT_AFTER,
    false_friends: &[
        "contact person", "human error", "human resources", "human rights", "person to person",
        "human resources department", "human resources team", "hr department", "hr team",
        "my team", "our team", "my people", "my manager", "our manager", "my boss", "our boss",
        "my supervisor", "my employee", "my employees", "our employees", "my staff", "our staff",
        "employee pricing", "employee discount", "employee discounts", "employee program",
        "employee benefits", "employee perks", "employee rate", "employee referral",
        "staff discount", "my driver", "my doctor", "my director", "head of hair",
        "head of household", "head of state", "head office address", "on call fee",
        "landlord insurance", "human anatomy", "human biology", "human geography",
        "human development", "human physiology", "human behavior", "human behaviour",
        "human nature", "human trafficking", "human interest", "human capital",
        "my colleague", "my colleagues", "our colleague", "our colleagues", "my coworker",
        "my coworkers", "my worker", "my workers", "our workers", "social services",
        "financial services", "my services", "our services",
    ],
    glue_prefixes: &["to", "with", "a", "an"],

    contact: &[
        "talk", "talking", "talkin", "speak", "speaking", "speakin", "chat", "chatting", "chattin",
        "ask",
        "contact", "contacting", "reach", "reaching", "connect", "connecting", "transfer",
        "transferring", "redirect", "redirecting", "forward", "route", "escalate", "escalating",
        "call", "calling", "phone", "message", "communicate", "communicating", "consult",
        "converse", "discuss", "discussing", "get in touch", "getting in touch", "be in touch",
        "put me through", "put me in touch", "put through", "get through", "hand me over",
        "put me thru", "put thru", "transfer me 2",
        "hand me off", "hand off", "hand over", "hand this over", "pass me", "pass me over",
        "switch me", "switch", "switch over", "take me to", "get connected", "be connected",
        "be transferred", "be put through", "touch base", "get hold of", "get ahold of", "hand",
        "hand it", "hand this", "hand it over", "pass this", "pass it", "pass this on", "write to",
        "writing to", "forward this", "send this", "give this", "arrange for", "get a hold of",
        "reach out", "reach out to", "have a word", "callback", "call back", "call back from",
        "callback from", "hear from", "hear back from", "get transferred", "get redirected",
        "get passed", "help from", "assistance from", "support from", "patch me through",
        "patch through", "patch me", "flag me to", "flag this to", "flag it to", "refer me",
        "refer me to", "refer this to", "direct me to", "point me to", "loop in", "loop me in",
        "loop in with", "bump me up", "bump this up", "bump it up", "bump up", "kick this up",
        "kick it up", "kick up", "send me up", "run this past", "run this by", "run it past",
        "run it by", "hash this out with", "hash it out with", "hash out", "put me onto",
        "put me on to", "put me on with", "hook me up with", "hook me up", "word with",
        "a word with", "be passed", "be passed to", "be handed", "be handed over", "be referred",
        "be referred to", "be escalated", "be escalated to", "be switched", "passed to",
        "passed on to", "handed over to", "escalated to", "referred to", "speak w", "talk w", "tlk",
        "tlk to", "spk to", "chat w", "chat with", "liaise", "liaise with", "text", "texting",
        "msg", "dm", "ping", "email", "emailing", "sort this with", "raise this with",
        "raise it with", "take this up with", "take it up with", "sit down with", "meet with",
        "be put in touch", "be put in touch with", "put in touch", "put in touch with",
        "be contacted by", "be called by", "be phoned by", "be rung by", "be emailed by",
        "looked at by", "reviewed by", "handled by", "dealt with by", "checked by",
        "be called back by", "get a call from", "get a callback from", "help of", "assistance of",
        "support of", "put me back",
        "put me back through", "switch me back", "send me back", "transfer me back", "refer",
        "go through this with", "go over this with", "go through it with", "go over it with",
        "go through", "go over",
        "ring", "ringing", "phoning", "get on the phone with", "get on a call with",
        "hop on a call with", "jump on a call with", "get me through to", "pass me on",
        "pass me on to", "pass me along", "pass me to", "send me through", "escalate this",
        "escalate it", "refer me on", "switch me to", "switch me over", "connect me to",
        "connect me with", "video call", "facetime",
    ],
    desire: &[
        "want", "wanna", "need", "get", "gimme", "give me", "request", "requesting", "ask for",
        "asking for", "prefer", "would like", "i'd like", "id like", "i'd love", "demand",
        "require", "can i have", "could i have", "may i have", "let me have", "is there",
        "is there any", "where is", "where are", "where's", "see", "looking for", "find", "bring",
        "bring me", "start", "open", "summon", "send me", "rather have", "request for",
        "please have", "can you have", "could you have", "put", "needs", "request a", "requires",
        "insist on", "insisting on", "i insist on", "would love", "i would love", "i'd appreciate",
        "id appreciate", "could use", "can use", "could do with", "get me", "fetch", "fetch me",
        "grab", "grab me", "call in", "bring in", "send in", "send over", "send someone", "put on",
        "give us", "lemme have", "lemme talk", "gotta have", "must have", "must speak",
        "i'd prefer", "id prefer",
        "would prefer", "wish to", "hoping to", "hope to", "keen to", "looking to", "i'd sooner",
    ],
    fillers: &[
        "to", "with", "w", "wth", "wit", "a", "an", "the", "some", "me", "us", "my", "our", "your",
        "ur", "yr", "you", "one", "of", "any", "real", "actual", "actually", "live", "human",
        "qualified", "proper", "right", "fucking", "fuckin", "fking", "effing", "freaking",
        "frickin", "bloody", "damn", "damned", "goddamn", "goddam", "stupid", "directly", "now",
        "immediately", "please", "pls", "plz", "back", "over", "through", "up", "out", "in",
        "touch", "this", "that", "it", "chat", "call", "conversation", "case", "ticket", "issue",
        "problem", "request", "complaint", "just", "quickly", "asap", "again", "on", "line", "via",
        "by", "about", "for", "at", "least", "finally", "manual", "personal", "dedicated",
        "available", "2", "/", "helpful", "knowledgeable", "competent", "on-call", "quick", "word",
        "u", "ya", "yall", "y'all", "kindly", "else", "different", "another", "other", "new",
        "responsible", "relevant", "appropriate", "more", "senior", "higher",
        "query", "enquiry", "inquiry", "claim", "account", "order", "booking", "matter", "file",
        "concern", "question", "questions", "details", "application", "appeal",
        "experienced", "trained", "skilled", "genuine", "living", "breathing", "real-life",
        "in-person", "flesh-and-blood", "specific", "single", "capable", "decent", "friendly",
        "technical", "certified", "licensed", "physical",
    ],
    relative: &[
        "to", "who", "that", "i", "we", "can", "could", "may", "might", "will", "would", "please",
        "actually", "really", "which", "whom", "i'll", "i'd",
    ],
    relative_gate: &["to", "can", "could", "may", "might", "will", "would", "please"],
    modals: &[
        "can", "could", "may", "is", "are", "might", "can't", "cant", "couldn't", "couldnt",
        "won't", "wont",
    ],
    subject_verbs: &[
        "help", "assist", "call", "contact", "look", "handle", "check", "review", "take", "answer",
        "respond", "reply", "fix", "talk", "speak", "chat", "explain", "ring", "available", "give",
        "get back", "email", "reach", "phone", "see", "sort", "resolve", "deal", "around", "online",
        "there", "able", "hop on", "hop in", "jump on", "jump in", "step in", "pick up", "join",
        "come", "come on", "get on", "ring me", "text", "text me", "msg", "message", "dm", "ping",
        "drop", "follow up", "weigh in", "take over", "look into", "walk me through", "sit down",
        "free", "reach out", "get in touch", "touch base", "give me a call", "give me a ring",
        "give me a shout", "call me", "call me back", "ring me back", "contact me", "email me",
        "get back to me", "assist me", "help me", "advise", "intervene", "step up", "pop in",
        "drop in", "chime in", "have a look", "take a look", "sort it", "sort this", "fix this",
        "handle this",
        "pick this up", "pick it up", "take this on", "take it on", "take this over",
        "take it over", "reply to me", "respond to me", "get in contact", "look at this",
        "look at it", "deal with this", "deal with it", "contact me back",
    ],
    please: &[
        "please", "pls", "plz", "plzz", "plzzz", "plss", "pleeease", "pleasee", "pleaseee", "plox",
        "now", "asap", "immediately", "right", "rn", "quick", "quickly", "urgently", "again", "ok",
        "okay", "yes", "yeah", "just", "only", "available", "around", "online", "kindly", "thx",
        "thanks", "pretty please", "por favor", "mate", "thank you", "ty", "cheers", "xx", "x",
        "urgent", "now please", "asap please", "today", "right now", "sure", "hun", "pleeeease",
        "pls pls", "plzzzz",
    ],
    articles: &[
        "a", "an", "one", "some", "any", "to", "with", "a real", "an actual", "ur", "the right",
    ],
    farewells: &["thanks", "thank", "thx", "ty", "tks", "bye", "goodbye", "cheers"],

    negators: &[
        "not", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "never", "won't", "wont",
        "wouldn't", "wouldnt", "neither", "nor", "hardly", "no longer",
    ],
    det_negators: &[
        "no", "without", "nah", "zero", "instead of", "rather than", "other than", "none",
    ],
    neg_pass: &[
        "really", "even", "actually", "literally", "seriously", "think", "believe", "feel", "like",
        "i", "we", "to", "a", "an", "the", "any", "anymore", "necessarily", "have", "got", "gotta",
        "wanna", "it", "is", "it's", "that", "this", "so", "much", "more", "further", "ever",
        "just", "sure", "do", "currently", "yet", "need",
    ],
    neg_targets: &[
        "need", "needs", "needed", "necessary", "required", "require", "want", "wants", "wanted",
        "wish", "interested", "point", "use", "reason", "care", "bother", "keen",
    ],
    post_negations: &[
        "not needed", "not necessary", "not required", "no thanks", "no thank you", "not anymore",
        "no longer", "never mind", "nevermind", "forget it", "is not needed", "isn't needed",
        "isnt needed", "isn't necessary", "no need", "not now",
    ],
    hypothetical: &[
        "if", "whether", "in case", "suppose", "supposing", "hypothetically", "imagine",
        "yesterday", "ago", "earlier", "last week", "last time", "last month", "last night",
        "the other day", "previously", "in the past", "did", "would have", "could have",
        "should have", "ever", "thanks for", "thank you for", "thx for", "do i need",
        "do i have to", "do we need", "do we have to", "is it necessary", "must i", "should i",
        "said i", "says i", "told me i", "said that", "says that", "told me that", "said you",
        "says you",
    ],
    hypothetical_exceptions: &[
        "if so", "if yes", "if there is one", "if there are",
        "if possible", "if you can", "if u can", "if you could", "if u could", "if that's",
        "if thats", "if that is", "if it's possible", "if its possible", "if it is possible",
        "if you don't mind", "if you dont mind", "if you please", "if there is", "if there's",
        "if theres", "if anyone", "if someone", "if any", "do i need to do", "do i have to do",
        "do we need to do", "do we have to do", "should i do", "appreciate it if", "grateful if",
        "be great if", "be good if", "be nice if", "love it if", "be helpful if", "would help if",
    ],
    reported: &[
        "was", "were", "been", "had", "has", "he", "she", "wanted to", "wants to", "needed to",
        "needs to", "tried to", "tries to", "asked to", "asks to", "decided to", "managed to",
        "used to", "went to", "chose to", "refused to", "he'd", "she'd", "told me to",
        "tells me to", "said to", "says to", "asked me to", "asks me to", "telling me to",
        "saying to", "told to", "instructed to", "advised to",
    ],
    identity: &[
        "am i", "are we", "who am i talking", "who am i chatting", "who is answering",
        "who's answering", "who is replying", "who's replying", "who is on the other",
        "who's on the other", "who is typing", "who's typing", "are you a", "are you an",
        "are you real", "are you human", "are you the",
        "are you talking", "r u a", "are u a", "r u human", "are u human", "is this a",
        "is this an", "is this real", "is that a", "is that an", "is it a", "is it an",
        "is it human", "is it real", "was that a", "was it a", "are these", "is this actually",
        "is this really", "is this chat", "is this conversation", "is the chat",
    ],
    how_words: &["how", "where"],
    bot_words: &[
        "bot", "bots", "robot", "robots", "machine", "ai", "computer", "program", "chatbot",
        "automated", "automatic", "algorithm", "script",
    ],
    or_words: &["or"],
    clause_breaks: &["but", "however", "although", "though", "because", "cause", "cuz", "so"],
    infinitive_marks: &["to"],
    determiners: &[
        "a", "an", "the", "my", "your", "our", "his", "her", "their", "this", "that", "each",
    ],
    existence: &[
        "is there", "are there", "isn't there", "isnt there", "aren't there", "arent there",
        "is there not",
        "is", "are", "got any", "do you have", "do u have", "do you guys",
        "do u guys", "do y'all", "do you", "do u", "have you got", "you got", "you guys got",
        "you have", "does your company have", "does this company have", "does anyone",
        "does anybody", "does someone", "is there still", "are there still", "any", "are there any",
        "is there any", "are any", "r there", "r there any", "is there a", "do you have any",
        "do u have any", "have you any", "any chance of", "any chance", "u got", "u got any",
        "you got any",
        "ya got", "got any1", "anyone got",
    ],
    presence: &[
        "there", "here", "available", "around", "online", "working", "real", "alive", "awake",
        "reading", "answering", "who answer", "who answers", "that answer", "who reply",
        "who replies", "who read", "who reads", "who work", "who works", "who can",
        "on the other end", "on the line", "out there", "in there", "at all", "human", "listening",
        "on the phone", "on chat", "on the chat", "in chat", "on duty", "on shift", "today", "now",
        "right now", "left", "still", "anywhere", "free", "in the office", "at work", "on site",
        "onsite", "in today", "in now", "in the building", "manning", "staffing", "monitoring",
        "behind this", "behind the chat", "behind this chat", "behind the screen",
        "on the other side", "over there", "breathing", "still there", "still here",
    ],
    wh_words: &["what", "when", "which", "why", "whats", "what's", "wat", "how long", "how many"],
    titles: &[
        "mr", "mrs", "ms", "miss", "dr", "sir", "madam", "mister", "mrs.", "mr.", "ms.", "dr.",
        "prof", "prof.", "professor", "coach", "officer", "nurse", "doc", "auntie", "uncle",
        "pastor", "father", "captain", "detective", "judge", "madame", "mx", "rev",
    ],
    refused: &[
        "bot", "bots", "chatbot", "chatbots", "robot", "robots", "automated answers",
        "automated responses", "automated replies", "automatic answers", "automatic replies",
        "canned answers", "canned responses", "canned replies", "virtual assistant", "ai",
        "auto replies", "autoreplies", "automated system", "automated chat", "this machine",
        "machines", "scripted answers", "script", "chat bot", "chat-bot", "chatbot thing",
        "automated messages", "automated message", "autoresponder", "auto-responder", "auto reply",
        "auto-reply", "automated assistant", "ai assistant", "assistant bot", "canned messages",
        "robot voice", "ivr", "phone tree", "scripts", "automated bs", "bot thing", "a machine",
        "automated questions", "automated options",
        "automated menu", "automated menus", "the machine", "computer system",
        "generic answers", "generic responses", "generic replies", "robotic answers",
        "robotic responses", "template answers", "template responses", "prewritten answers",
        "pre-written answers", "copy paste answers", "faqs", "automated service", "automated line",
    ],
    refusals: &[
        "no more", "enough of", "enough with", "stop", "useless", "worthless", "pointless",
        "hopeless", "sick of", "tired of", "fed up", "done with", "hate", "can't stand",
        "cant stand", "refuse", "refuse to", "screw", "forget the", "not helping", "isn't helping",
        "isnt helping", "doesn't help", "doesnt help", "does not help", "not working", "garbage",
        "rubbish", "trash", "crap", "won't", "wont", "instead of", "rather than", "over the",
        "no to", "no bots", "no bot", "no robots", "quit", "done talking to",
        "done talking with", "no offense", "no offence", "nothing against", "with all due respect",
        "beyond", "can't help", "cant help", "cannot help", "can't fix", "cant fix", "can't answer",
        "cant answer", "can't understand", "cant understand", "doesn't understand",
        "doesnt understand", "does not understand", "not understanding", "going in circles",
        "in circles", "circles", "loop", "looping", "keeps sending", "keep sending",
        "keeps repeating", "keeps giving", "keep giving", "stupid", "dumb", "idiot", "moron",
        "clueless", "annoying", "infuriating", "ridiculous", "joke", "waste", "wasting",
        "waste of time", "get rid of", "skip", "bypass", "get past", "get around", "past the",
        "instead of a", "over a", "rather than a", "had enough", "give up on", "gave up on",
        "not talking to", "stop talking", "quit talking", "spare me", "not another", "you can't",
        "you cant", "you cannot", "any more", "anymore", "done talking", "finished with",
        "had it with", "fed up of", "sick and tired of", "stop sending", "stop giving", "stop with",
        "can't deal with", "cant deal with", "ditch",
        "not answering",
    ],

    fuzzy_verbs: true,
    not_typos: &[
        "talks", "speaks", "chats", "calls", "walks", "stalk", "stuff", "stuffs", "managed",
        "manages", "humane", "agency", "contract", "contracts", "contracting", "employer",
        "employers", "employed", "walk", "what", "that", "tall", "tale", "chap", "char", "taking",
        "walking", "falling", "teaching", "reacting", "reaches", "contacts", "parson", "reason",
        "prison", "operate", "operated", "advise", "advised", "expect", "export", "supports",
        "reporter", "separate", "office", "offices", "service", "serviced",
        "seller", "sellers", "taller", "tiller", "worked", "planned", "planter", "organised",
        "organized", "banked", "caller",
    ],
    short_typo_verbs: &["talk", "chat", "speak"],
    short_typo_preps: &["to", "with", "wit", "w", "wth", "wirh", "wiht"],
    ..Lexicon::EMPTY
};
