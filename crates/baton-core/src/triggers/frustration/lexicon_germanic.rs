//! German and Dutch words of frustration.
//!
//! German and Dutch glue words together, so insults and complaints are often stems
//! ("scheiß*" also matches "Scheißservice"). German "satt" alone is "full" (after a meal) and
//! Dutch "zat" alone is "sat": both are kept only in "es satt haben", "het zat zijn".

use super::lexicon::Lexicon;

#[rustfmt::skip]
pub(super) const DE: Lexicon = Lexicon {
    code: "de",
    strong: &[
        "nutzlos*", "sinnlos*", "lächerlich*", "absurd*", "schrecklich*", "furchtbar*",
        "katastroph*", "frechheit", "unverschämt*", "inakzeptabel", "unakzeptabel", "zumutung",
        "skandal*", "abzocke", "schlechteste*", "die nase voll",
        "jetzt reicht", "reicht mir", "es satt", "wütend", "sauer", "verärgert", "genervt",
        "nervig", "frustr*", "ärgerlich", "zeitverschwendung", "inkompetent*", "saftladen",
        "schande", "danke für nichts", "ich gebe auf", "geht gar nicht",
        "verbraucherzentrale", "anzeige erstatten", "ein witz", "verarschen",
        "verarscht",
        "mein anwalt wird", "mein anwalt meldet", "anwalt einschalten", "meinen anwalt einschalten",
        "schalte meinen anwalt",
    ],
    mild: &[
        "schlecht*", "unmöglich", "kompliziert", "schwierig", "enttäusch*", "hilft nicht",
        "hilft nichts", "hilft mir nicht", "bringt nichts", "meine rechte",
        "betrug", "betrüger", "beschwerde", "anwalt", "rechtsanwalt",
    ],
    profanity: &[
        "scheiß*", "scheiss*", "verdammt*", "kacke", "arschloch*", "idiot", "idioten", "blöd*",
        "dumm", "dumme", "dummer", "dämlich*", "verflucht*", "zum teufel", "fick dich", "ficken",
        "gefickt",
    ],
    waiting: &[
        "immer noch", "noch immer", "warte seit", "warte schon", "warten seit", "seit tagen",
        "seit wochen", "seit stunden", "seit monaten", "schon wieder", "schon gesagt",
        "schon erklärt", "mehrmals", "mehrfach", "zum x ten mal", "wie oft", "zig mal",
        "keine antwort", "niemand antwortet", "niemand hilft", "nichts funktioniert", "nichts geht",
        "wie ich schon sagte", "ich sagte doch", "ich habe gerade gesagt", "ich wiederhole",
        "alles von vorne", "dritten mal", "vierten mal", "fünften mal",
    ],
    again: &[
        "dasselbe problem", "das gleiche problem", "der gleiche fehler", "derselbe fehler",
        "wieder", "erneut", "wie gesagt", "noch mal", "nochmal", "noch nicht", "niemand",
        "ist da jemand", "hallo ?", "jedes mal", "zweiten mal",
    ],
    blame: &[
        "sie verstehen nicht", "du verstehst nicht", "sie verstehen mich nicht",
        "du verstehst mich nicht", "verstehen sie nicht", "verstehst du nicht", "hören sie mir",
        "hörst du mir", "lesen sie meine", "lies meine", "beantworten sie meine frage",
        "beantworte meine frage", "macht keinen sinn", "ergibt keinen sinn", "sie helfen mir nicht",
        "du hilfst mir nicht", "ihr tut nichts", "sie tun nichts", "haben sie gelesen",
        "hast du gelesen", "lesen sie überhaupt", "liest du überhaupt",
    ],
    positive: &[
        "hilfreich", "gut", "okay", "akzeptabel", "zufrieden", "klar", "schön", "in ordnung",
    ],
    thanks: &[
        "danke", "dankeschön", "vielen dank", "super", "perfekt", "toll", "prima", "klasse",
        "wunderbar",
    ],
    negators: &["nicht", "nie", "niemals", "kein", "keine", "keinen", "nichts"],
    downtoners: &["etwas", "bisschen", "bissl", "leicht"],
    neg_pass: &[
        "so", "sehr", "gar", "ganz", "wirklich", "ist", "war", "das", "ja", "zu", "besonders",
        "allzu",
    ],
    pushback: &["aber"],
    already: &["schon", "bereits"],
    done_forms: &["ge*t", "ge*en", "*iert", "versucht", "erklärt", "bezahlt", "überprüft"],
    bot_failure: &[
        "nicht verstanden", "verstehe ich nicht", "ich verstehe nicht",
        "ich verstehe sie nicht", "ich verstehe dich nicht", "anders formulieren",
        "umformulieren", "kann ich nicht helfen", "kann ich ihnen nicht helfen",
        "kann ich dir nicht helfen", "kann ihnen nicht helfen", "kann dir nicht helfen",
        "weiß ich nicht", "ich weiß nicht", "keine informationen", "nichts gefunden",
        "kann ich nicht beantworten",
    ],
    unresolved: &[
        "funktioniert nicht", "funktioniert immer noch nicht", "hat nicht funktioniert",
        "klappt nicht", "hat nicht geklappt", "geht nicht", "geht immer noch nicht",
        "passiert nichts", "nichts passiert", "keine änderung", "nichts geändert", "ändert nichts",
        "gleiche fehler", "gleichen fehler", "gleiche meldung", "gleiche problem",
        "trotzdem nicht", "immer noch nicht", "nicht gelöst", "nicht behoben",
        "das ist es nicht",
    ],
};

