//! German and Dutch word tables for the explicit-request detector.
//!
//! Both languages put the infinitive last ("ich möchte mit jemandem *sprechen*", "mag ik iemand
//! *spreken*"), so `verb_final` lets a contact verb follow the noun directly, and they glue
//! nouns into compounds ("Kundendienstmitarbeiter", "klantenservicemedewerker"), which the
//! `*` suffix entries catch.

use super::lexicon::{COMMON_NOT_AFTER, Lexicon};

#[rustfmt::skip]
pub(crate) const DE: Lexicon = Lexicon {
    code: "de",
    capitalised_nouns: true,
    markers: &[
        "der", "die", "das", "ein", "eine", "einen", "einem", "mit", "ich", "mochte", "bitte",
        "nicht", "kein", "keinen", "und", "ist", "sprechen", "zu", "sie", "du", "danke", "hallo",
        "mein", "meine", "kann", "will", "mich", "mir", "jemandem", "brauche", "einer", "den", "es",
        "gibt", "hier", "auch", "wie", "was", "wo", "ja", "nein", "noch", "nur", "schon", "mal",
        "aber", "oder", "wir", "uns", "ihr", "ihnen", "haben", "habe", "bin", "bist", "sind",
        "wird", "werden", "mitarbeiter", "menschen", "mensch", "jemanden",
    ],
    strong: &[
        "mensch", "menschen", "mitarbeiter", "mitarbeiterin", "mitarbeitern", "*mitarbeiter",
        "*mitarbeiterin", "*mitarbeitern", "berater", "beraterin", "beratern", "*berater",
        "*beraterin", "kundendienst", "kundenservice", "kundensupport", "kundenbetreuung",
        "*betreuer", "*betreuerin", "agent", "agenten", "agentin", "operator", "operatorin",
        "sachbearbeiter", "sachbearbeiterin", "ansprechpartner", "ansprechpartnerin",
        "*ansprechpartner", "vorgesetzten", "vorgesetzter", "vorgesetzte", "supervisor", "manager",
        "teamleiter", "teamleiterin", "hotline", "servicecenter", "callcenter", "telefonist",
        "telefonistin", "verantwortlichen", "menschliche hilfe", "menschliche unterstutzung",
        "menschlichen kontakt", "jemand vom", "jemanden vom", "jemandem vom", "jemand aus",
        "jemanden aus", "jemandem aus", "kundenberater",
    ],
    weak: &[
        "person", "personen", "jemand", "jemanden", "jemandem", "support", "team", "personal",
        "techniker", "fachmann", "experten", "experte", "assistent", "assistenten",
    ],
    upgraders: &[
        "echte", "echten", "echter", "echtem", "echtes", "reale", "realen", "realer", "richtige",
        "richtigen", "richtiger", "menschliche", "menschlichen", "menschlicher", "lebende",
        "lebenden", "lebendigen", "wirkliche", "wirklichen", "wirklicher",
    ],
    not_after: COMMON_NOT_AFTER,
    contact: &[
        "sprechen", "reden", "chatten", "schreiben", "kontaktieren", "erreichen", "verbinden",
        "verbinde", "verbindet", "verbunden", "weiterleiten", "weiterverbinden", "durchstellen",
        "stellen sie mich durch", "stell mich durch", "kontakt", "telefonieren", "anrufen",
        "zuruckrufen", "unterhalten", "ubergeben", "weitergeleitet", "durchgestellt", "gesprach",
        "austauschen", "leiten sie", "leite mich", "in kontakt", "erreiche", "kontaktiere",
        "spreche", "rede", "chatte", "schreibe", "ruckruf",
    ],
    desire: &[
        "mochte", "mochten", "moechte", "will", "wollen", "brauche", "brauchen", "benotige",
        "benotigen", "hatte gern", "hatte gerne", "wurde gern", "wurde gerne", "wurde lieber",
        "kann", "konnen", "konnte", "darf", "gibt es", "suche", "verlange", "verlangen",
        "geben sie mir", "gib mir", "bitte um", "wunsche", "sehen", "holen sie", "hol mir",
    ],
    fillers: &[
        "mit", "einem", "einer", "einen", "ein", "eine", "dem", "der", "den", "die", "das", "zu",
        "zum", "zur", "bitte", "mal", "kurz", "direkt", "sofort", "jetzt", "gerne", "gern", "mich",
        "uns", "mir", "ich", "ihrem", "ihren", "ihrer", "ihre", "eurem", "euren", "eurer", "eure",
        "ihnen", "sie", "doch", "endlich", "einfach", "vom", "von", "aus", "an", "verdammt",
        "verdammten", "nochmal", "wieder", "personlich", "telefonisch", "am", "telefon",
        "irgendeinem", "irgendeinen", "echten", "echte", "echtem", "richtigen", "hier", "auch",
        "dringend", "schnell", "unbedingt", "durch",
    ],
    relative: &[
        "zu", "bitte", "mal", "kurz", "direkt", "sofort", "jetzt", "gerne", "gern", "ich", "mich",
        "mir", "uns", "am", "telefon", "telefonisch", "personlich", "dringend", "endlich",
        "einfach", "der", "die", "kann", "konnen", "werden", "lassen",
    ],
    verb_final: true,
    modals: &["kann", "konnte", "konnen", "darf"],
    subject_verbs: &[
        "helfen", "anrufen", "zuruckrufen", "kontaktieren", "melden", "ansehen", "prufen",
        "sprechen", "kummern",
    ],
    please: &[
        "bitte", "sofort", "jetzt", "dringend", "schnell", "endlich", "mal", "ja", "nun",
        "verfugbar",
    ],
    articles: &["ein", "eine", "einen", "einem", "einer", "irgendein", "irgendeinen", "mit"],
    farewells: &["danke", "dankeschon", "tschuss", "ciao"],
    negators: &["nicht", "nie", "niemals", "nicht mehr"],
    det_negators: &["kein", "keine", "keinen", "keinem", "keiner", "keines", "ohne"],
    neg_pass: &[
        "mit", "einem", "einer", "einen", "ein", "eine", "dem", "der", "den", "zu", "mehr",
        "wirklich", "unbedingt", "ich", "mal", "so", "gerade", "gern", "gerne", "jetzt", "zwingend",
        "extra", "echt", "echten", "echte", "mich", "mir", "da",
    ],
    ability: &["kann", "konnte", "konnen", "schaffe", "erreiche"],
    neg_targets: &[
        "notig", "noetig", "brauche", "brauchen", "erforderlich", "notwendig", "bedarf", "lust",
        "bedarf",
    ],
    post_negations: &[
        "nicht notig", "nicht noetig", "nein danke", "nicht erforderlich", "brauche ich nicht",
        "will ich nicht", "schon gut", "vergiss es", "nicht mehr",
    ],
    hypothetical: &[
        "wenn", "falls", "ob", "gestern", "vorhin", "neulich", "letzte woche", "letzten woche",
        "letztes mal", "damals", "fruher", "angenommen", "danke fur", "danke dass", "sagte",
        "hat gesagt", "meinte",
    ],
    hypothetical_exceptions: &[
        "wenn moglich", "wenn es geht", "wenn das geht", "wenn es moglich ist", "falls moglich",
        "wenn sie konnen", "wenn du kannst",
    ],
    reported: &["habe", "hat", "hatte", "war", "waren", "wollte", "versuchte"],
    identity: &[
        "bist du ein", "bist du eine", "bist du echt", "bist du mensch", "sind sie ein",
        "sind sie eine", "sind sie echt", "sind sie mensch", "seid ihr menschen", "ist das ein",
        "ist das eine", "ist das echt", "spreche ich", "rede ich", "chatte ich", "schreibe ich",
    ],
    how_words: &["wie", "wo", "wann"],
    bot_words: &["bot", "roboter", "maschine", "ki", "computer", "chatbot", "automat", "programm"],
    or_words: &["oder"],
    clause_breaks: &["aber", "sondern", "jedoch", "weil", "denn"],
    not_typos: &["mitarbeiten", "beraten", "menschlich"],
    ..Lexicon::EMPTY
};

