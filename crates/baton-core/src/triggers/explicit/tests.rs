//! Sentences written for these tests, one per line (none come from an evaluation set).

use super::matching::one_edit_apart;
use super::*;

fn sentences(block: &str) -> impl Iterator<Item = &str> {
    block.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Every sentence must fire with the given language; failures are reported together.
#[track_caller]
fn assert_fires(language: &str, block: &str) {
    let wrong: Vec<String> = sentences(block)
        .filter_map(|s| match detect_explicit_request(s) {
            Some(r) if r.language == language => None,
            other => Some(format!("{s:?} -> {other:?}")),
        })
        .collect();
    assert!(wrong.is_empty(), "expected a {language} request:\n{}", wrong.join("\n"));
}

/// No sentence may fire.
#[track_caller]
fn assert_silent(block: &str) {
    let wrong: Vec<String> = sentences(block)
        .filter_map(|s| detect_explicit_request(s).map(|r| format!("{s:?} -> {r:?}")))
        .collect();
    assert!(wrong.is_empty(), "expected no request:\n{}", wrong.join("\n"));
}

#[test]
fn english_requests() {
    assert_fires(
        "en",
        "
        I'd like to speak with a human please
        can I talk to someone real?
        real person please
        let me speak to an agent
        operator
        Representative!
        connect me with your support staff
        how do I reach a person?
        get me a human
        put me through to a supervisor
        transfer me to a live agent now
        I need to talk to customer service
        is there a human I could chat with?
        AGENT!!
        Can a real person look at my case?
        please escalate this to a human
        this bot is useless, give me a human
        Hello, can I get an actual person on the line?
        need a rep asap
        can you transfer this chat to an employee
        I demand to speak to someone in charge
        Talk to human
        I want to talk to somebody about my refund
        I don't want to wait, I want an agent
        I don't know how to reach a real person
        I can't get through to anyone on your team
        No, I want to talk to a person
        Is it possible to chat with someone from billing?
        I need someone to talk to about this charge
        Can I have a human please
        contact support
        I need support
        hi, human please
        agent! agent! agent!
        any agents available?
        Is a human available?
        can someone from your staff contact me?
        how do i get hold of a human
        I'd like to have a word with a manager
        please have a human contact me
        I need a call back from someone
        ",
    );
}

#[test]
fn english_typos() {
    assert_fires(
        "en",
        "
        can i speek to a humna
        talk to an agnet pls
        I want to talkk with somneone
        need a real persn
        connect me to a representitive
        let me chta with an operator
        speking with a person plz
        can I tlak to a human
        I want to speak wiht an agent
        how to talk tosomebody
        any agents available
        operater pls
        contact costumer service
        ",
    );
}

#[test]
fn english_negations_hypotheticals_and_reports_stay_silent() {
    assert_silent(
        "
        I don't need a human
        no need for an agent, thanks
        I don't want to talk to anyone
        I do not wish to speak with a representative
        no human please, just answer the question
        I'd rather not talk to a person
        I really don't think I need an operator
        please don't transfer me to an agent
        a human? no thanks
        Agent please... actually never mind
        if I needed a human could I get one later?
        do I need to speak to an agent to cancel?
        my friend talked to an agent yesterday
        the agent told me my refund was sent
        I spoke to someone last week about this
        I was talking to an agent and the chat closed
        I tried to contact support but nobody answered
        I was told to contact support
        The chatbot said I need to contact support
        she wants to talk to a manager
        thanks for connecting me with the agent
        is this a bot or a human?
        am I talking to a real person?
        are you a human?
        Is there a human behind this?
        Your agent was very helpful
        Will an agent call me?
        ",
    );
}

#[test]
fn chit_chat_stays_silent() {
    assert_silent(
        "
        never mind
        ok thanks
        hi
        hello
        thank you agent
        thanks, agent!
        yes
        no
        bye
        great, thanks for the help
        help
        I need help
        can you help me?
        who can help me
        anyone is fine
        choose anyone
        ",
    );
    assert_eq!(detect_explicit_request(""), None);
    assert_eq!(detect_explicit_request(" !? "), None);
}

#[test]
fn ordinary_requests_stay_silent() {
    assert_silent(
        "
        add another person to my account
        I need to change the delivery agent address
        cancel my order
        the app is not working
        where is my package
        I want to speak Spanish
        How many employees do you have?
        can I share my account with someone else?
        I want to transfer money to someone
        someone used my card without permission
        my manager asked me to cancel the subscription
        Do your agents speak French?
        What are your customer service hours?
        phone number for customer service?
        I need help with my password manager
        Please update the contact person on my account
        I want support changing my shipping address
        how do I contact the seller about a contract
        my travel agent booked the wrong flight
        the person who delivered my package was rude
        I need to update the user agent string
        Are there agents in Germany?
        Can a person use two accounts?
        Can someone explain why I was charged twice?
        Where can I find a human readable version of my invoice
        human error caused the wrong charge
        I'm a human, not a robot
        ",
    );
}

#[test]
fn spanish() {
    assert_fires(
        "es",
        "
        quiero hablar con una persona
        agente por favor
        ¿Puedo hablar con un asesor?
        pásame con un humano
        necesito un operador
        me gustaría hablar con alguien de atención al cliente
        comunícame con un agente, por favor
        ¿Hay alguna persona real con quien pueda hablar?
        quiero que me atienda una persona
        con un asesor, por favor
        no sé cómo contactar a un agente
        no puedo hablar con un agente
        ¿Me comunicas con un agente?
        ¿Algún agente disponible?
        quiero hablar con un ajente
        ",
    );
    assert_silent(
        "
        no quiero hablar con un agente
        no necesito un asesor
        no hace falta un humano
        No me pases con nadie
        mi amigo habló con un agente ayer
        el bot me dijo que hablara con un agente
        si necesitara un agente, ¿podría pedirlo después?
        ¿eres un bot o una persona?
        ¿estoy hablando con un humano?
        quiero agregar otra persona a mi cuenta
        gracias agente
        quiero cancelar mi pedido
        ",
    );
}

#[test]
fn french() {
    assert_fires(
        "fr",
        "
        je veux parler à quelqu'un
        un conseiller svp
        Est-ce que je peux parler à un humain ?
        passez-moi un conseiller
        j'aimerais parler à une vraie personne
        mettez-moi en relation avec le service client
        je voudrais contacter un opérateur
        un agent s'il vous plaît
        j'ai besoin d'un conseiller
        je n'arrive pas à joindre un conseiller
        Je souhaiterais être rappelé par un conseiller
        Y a-t-il un humain ?
        Je veux parler à un conseiler
        ",
    );
    assert_silent(
        "
        pas besoin d'un conseiller
        je ne veux pas parler à un conseiller
        je n'ai pas besoin d'un humain
        Pas de conseiller, merci
        mon ami a parlé à un conseiller hier
        est-ce que tu es un robot ou un humain ?
        merci conseiller
        je veux annuler ma commande
        si j'avais besoin d'un conseiller, je pourrais l'appeler plus tard ?
        ",
    );
}

#[test]
fn german() {
    assert_fires(
        "de",
        "
        Kundendienst
        ich möchte mit einem Mitarbeiter sprechen
        Kann ich bitte mit einem Menschen reden?
        Mitarbeiter bitte
        Verbinden Sie mich mit einem Berater
        ich brauche einen echten Menschen
        Ich will mit jemandem vom Support sprechen
        Einen Menschen, bitte!
        Ich hätte gerne einen Ansprechpartner
        Kann ich einen Kundenservicemitarbeiter sprechen?
        Ich kann keinen Mitarbeiter erreichen
        Wie spreche ich mit einem Mitarbeiter?
        Gibt es hier auch echte Menschen?
        ",
    );
    assert_silent(
        "
        ich brauche keinen Mitarbeiter
        ich möchte nicht mit einem Mitarbeiter sprechen
        Ich habe gestern mit einem Mitarbeiter gesprochen
        Spreche ich mit einem Menschen?
        Bist du ein Mensch oder ein Bot?
        Wenn ich einen Berater bräuchte, könnte ich später einen bekommen?
        Ich möchte meine Bestellung stornieren
        Der Mitarbeiter hat mir gesagt, dass die Rückerstattung unterwegs ist
        Danke, Mitarbeiter
        ",
    );
}

#[test]
fn portuguese() {
    assert_fires(
        "pt",
        "
        quero falar com um atendente
        atendente por favor
        posso falar com uma pessoa?
        me passa para um humano
        preciso falar com alguém de verdade
        gostaria de falar com o suporte
        tem algum atendente disponível?
        quero atendimento humano
        não consigo falar com um atendente
        gostaria de ser transferido para um atendente
        ",
    );
    assert_silent(
        "
        não preciso de atendente
        não quero falar com ninguém
        Não precisa transferir para atendente
        meu amigo falou com um atendente ontem
        você é um robô ou uma pessoa?
        obrigado atendente
        quero cancelar meu pedido
        a gente quer saber o prazo de entrega
        o app pede para contactar suporte
        ",
    );
}

#[test]
fn italian() {
    assert_fires(
        "it",
        "
        vorrei parlare con un operatore
        operatore per favore
        posso parlare con una persona?
        passami un operatore
        voglio parlare con un essere umano
        mi serve un operatore
        c'è un operatore disponibile?
        mettetemi in contatto con l'assistenza clienti
        non riesco a parlare con un operatore
        C'è qualcuno con cui posso parlare?
        ",
    );
    assert_silent(
        "
        non voglio un operatore
        non ho bisogno di un operatore
        Non mi serve un operatore
        ieri ho parlato con un operatore
        sei un bot o una persona?
        grazie operatore
        voglio annullare il mio ordine
        ",
    );
}

#[test]
fn dutch() {
    assert_fires(
        "nl",
        "
        ik wil een medewerker spreken
        medewerker alstublieft
        mag ik iemand spreken?
        kan ik met een mens praten?
        verbind me door met de klantenservice
        ik heb een echt persoon nodig
        graag een medewerker
        Hoe bereik ik een medewerker?
        Kan ik iemand aan de lijn krijgen?
        ",
    );
    assert_silent(
        "
        ik hoef geen medewerker
        ik wil niet met een medewerker praten
        Ik hoef niet met een medewerker te praten
        gisteren heb ik met een medewerker gesproken
        ben je een bot of een mens?
        bedankt medewerker
        ik wil mijn bestelling annuleren
        ",
    );
}

#[test]
fn chinese() {
    assert_fires(
        "zh",
        "
        转人工
        人工客服
        我要找真人
        找客服
        请帮我转接人工客服
        我想和客服聊聊
        有人工吗？
        人工！
        我需要真人服务
        麻烦转一下人工
        我不要机器人我要人工
        人工客服在哪里
        人工人工人工
        ",
    );
    assert_silent(
        "
        不用转人工
        我不需要人工客服
        你是真人吗？
        昨天我找过客服
        人工智能很厉害
        如果需要人工的话怎么办
        客服电话是多少
        客服说我的退款已经发了
        人工太慢了
        ",
    );
}

#[test]
fn long_messages_stay_cheap() {
    // Many nouns in one clause must not make the blockers quadratic; this only has to finish.
    let text = "if I talk to someone ".repeat(200);
    assert_eq!(detect_explicit_request(&text), None);
    let text = format!("{} Can I talk to a human?", "My order is late. ".repeat(200));
    assert!(detect_explicit_request(&text).is_some());
}

#[test]
fn reports_the_matched_phrase() {
    let r = detect_explicit_request("Hi! Can I please TALK to a real human?").unwrap();
    assert_eq!(r, ExplicitRequest { language: "en", phrase: "talk to a real human".into() });
    let r = detect_explicit_request("Ich möchte mit einem Mitarbeiter sprechen").unwrap();
    assert_eq!(r.phrase, "mochte mit einem mitarbeiter sprechen");
    assert_eq!(detect_explicit_request("请转人工").unwrap().phrase, "转人工");
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

#[test]
fn blockers_are_found_anywhere_for_the_semantic_layer() {
    for plain in [
        "I'd rather deal with somebody who works there",
        "quiero hablar con alguien de verdad",
        "mettez-moi en contact avec un vrai conseiller",
        "帮我找个真人",
        "if possible, a person please",
    ] {
        assert!(!has_request_blocker(plain), "{plain}");
    }
    for hedged in [
        "I don't need a human",
        "thanks for nothing",
        "he wanted to speak to someone",
        "nah, no person needed",
        "am I talking to a bot?",
        "bot or human?",
        "ich brauche keinen Mitarbeiter",
        "não quero falar com ninguém",
        "如果需要我再找人工",
    ] {
        assert!(has_request_blocker(hedged), "{hedged}");
    }
}
