//! Sentences written for these tests (none come from an evaluation set).

use super::*;
use crate::triggers::Line;

fn alone(text: &str) -> Frustration {
    frustration(&Context { earlier: &[], text, bot_failures: None, semantic: &[] })
}

fn with(earlier: &[Line], text: &str) -> Frustration {
    frustration(&Context { earlier, text, bot_failures: None, semantic: &[] })
}

fn contact(text: &str) -> Line<'_> {
    Line { speaker: Speaker::Contact, text }
}

fn bot(text: &str) -> Line<'_> {
    Line { speaker: Speaker::Bot, text }
}

fn signal<'a>(f: &'a Frustration, name: &str) -> Option<&'a Signal> {
    f.signals.iter().find(|s| s.name == name)
}

fn sentences(block: &str) -> impl Iterator<Item = &str> {
    block.split(['|', '\n']).map(str::trim).filter(|l| !l.is_empty())
}

/// Every sentence (separated by `|`) fires `name` with `lang` in its detail.
#[track_caller]
fn assert_signal(name: &str, lang: &str, block: &str) {
    let wrong: Vec<String> = sentences(block)
        .filter_map(|s| {
            let f = alone(s);
            let ok = signal(&f, name).is_some_and(|sig| sig.detail.contains(lang));
            (!ok).then(|| format!("{s:?} -> {:?}", f.signals))
        })
        .collect();
    assert!(wrong.is_empty(), "expected {name} ({lang}):\n{}", wrong.join("\n"));
}

/// No sentence fires `name`.
#[track_caller]
fn assert_no_signal(name: &str, block: &str) {
    let wrong: Vec<String> = sentences(block)
        .filter_map(|s| signal(&alone(s), name).map(|sig| format!("{s:?} -> {sig:?}")))
        .collect();
    assert!(wrong.is_empty(), "expected no {name}:\n{}", wrong.join("\n"));
}

/// Every sentence scores below `max` on its own.
#[track_caller]
fn assert_calm(max: f32, block: &str) {
    let wrong: Vec<String> = sentences(block)
        .filter_map(|s| {
            let f = alone(s);
            (f.score >= max).then(|| format!("{s:?} -> {:.2} {:?}", f.score, f.signals))
        })
        .collect();
    assert!(wrong.is_empty(), "expected a score below {max}:\n{}", wrong.join("\n"));
}

#[rustfmt::skip]
const NEGATIVE_WORDS: &[(&str, &str)] = &[
    ("en", "this app is useless | What a ridiculous answer | worst customer service I have ever had"),
    ("en", "I am fed up with this | this is a complete waste of time | honestly this is a scam"),
    ("es", "esto es inútil | me parece ridículo | el servicio es pésimo | estoy harta de esperar"),
    ("es", "es una pérdida de tiempo"),
    ("fr", "c'est nul | votre application est inutile | c'est inadmissible | j'en ai marre"),
    ("fr", "quelle perte de temps"),
    ("de", "das ist eine Frechheit | völlig unverschämt | der Service ist schlecht"),
    ("de", "ich habe die Nase voll | reine Zeitverschwendung"),
    ("pt", "isso é um absurdo | atendimento péssimo | que vergonha | estou sem paciência"),
    ("pt", "não aguento mais"),
    ("it", "è assurdo | servizio pessimo | sono stufo di aspettare | che vergogna"),
    ("nl", "dit is belachelijk | wat een waardeloze service | ik ben het zat | echt schandalig"),
    ("zh", "你们的服务太差了 | 真是浪费时间 | 垃圾客服"),
];

#[test]
fn negative_words_in_every_language() {
    for (lang, block) in NEGATIVE_WORDS {
        assert_signal("negative_words", lang, block);
    }
}

#[test]
fn negation_softens() {
    assert_no_signal(
        "negative_words",
        "not bad at all | it's not that bad | no es tan malo | ce n'est pas si mauvais | \
         das ist nicht schlecht | não é ruim | non è così difficile | niet slecht | 这个不差",
    );
    // A negated positive is a complaint, and "pas terrible" one too.
    assert_signal("negative_words", "en", "that was not helpful");
    assert_signal("negative_words", "es", "la respuesta no es nada clara");
    assert_signal("negative_words", "fr", "c'est pas terrible");
    assert_signal("negative_words", "de", "das ist nicht gut");
    // A comma ends the negation: "no" answers, "ridiculous" still counts.
    assert_signal("negative_words", "en", "no, this is ridiculous");
}

