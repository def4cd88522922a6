//! Sentences written for these tests (none come from an evaluation set).

use super::*;

/// Every sentence must fire with the given language; failures are reported together.
#[track_caller]
fn assert_fires(language: &str, sentences: &[&str]) {
    let wrong: Vec<String> = sentences
        .iter()
        .filter_map(|s| match detect_explicit_request(s) {
            Some(r) if r.language == language => None,
            other => Some(format!("{s:?} -> {other:?}")),
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "expected a {language} request:\n{}",
        wrong.join("\n")
    );
}

/// No sentence may fire.
#[track_caller]
fn assert_silent(sentences: &[&str]) {
    let wrong: Vec<String> = sentences
        .iter()
        .filter_map(|s| detect_explicit_request(s).map(|r| format!("{s:?} -> {r:?}")))
        .collect();
    assert!(
        wrong.is_empty(),
        "expected no request:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn english_requests() {
    assert_fires(
        "en",
        &[
            "I'd like to speak with a human please",
            "can I talk to someone real?",
            "real person please",
            "let me speak to an agent",
            "operator",
            "Representative!",
            "connect me with your support staff",
            "how do I reach a person?",
            "get me a human",
            "put me through to a supervisor",
            "transfer me to a live agent now",
            "I need to talk to customer service",
            "is there a human I could chat with?",
            "human please",
            "AGENT!!",
            "Can a real person look at my case?",
            "I want to speak to your manager",
            "please escalate this to a human",
            "this bot is useless, give me a human",
            "Hello, can I get an actual person on the line?",
            "need a rep asap",
            "can you transfer this chat to an employee",
            "I demand to speak to someone in charge",
            "ok, connect me to a consultant",
            "Talk to human",
            "I want to talk to somebody about my refund",
            "i'd like to contact tech support",
            "I don't want to wait, I want an agent",
            "I don't know how to reach a real person",
            "I can't get through to anyone on your team",
            "No, I want to talk to a person",
            "Is it possible to chat with someone from billing?",
            "I'd rather speak to a human being than to a bot",
            "I need someone to talk to about this charge",
            "live agent",
            "Can I have a human please",
            "contact support",
            "hi, human please",
        ],
    );
}

#[test]
fn english_typos() {
    assert_fires(
        "en",
        &[
            "can i speek to a humna",
            "talk to an agnet pls",
            "I want to talkk with somneone",
            "need a real persn",
            "connect me to a representitive",
            "let me chta with an operator",
            "speking with a person plz",
            "can I tlak to a human",
            "I want to speak wiht an agent",
            "how to talk tosomebody",
        ],
    );
}

#[test]
fn english_negation_hypotheticals_and_reports_stay_silent() {
    assert_silent(&[
        "I don't need a human",
        "no need for an agent, thanks",
        "I don't want to talk to anyone",
        "I do not wish to speak with a representative",
        "no human please, just answer the question",
        "I'd rather not talk to a person",
        "I really don't think I need an operator",
        "a human? no thanks",
        "Agent please... actually never mind",
        "if I needed a human could I get one later?",
        "my friend talked to an agent yesterday",
        "the agent told me my refund was sent",
        "I spoke to someone last week about this",
        "I was talking to an agent and the chat closed",
        "I tried to contact support but nobody answered",
        "she wants to talk to a manager",
        "is this a bot or a human?",
        "am I talking to a real person?",
        "are you a human?",
        "Your agent was very helpful",
    ]);
}

#[test]
fn chit_chat_stays_silent() {
    assert_silent(&[
        "never mind",
        "ok thanks",
        "hi",
        "hello",
        "thank you agent",
        "thanks, agent!",
        "yes",
        "no",
        "bye",
        "great, thanks for the help",
        "help",
        "I need help",
        "can you help me?",
        "anyone is fine",
        "choose anyone",
        "",
    ]);
}

#[test]
fn ordinary_requests_stay_silent() {
    assert_silent(&[
        "add another person to my account",
        "I need to change the delivery agent address",
        "cancel my order",
        "the app is not working",
        "where is my package",
        "I want to speak Spanish",
        "How many employees do you have?",
        "can I share my account with someone else?",
        "I want to transfer money to someone",
        "someone used my card without permission",
        "my manager asked me to cancel the subscription",
        "Do your agents speak French?",
        "What are your customer service hours?",
        "I need help with my password manager",
        "Please update the contact person on my account",
        "I want support changing my shipping address",
        "how do I contact the seller about a contract",
        "my travel agent booked the wrong flight",
        "the person who delivered my package was rude",
        "I need to update the user agent string",
    ]);
}

#[test]
fn spanish() {
    assert_fires(
        "es",
        &[
            "quiero hablar con una persona",
            "agente por favor",
            "¿Puedo hablar con un asesor?",
            "pásame con un humano",
            "necesito un operador",
            "me gustaría hablar con alguien de atención al cliente",
            "comunícame con un agente, por favor",
            "¿Hay alguna persona real con quien pueda hablar?",
            "quiero que me atienda una persona",
            "con un asesor, por favor",
            "quiero hablar con un ajente",
        ],
    );
    assert_silent(&[
        "no quiero hablar con un agente",
        "no necesito un asesor",
        "no hace falta un humano",
        "mi amigo habló con un agente ayer",
        "si necesitara un agente, ¿podría pedirlo después?",
        "¿eres un bot o una persona?",
        "¿estoy hablando con un humano?",
        "quiero agregar otra persona a mi cuenta",
        "gracias agente",
        "quiero cancelar mi pedido",
    ]);
}

#[test]
fn french() {
    assert_fires(
        "fr",
        &[
            "je veux parler à quelqu'un",
            "un conseiller svp",
            "Est-ce que je peux parler à un humain ?",
            "passez-moi un conseiller",
            "j'aimerais parler à une vraie personne",
            "mettez-moi en relation avec le service client",
            "je voudrais contacter un opérateur",
            "un agent s'il vous plaît",
            "j'ai besoin d'un conseiller",
            "Je veux parler à un conseiler",
        ],
    );
    assert_silent(&[
        "pas besoin d'un conseiller",
        "je ne veux pas parler à un conseiller",
        "je n'ai pas besoin d'un humain",
        "mon ami a parlé à un conseiller hier",
        "est-ce que tu es un robot ou un humain ?",
        "merci conseiller",
        "je veux annuler ma commande",
        "si j'avais besoin d'un conseiller, je pourrais l'appeler plus tard ?",
    ]);
}

#[test]
fn german() {
    assert_fires(
        "de",
        &[
            "Kundendienst",
            "ich möchte mit einem Mitarbeiter sprechen",
            "Kann ich bitte mit einem Menschen reden?",
            "Mitarbeiter bitte",
            "Verbinden Sie mich mit einem Berater",
            "ich brauche einen echten Menschen",
            "Ich will mit jemandem vom Support sprechen",
            "Einen Menschen, bitte!",
            "Ich hätte gerne einen Ansprechpartner",
            "Kann ich einen Kundenservicemitarbeiter sprechen?",
        ],
    );
    assert_silent(&[
        "ich brauche keinen Mitarbeiter",
        "ich möchte nicht mit einem Mitarbeiter sprechen",
        "Ich habe gestern mit einem Mitarbeiter gesprochen",
        "Bist du ein Mensch oder ein Bot?",
        "Wenn ich einen Berater bräuchte, könnte ich später einen bekommen?",
        "Ich möchte meine Bestellung stornieren",
        "Der Mitarbeiter hat mir gesagt, dass die Rückerstattung unterwegs ist",
        "Danke, Mitarbeiter",
    ]);
}

#[test]
fn portuguese() {
    assert_fires(
        "pt",
        &[
            "quero falar com um atendente",
            "atendente por favor",
            "posso falar com uma pessoa?",
            "me passa para um humano",
            "preciso falar com alguém de verdade",
            "gostaria de falar com o suporte",
            "tem algum atendente disponível?",
            "quero atendimento humano",
        ],
    );
    assert_silent(&[
        "não preciso de atendente",
        "não quero falar com ninguém",
        "meu amigo falou com um atendente ontem",
        "você é um robô ou uma pessoa?",
        "obrigado atendente",
        "quero cancelar meu pedido",
        "a gente quer saber o prazo de entrega",
    ]);
}

#[test]
fn italian() {
    assert_fires(
        "it",
        &[
            "vorrei parlare con un operatore",
            "operatore per favore",
            "posso parlare con una persona?",
            "passami un operatore",
            "voglio parlare con un essere umano",
            "mi serve un operatore",
            "c'è un operatore disponibile?",
            "mettetemi in contatto con l'assistenza clienti",
        ],
    );
    assert_silent(&[
        "non voglio un operatore",
        "non ho bisogno di un operatore",
        "ieri ho parlato con un operatore",
        "sei un bot o una persona?",
        "grazie operatore",
        "voglio annullare il mio ordine",
    ]);
}

#[test]
fn dutch() {
    assert_fires(
        "nl",
        &[
            "ik wil een medewerker spreken",
            "medewerker alstublieft",
            "mag ik iemand spreken?",
            "kan ik met een mens praten?",
            "verbind me door met de klantenservice",
            "ik heb een echt persoon nodig",
            "graag een medewerker",
        ],
    );
    assert_silent(&[
        "ik hoef geen medewerker",
        "ik wil niet met een medewerker praten",
        "gisteren heb ik met een medewerker gesproken",
        "ben je een bot of een mens?",
        "bedankt medewerker",
        "ik wil mijn bestelling annuleren",
    ]);
}

#[test]
fn chinese() {
    assert_fires(
        "zh",
        &[
            "转人工",
            "人工客服",
            "我要找真人",
            "找客服",
            "请帮我转接人工客服",
            "我想和客服聊聊",
            "有人工吗？",
            "人工！",
            "我需要真人服务",
            "麻烦转一下人工",
        ],
    );
    assert_silent(&[
        "不用转人工",
        "我不需要人工客服",
        "你是真人吗？",
        "昨天我找过客服",
        "人工智能很厉害",
        "如果需要人工的话怎么办",
        "客服电话是多少",
        "客服说我的退款已经发了",
    ]);
}

#[test]
fn reports_the_matched_phrase() {
    let r = detect_explicit_request("Hi! Can I please TALK to a real human?").unwrap();
    assert_eq!(
        r,
        ExplicitRequest {
            language: "en",
            phrase: "talk to a real human".into()
        }
    );
    let r = detect_explicit_request("Quiero hablar con una persona").unwrap();
    assert_eq!(r.phrase, "hablar con una persona");
    assert_eq!(
        detect_explicit_request("请转人工").unwrap().phrase,
        "转人工"
    );
}

#[test]
fn one_edit_apart_is_restricted_damerau() {
    assert!(one_edit_apart(b"agnet", b"agent"));
    assert!(one_edit_apart(b"persn", b"person"));
    assert!(one_edit_apart(b"somneone", b"someone"));
    assert!(one_edit_apart(b"humen", b"human"));
    assert!(!one_edit_apart(b"agent", b"agent"));
    assert!(!one_edit_apart(b"agency", b"agent"));
    assert!(!one_edit_apart(b"prison", b"person"));
}