#[rustfmt::skip]
pub(super) const NL: Lexicon = Lexicon {
    code: "nl",
    strong: &[
        "nutteloo*", "belachelijk*", "absurd*", "verschrikkelijk*", "vreselijk*", "waardelo*",
        "slechtste", "schandalig*", "schande", "onacceptabel", "onaanvaardbaar",
        "ben het zat", "het zat", "ben het beu", "het beu", "klaar mee", "boos", "kwaad", "woedend",
        "geïrriteerd", "irritant", "gefrustreerd", "frustrerend", "tijdverspilling",
        "zonde van mijn tijd", "incompetent*", "een grap", "rampzalig",
        "bedankt voor niets", "ik geef het op", "consumentenbond", "aangifte doen",
        "in de maling",
        "mijn advocaat gaat", "mijn advocaat neemt", "mijn advocaat zal", "advocaat inschakelen",
        "schakel mijn advocaat",
    ],
    mild: &[
        "slecht*", "moeilijk", "ingewikkeld", "lastig", "teleurgesteld", "teleurstellend",
        "helpt niet", "helpt niets", "helpt me niet", "mijn rechten",
        "oplicht*", "klacht", "advocaat",
    ],
    profanity: &[
        "kut*", "klote*", "godverdomme", "verdomme", "tering", "tyfus", "idioot", "idioten",
        "stom", "stomme", "debiel*", "sukkel*", "shit", "fuck*",
    ],
    waiting: &[
        "nog steeds", "nog altijd", "wacht al", "al dagen", "al weken", "al uren", "al maanden",
        "al gezegd", "al uitgelegd", "meerdere keren", "zo vaak", "hoe vaak", "steeds weer",
        "alweer", "niemand reageert", "niemand helpt", "niets werkt", "geen antwoord",
        "geen reactie", "hetzelfde antwoord", "zoals ik al zei", "zoals ik zei", "ik zei net",
        "ik herhaal", "alles opnieuw", "derde keer", "vierde keer", "vijfde keer",
    ],
    again: &[
        "hetzelfde probleem", "dezelfde fout", "weer", "opnieuw", "nog niet", "niemand",
        "is er iemand", "hallo ?", "elke keer", "iedere keer", "telkens", "tweede keer",
    ],
    blame: &[
        "je begrijpt het niet", "u begrijpt het niet", "jullie begrijpen het niet",
        "begrijp je het niet", "je begrijpt me niet", "u begrijpt me niet", "luister je",
        "lees mijn bericht", "beantwoord mijn vraag", "slaat nergens op", "heeft geen zin",
        "heb je gelezen", "heeft u gelezen", "lees je wel",
    ],
    positive: &[
        "nuttig", "goed", "oké", "oke", "acceptabel", "tevreden", "blij", "duidelijk",
    ],
    thanks: &[
        "bedankt", "dank", "dankjewel", "dankuwel", "top", "perfect", "super", "geweldig",
        "prima",
    ],
    negators: &["niet", "nooit", "geen", "niets", "niks"],
    downtoners: &["beetje", "ietwat", "enigszins"],
    neg_pass: &["zo", "erg", "heel", "echt", "is", "was", "helemaal", "te", "dat", "het"],
    pushback: &["maar"],
    already: &["al", "reeds"],
    done_forms: &["ge*d", "ge*t", "ge*n", "verstuurd", "betaald", "uitgelegd"],
    bot_failure: &[
        "niet begrepen", "begrijp ik niet", "ik begrijp het niet", "ik begrijp je niet",
        "ik begrijp u niet", "snap ik niet", "anders formuleren", "herformuleren",
        "kan je niet helpen", "kan u niet helpen", "kan ik niet helpen",
        "kan ik je niet mee helpen", "kan ik u niet mee helpen", "weet ik niet",
        "ik weet het niet", "geen informatie", "niets gevonden",
    ],
    unresolved: &[
        "werkt niet", "werkt nog steeds niet", "heeft niet gewerkt", "lukt niet", "is niet gelukt",
        "lukt nog steeds niet", "gebeurt niets", "gebeurt niks", "niets veranderd",
        "niks veranderd", "zelfde fout", "dezelfde fout", "dezelfde melding",
        "nog steeds niet", "toch niet", "alsnog",
        "dat is het niet", "niet opgelost",
    ],
};