#[rustfmt::skip]
const PROFANITY: &[(&str, &str)] = &[
    ("en", "what the hell is going on | this stupid bot"),
    ("es", "qué mierda | bot estúpido"),
    ("fr", "putain de bot | c'est de la merde"),
    ("de", "so eine Scheiße | Scheißservice"),
    ("pt", "que porra é essa | que merda"),
    ("it", "che cazzo | bot stupido"),
    ("nl", "wat een kutbedrijf | verdomme"),
];

#[test]
fn profanity_in_every_language() {
    for (lang, block) in PROFANITY {
        assert_signal("profanity", lang, block);
    }
    assert_no_signal(
        "profanity",
        "I'd like to scrape the old paint off | the shipping address has a typo | Scherzo a parte, come va?",
    );
}

#[rustfmt::skip]
const WAITING: &[(&str, &str)] = &[
    ("en", "I'm still waiting for my refund | I have been waiting for days | I already restarted the router"),
    ("en", "how many times do I have to explain this | as I said, the card was charged twice"),
    ("es", "sigo esperando mi pedido | ya lo he probado | llevo días sin servicio"),
    ("fr", "toujours pas de réponse | je l'ai déjà essayé | depuis des semaines"),
    ("de", "immer noch kein Paket | ich habe es schon versucht | seit Tagen"),
    ("pt", "já fiz isso | já reiniciei o aparelho | há dias que espero"),
    ("it", "l'ho già provato | sto ancora aspettando | da giorni"),
    ("nl", "nog steeds niets | ik heb het al geprobeerd | al weken"),
    ("zh", "等了好几天还没到"),
];

#[test]
fn waiting_and_repeated_effort() {
    for (lang, block) in WAITING {
        assert_signal("waiting_complaint", lang, block);
    }
    // "already" with no past verb after it is no complaint, nor "again" in thanks.
    assert_no_signal(
        "waiting_complaint",
        "I already have an account | já tenho conta | j'ai déjà un compte | thanks again!",
    );
}

#[rustfmt::skip]
const BLAME: &[(&str, &str)] = &[
    ("en", "you don't understand what I'm asking | please answer my question"),
    ("es", "no me entiendes"),
    ("fr", "vous ne comprenez pas"),
    ("de", "Sie verstehen mich nicht"),
    ("pt", "você não entendeu"),
    ("it", "non mi capisci"),
    ("nl", "je begrijpt het niet"),
    ("zh", "你听不懂吗"),
];

#[test]
fn blame_and_pushback() {
    for (lang, block) in BLAME {
        assert_signal("blame", lang, block);
    }
    assert_signal("pushback", "pt", "Mas eu já fiz isso ontem");
    assert_signal("pushback", "fr", "Mais je vous ai dit que ça ne marche pas");
    // "Más" is Spanish "more", "Ma" French "my": not an objection in their language.
    assert_no_signal(
        "pushback",
        "Mas información sobre el envío por favor | Ma commande est arrivée hier | But",
    );
}

#[test]
fn capitals_versus_acronyms() {
    let shouted = alone("WHY IS MY ORDER NOT HERE YET");
    assert!(signal(&shouted, "all_caps").is_some(), "{shouted:?}");
    assert_no_signal(
        "all_caps",
        "My PIN and IBAN are not accepted | OK | NASA | I ordered the XL size and got an XXL | \
         my code is AB12CD34EF | THANK YOU SO MUCH",
    );
    // A contact who writes in capitals all along is not shouting now.
    let earlier = [contact("HELLO I NEED A NEW CARD"), bot("Sure."), contact("IT IS FOR MY SON")];
    let habitual = with(&earlier, "WHY IS MY ORDER NOT HERE YET");
    let weight = |f: &Frustration| signal(f, "all_caps").map_or(0.0, |s| s.weight);
    assert!(weight(&habitual) < weight(&shouted) / 2.0, "{habitual:?}");
}