#[rustfmt::skip]
pub(crate) const NL: Lexicon = Lexicon {
    code: "nl",
    markers: &[
        "de", "het", "een", "met", "ik", "wil", "niet", "geen", "graag", "spreken", "praten",
        "alstublieft", "en", "is", "mijn", "mij", "me", "dank", "bedankt", "hallo", "kan", "mag",
        "iemand", "van", "te", "je", "u", "hoef", "nodig", "heb", "er", "zijn", "ben", "bent",
        "hoe", "wat", "waar", "ja", "nee", "nog", "maar", "of", "wij", "ons", "jullie", "hebben",
        "wordt", "worden", "medewerker", "mens", "klantenservice", "even", "dit", "dat",
    ],
    strong: &[
        "medewerker", "medewerkster", "medewerkers", "*medewerker", "*medewerkster", "mens",
        "agent", "operator", "vertegenwoordiger", "adviseur", "adviseurs", "*adviseur",
        "klantenservice", "klantendienst", "klantenondersteuning", "helpdesk", "servicedesk",
        "supervisor", "manager", "leidinggevende", "iemand van", "iemand uit", "callcenter",
        "klantcontact", "menselijke hulp", "menselijk contact", "persoonlijk contact",
    ],
    weak: &["iemand", "persoon", "personen", "support", "team", "mensen", "assistent"],
    upgraders: &[
        "echt", "echte", "menselijke", "menselijk", "levend", "levende", "werkelijke", "fysieke",
    ],
    not_after: COMMON_NOT_AFTER,
    contact: &[
        "spreken", "praten", "chatten", "bellen", "contacteren", "bereiken", "doorverbinden",
        "verbinden", "verbind", "doorsturen", "contact", "doorzetten", "doorschakelen",
        "overdragen", "in contact", "spreek", "praat", "nodig", "gesprek", "krijgen", "overzetten",
        "doorverbonden", "doorgeschakeld", "bereik", "contacteer",
    ],
    desire: &[
        "wil", "willen", "wens", "zou graag", "zou willen", "graag", "kan", "kun", "kunt", "mag",
        "moet", "is er", "zijn er", "vraag", "geef me", "geef mij", "eis", "liever", "zoek",
        "krijgen", "wil graag",
    ],
    fillers: &[
        "met", "een", "de", "het", "echte", "echt", "naar", "me", "mij", "ons", "jullie", "uw",
        "je", "graag", "even", "nu", "direct", "meteen", "alstublieft", "aub", "svp", "van", "door",
        "toch", "gewoon", "eens", "nog", "verdomme", "liever", "ik", "aan", "lijn", "telefoon",
        "'n", "n",
    ],
    relative: &[
        "te", "even", "graag", "nu", "direct", "meteen", "ik", "me", "mij", "toch", "eens", "aan",
        "de", "lijn", "kunnen", "kan", "wil", "die", "dat", "telefonisch", "persoonlijk", "liever",
    ],
    verb_final: true,
    modals: &["kan", "kunt", "kun", "zou", "mag"],
    subject_verbs: &["helpen", "bellen", "terugbellen", "contacteren", "bekijken", "spreken"],
    please: &[
        "alstublieft", "alsjeblieft", "aub", "ajb", "svp", "graag", "nu", "snel", "direct",
        "meteen", "pls", "ja", "beschikbaar",
    ],
    articles: &["een", "'n", "n", "met"],
    farewells: &["bedankt", "dank", "dankjewel", "doei", "dag"],
    negators: &["niet", "nooit", "niet meer"],
    det_negators: &["geen", "zonder"],
    neg_pass: &[
        "met", "een", "de", "het", "echt", "te", "ik", "meer", "graag", "perse", "zo", "even", "nu",
        "eigenlijk", "heus", "mij", "me", "wel",
    ],
    neg_targets: &["nodig", "hoef", "hoeft", "hoeven", "behoefte", "zin"],
    ability: &["kan", "kon", "lukt", "slaag", "kunnen"],
    post_negations: &[
        "niet nodig", "nee bedankt", "nee dank je", "hoeft niet", "hoef ik niet", "laat maar",
        "niet meer", "wil ik niet",
    ],
    hypothetical: &[
        "als", "indien", "mocht", "stel dat", "gisteren", "vorige week", "eerder", "laatst",
        "vroeger", "ooit", "bedankt voor", "dank je voor", "dank u voor", "zei dat", "zegt dat",
        "zeiden dat",
    ],
    hypothetical_exceptions: &[
        "als het kan", "als dat kan", "als het mogelijk is", "als dat mogelijk is", "als u wilt",
        "als je wilt", "als het even kan",
    ],
    reported: &["heb", "had", "was", "waren", "wilde", "probeerde"],
    identity: &[
        "ben je een", "ben je echt", "ben jij een", "ben jij echt", "bent u een", "bent u echt",
        "is dit een", "is dit echt", "is dat een", "praat ik", "spreek ik", "chat ik", "ben ik",
    ],
    how_words: &["hoe", "waar", "wanneer"],
    bot_words: &["bot", "robot", "machine", "computer", "chatbot", "ai", "programma", "automaat"],
    or_words: &["of"],
    clause_breaks: &["maar", "echter", "omdat", "want"],
    not_typos: &["medewerken"],
    ..Lexicon::EMPTY
};