#[test]
fn repeated_punctuation() {
    for text in ["Where is my order???", "Are you serious?!", "Answer me!!!", "你好？？？"] {
        assert!(signal(&alone(text), "repeated_punctuation").is_some(), "{text}");
    }
    assert_no_signal(
        "repeated_punctuation",
        "Where is my order? | Hello! Can you help me? | Great, thanks!!!",
    );
}

#[test]
fn repetition_versus_a_new_question() {
    let earlier =
        [contact("How do I reset the password of my account?"), bot("You can reset it from the login page.")];
    let again = with(&earlier, "how do I reset the password of my account");
    assert!(signal(&again, "repetition").is_some(), "{again:?}");
    let new = with(&earlier, "How do I change the delivery address of an order?");
    assert!(signal(&new, "repetition").is_none(), "{new:?}");
    // Too short to tell.
    let short = with(&[contact("yes please"), bot("Done.")], "yes please");
    assert!(signal(&short, "repetition").is_none(), "{short:?}");
}

#[test]
fn bot_failures_per_language() {
    for text in [
        "Sorry, I didn't understand that. Could you rephrase?",
        "I'm afraid I can't help with that.",
        "Lo siento, no entendí tu pregunta.",
        "Désolé, je n'ai pas compris.",
        "Das habe ich leider nicht verstanden.",
        "Desculpe, não entendi. Pode reformular?",
        "Mi dispiace, non ho capito.",
        "Sorry, dat heb ik niet begrepen.",
        "抱歉，我不明白您的意思",
    ] {
        assert!(looks_like_bot_failure(text), "{text}");
    }
    for text in [
        "Your order ships tomorrow.",
        "I understand, let me check that for you.",
        "Claro, tu pedido llega mañana.",
        "Votre commande est en route.",
        "Ihre Bestellung ist unterwegs.",
        "Seu pedido foi enviado.",
        "Il tuo ordine è stato spedito.",
        "Uw bestelling is onderweg.",
        "您的订单已发货",
    ] {
        assert!(!looks_like_bot_failure(text), "{text}");
    }
}

#[test]
fn bot_failures_raise_the_score() {
    let sorry = "Sorry, I didn't understand that.";
    let earlier = [contact("where is my parcel"), bot(sorry), contact("my parcel, where is it"), bot(sorry)];
    let inferred = with(&earlier, "tracking number 12345");
    assert_eq!(signal(&inferred, "bot_failures").map(|s| s.detail.as_str()), Some("2 in a row"));
    let told = frustration(&Context {
        earlier: &[],
        text: "tracking number 12345",
        bot_failures: Some(3),
        semantic: &[],
    });
    assert!(told.score > inferred.score, "{told:?}");
    assert_eq!(alone("tracking number 12345").score, 0.0);
}

#[test]
fn a_negative_run_carries_over() {
    let earlier = [contact("this is ridiculous, nothing works"), bot("I'm sorry to hear that.")];
    let after = with(&earlier, "ok and now what");
    assert!(signal(&after, "negative_run").is_some(), "{after:?}");
    assert!(after.score > alone("ok and now what").score);
    // Thanks are calm whatever came before.
    let thanks = with(&earlier, "ok thank you, that worked");
    assert_eq!(thanks.score, 0.0, "{thanks:?}");
}

#[test]
fn help_that_did_not_help_counts_once_the_bot_answered() {
    // Opening a conversation with a problem is no complaint about the help.
    for text in [
        "my card doesn't work at the terminal",
        "mi tarjeta no funciona",
        "meine Karte funktioniert nicht",
        "o aplicativo não funciona no meu celular",
        "我的卡不行",
    ] {
        let greeted = [bot("Hi! How can I help?")];
        assert!(signal(&with(&greeted, text), "unresolved").is_none(), "{text:?}");
    }
    let advice = [contact("the app crashes on start"), bot("Please reinstall it and sign in again.")];
    for text in [
        "I did, it still crashes. Nothing happens when I tap the icon",
        "lo hice y sigue igual",
        "ça ne marche pas",
        "hat nicht funktioniert",
        "não funcionou",
        "non ha funzionato",
        "werkt nog steeds niet",
        "还是不行",
    ] {
        let f = with(&advice, text);
        assert!(signal(&f, "unresolved").is_some(), "{text:?} -> {f:?}");
    }
    // Said again after more advice, it weighs more, and a third time it hands off with the
    // bot's own failures or any other sign.
    let once = with(&advice, "that didn't work");
    let longer = [
        contact("the app crashes on start"),
        bot("Please reinstall it and sign in again."),
        contact("that didn't work"),
        bot("Then please clear the app's storage."),
        contact("did that, no change"),
        bot("Please restart the phone."),
    ];
    let thrice = with(&longer, "still nothing happens, same error");
    let weight = |f: &Frustration| signal(f, "unresolved").map_or(0.0, |s| s.weight);
    assert!(weight(&thrice) > weight(&once) && weight(&once) > 0.0, "{once:?} {thrice:?}");
    assert!(thrice.score >= DEFAULT_THRESHOLD, "{thrice:?}");
    assert!(once.score < DEFAULT_THRESHOLD, "{once:?}");
}

#[test]
fn a_need_rephrased_after_the_bot_answered() {
    let earlier = [
        contact("I need to change the delivery address of my order"),
        bot("You can see your orders under Account > Orders."),
    ];
    let again = with(&earlier, "how do I change the address for delivering my order?");
    assert!(signal(&again, "rephrased").is_some(), "{again:?}");
    // Not before the bot answered, and not a new question.
    let unanswered = [contact("I need to change the delivery address of my order")];
    assert!(
        signal(&with(&unanswered, "how do I change the address for delivering my order?"), "rephrased")
            .is_none()
    );
    assert!(signal(&with(&earlier, "and can I pay with a voucher?"), "rephrased").is_none());
}

#[test]
fn softened_complaints_are_mild() {
    let plain = alone("the delay is annoying");
    let softened = alone("the delay is a bit annoying");
    assert!(softened.score < plain.score && softened.score > 0.0, "{plain:?} {softened:?}");
    for (plain, softened) in [
        ("das ist ärgerlich", "das ist etwas ärgerlich"),
        ("c'est frustrant", "c'est un peu frustrant"),
        ("questo è fastidioso", "questo è un po' fastidioso"),
        ("dat is irritant", "dat is een beetje irritant"),
        ("这个太差了", "这个有点太差了"),
    ] {
        assert!(alone(softened).score < alone(plain).score, "{plain:?} vs {softened:?}");
    }
    // A mild word softened says nothing.
    assert_no_signal("negative_words", "it is a little confusing | es un poco difícil | 有点失望");
}

#[test]
fn complaints_and_fraud_named_calmly_do_not_hand_off() {
    assert_calm(
        DEFAULT_THRESHOLD,
        "How do I file a complaint about a delivery?
         Is this text message a scam?
         Can my lawyer see the contract?
         ¿Dónde presento una reclamación?
         Comment déposer une plainte ?
         Wo reiche ich eine Beschwerde ein?
         Isso é fraude?
         Come faccio un reclamo?
         Waar dien ik een klacht in?
         这是诈骗吗？",
    );
    // Said with anger, or as a threat, they still do.
    assert!(alone("This is a SCAM, I want my money back!!!").score >= DEFAULT_THRESHOLD);
    for threat in [
        "you will hear from my lawyer",
        "mein Anwalt wird sich bei Ihnen melden",
        "meu advogado vai entrar em contato",
        "mon avocat va vous écrire",
    ] {
        assert!(alone(threat).score >= DEFAULT_THRESHOLD, "{threat:?} -> {:?}", alone(threat));
    }
}

#[test]
fn calm_messages_stay_low() {
    assert_calm(0.3, "
        Hello, I would like to know when my order will arrive. I placed it last Monday and the tracking page says it is being prepared.
        Hola, quisiera cambiar la dirección de entrega de mi pedido, ¿es posible hacerlo desde la aplicación?
        Bonjour, je voudrais savoir si je peux payer en trois fois sans frais.
        Guten Tag, ich möchte meine Adresse ändern, weil ich nächsten Monat umziehe.
        Olá, gostaria de saber como faço para alterar a forma de pagamento da minha assinatura.
        Buongiorno, vorrei sapere se posso restituire un articolo acquistato in negozio.
        Goedemiddag, ik wil graag weten wanneer mijn bestelling wordt geleverd.
        你好，我想查询一下我的订单什么时候发货
        Great, thank you so much for your help!!!
    ");
}

#[test]
fn scores_are_bounded_and_explained() {
    let worst = "THIS IS USELESS!!! WORST SERVICE EVER, I HAVE BEEN WAITING FOR DAYS, YOU DON'T \
                 UNDERSTAND ANYTHING, WHAT A FUCKING SCAM 😡";
    let earlier = [
        contact(worst),
        bot("Sorry, I can't help with that."),
        contact(worst),
        bot("Sorry, I didn't understand."),
    ];
    let f = frustration(&Context { earlier: &earlier, text: worst, bot_failures: None, semantic: &[] });
    assert!((0.0..=1.0).contains(&f.score) && f.score > 0.95, "{f:?}");
    for text in ["", "   ", "!!!", "ok", "😡😡😡", worst] {
        let f = alone(text);
        assert!((0.0..=1.0).contains(&f.score), "{text:?} -> {f:?}");
        // The score is the noisy-or of the signals' weights, so the signals explain it.
        let keep: f32 = f.signals.iter().map(|s| 1.0 - s.weight).product();
        assert!((f.score - (1.0 - keep)).abs() < 1e-5, "{f:?}");
        assert!(f.score < DEFAULT_THRESHOLD || !f.signals.is_empty());
    }
    assert_eq!(alone("").signals, []);
}

#[test]
fn strong_frustration_crosses_the_default_threshold() {
    for text in [
        "This is useless, I want my money back",
        "I've been waiting for days and nobody answers!!!",
        "Estoy harto, llevo días esperando",
        "C'est inadmissible, toujours pas de réponse",
        "Das ist eine Frechheit, ich warte seit Wochen",
        "Que absurdo, já fiz isso três vezes",
        "È assurdo, sto ancora aspettando",
        "Dit is belachelijk, ik wacht al weken",
        "你们太差了，等了好几天还没到",
    ] {
        let f = alone(text);
        assert!(f.score >= DEFAULT_THRESHOLD, "{text:?} -> {f:?}");
    }
}

#[test]
fn tables_are_well_formed() {
    for (stem, code) in index::all_stems() {
        assert!(stem.len() >= index::STEM_KEY, "stem {stem:?} ({code}) is too short");
    }
    // The pushback check reads the explicit detector's function words by position.
    let codes: Vec<&str> = lexicon::LEXICONS.iter().map(|lx| lx.code).collect();
    let marker_codes: Vec<&str> = crate::triggers::lexicon::LEXICONS.iter().map(|lx| lx.code).collect();
    assert_eq!(codes, marker_codes);
}

#[test]
fn waiting_said_in_the_first_message_asks_where_things_are() {
    // Opening the conversation: a question the bot may answer, under the balanced threshold.
    for opening in [
        "the replacement card still hasn't come",
        "la commande n'est toujours pas là",
        "das Paket ist immer noch unterwegs",
    ] {
        let first = alone(opening);
        assert!(signal(&first, "waiting_complaint").is_some(), "{opening}: {first:?}");
        assert!(first.score < 0.6, "{opening}: {first:?}");
    }
    // The same words once the bot has answered are a complaint.
    let earlier = [contact("where is my replacement card?"), bot("It was posted on Monday.")];
    let later = with(&earlier, "the replacement card still hasn't come");
    assert!(later.score >= 0.6, "{later:?}");
    // More than waiting still hands off from the first message, and so does a helper named.
    assert!(alone("still waiting for my refund, this is ridiculous").score >= 0.6);
    assert!(
        alone("the replacement card still hasn't come, can someone in the card team check?").score >= 0.6
    );
}
