//! The request shapes added beside "verb + human noun": existence questions, refusals of the
//! bot, names and roles, helpers named by a modifier, polite clauses, and the guards that keep
//! their look-alikes silent. Sentences written for these tests (none from an evaluation set).

use super::detect_explicit_request;

/// Every sentence is a request in `language`.
#[track_caller]
pub(super) fn fires(language: &str, sentences: &[&str]) {
    let wrong: Vec<String> = sentences
        .iter()
        .filter_map(|s| match detect_explicit_request(s) {
            Some(r) if r.language == language => None,
            other => Some(format!("{s:?} -> {other:?}")),
        })
        .collect();
    assert!(wrong.is_empty(), "expected a {language} request:\n{}", wrong.join("\n"));
}

/// No sentence is a request.
#[track_caller]
pub(super) fn silent(sentences: &[&str]) {
    let wrong: Vec<String> = sentences
        .iter()
        .filter_map(|s| detect_explicit_request(s).map(|r| format!("{s:?} -> {r:?}")))
        .collect();
    assert!(wrong.is_empty(), "expected no request:\n{}", wrong.join("\n"));
}

#[test]
fn questions_whether_anybody_is_there() {
    fires(
        "en",
        &[
            "is somebody actually there?",
            "are there still real people at this shop?",
            "do you guys have staff answering chats at all",
            "isn't there anyone there?",
        ],
    );
    fires("es", &["hay alguien real por ahí?"]);
    fires("nl", &["is er iemand aanwezig?"]);
    silent(&[
        "is someone else having trouble with the app?",
        "are there agents in Lisbon?",
        "what time is your support team online?",
        "do you have staff discounts?",
    ]);
}

#[test]
fn refusing_the_bot_asks_for_a_person() {
    fires("en", &["no more bots please", "this chatbot is useless", "I won't chat with a machine"]);
    fires("es", &["basta de respuestas automáticas"]);
    silent(&[
        "I'm a human, not a robot",
        "the bot was helpful, thanks",
        "am I chatting with a bot?",
        "my computer is useless since the update",
    ]);
}

#[test]
fn named_people_and_roles() {
    fires(
        "en",
        &[
            "can I talk to Carmen?",
            "is Dmitri from accounts available?",
            "please connect me to the claims department",
            "could the store manager call me?",
            "I'd like to speak with an escalation officer",
            "let me talk to Mrs moreau",
        ],
    );
    fires("pt", &["posso falar com o Bruno?"]);
    silent(&[
        "can I speak English here?",
        "can I connect my Garmin Watch to the app?",
        "my Sales Manager approved the order",
    ]);
}

#[test]
fn a_verb_after_a_determiner_is_a_noun() {
    silent(&[
        "how long does a bank transfer to someone abroad take?",
        "is there a connecting train to Porto?",
        "the call with someone from sales was cancelled",
    ]);
    fires("en", &["can I have a quick chat with someone?", "can you transfer this chat to an employee"]);
}

#[test]
fn what_the_person_should_do_completes_a_weak_request() {
    fires(
        "en",
        &[
            "I need someone to check my invoice",
            "I'd rather have a person who can look at this",
            "just need a person thanks",
            "get me someone on the phone",
        ],
    );
    silent(&["I need someone's address for the delivery", "I need support for the new API version"]);
}

#[test]
fn a_polite_clause_asks_whatever_else_the_message_says() {
    fires(
        "en",
        &[
            "my card was declined twice today, human please",
            "please, live agent, my flight leaves in two hours",
            "billing team pls",
        ],
    );
    silent(&["thanks, agent", "the human touch is what I like about your shop"]);
}

#[test]
fn a_subject_first_question_asks() {
    fires("en", &["someone from billing can call me?"]);
    fires("fr", &["quelqu'un du support peut me rappeler ?"]);
    silent(&["someone from billing called me yesterday"]);
}

#[test]
fn naming_a_helper_or_the_bot_is_told_apart_from_asking() {
    use super::{in_lexicon_language, mentions_helper_or_bot, semantic_request_allowed};
    for named in ["my agent said the fee was waived", "is this a bot?", "客服说明天发货", "机器人没用"]
    {
        assert!(mentions_helper_or_bot(named), "{named}");
    }
    for plain in ["where is my parcel?", "我的个人信息要改一下", "help needed asap"] {
        assert!(!mentions_helper_or_bot(plain), "{plain}");
    }
    // In a language with word tables a request by meaning needs someone named in it.
    assert!(in_lexicon_language("help needed asap") && !semantic_request_allowed("help needed asap"));
    assert!(!semantic_request_allowed("I don't need a person, thanks"));
    assert!(!in_lexicon_language("はい、担当者と話したいです"));
    assert!(semantic_request_allowed("はい、担当者と話したいです"), "no tables: meaning alone decides");
}

#[test]
fn a_message_that_is_only_a_helper() {
    fires("en", &["Claims department, please.", "the returns desk now", "Accounts officer.", "HUMAN. NOW."]);
    fires("en", &["Reception please", "someone from the warehouse please"]);
    fires("fr", &["le service comptabilité svp"]);
    fires("de", &["Buchhaltungsabteilung, bitte."]);
    fires("es", &["el departamento de facturación, por favor", "técnico!!"]);
    fires("it", &["Ufficio reclami, per favore", "Centralino."]);
    fires("pt", &["Portaria."]);
    fires("zh", &["售后部门", "接待处"]);
    silent(&[
        "Thanks team!",
        "merci l'équipe !",
        "Danke, Team!",
        "Teacher.",
        "Support.",
        "Wrong department.",
        "Same person.",
        "two people",
        "my team",
        "choose anyone",
        "anyone?",
        "The manager.",
        "Another team, thanks.",
    ]);
}

#[test]
fn a_contact_verb_separated_from_the_helper_by_its_topic() {
    fires(
        "en",
        &[
            "I'd like to go over the charges on my statement with one of your advisors",
            "can I talk about the late fee with a person",
            "I want to sort the warranty claim out with someone from your repairs team",
        ],
    );
    fires("es", &["quiero revisar la última factura con un agente"]);
    fires("de", &["ich möchte die Abrechnung mit einem Mitarbeiter besprechen"]);
    fires("pt", &["quero resolver a cobrança duplicada com um atendente"]);
    silent(&[
        "I don't want to discuss my contract with an agent",
        "I discussed the refund with an agent yesterday",
        "if I go over the numbers with an advisor, will it cost extra?",
        "I'd like to discuss my invoice with my husband first",
    ]);
}

#[test]
fn a_helper_as_the_subject_of_a_verb_that_reaches_the_contact() {
    fires(
        "en",
        &[
            "could your head of collections give me a call?",
            "can the shift supervisor contact me today",
            "could one of your warehouse people reply to me here",
            "can someone from the returns team take this over?",
            "can the technician call me back",
        ],
    );
    fires("fr", &["est-ce que le responsable du magasin peut me rappeler ?"]);
    fires("it", &["il tecnico può richiamarmi domani?"]);
    fires("de", &["kann der Filialleiter mich zurückrufen?"]);
    fires("zh", &["经理能给我回个电话吗", "前台可以联系我吗"]);
    silent(&[
        "经理说会给我回电话",
        "经理昨天给我回电话了",
        "别让经理联系我",
        "when can the technician call me?",
        "the manager said he would call me",
        "can my neighbour pick this up for me?",
        "can the courier take it over the fence",
    ]);
}

#[test]
fn a_transfer_verb_with_no_helper_named() {
    fires("en", &["put me through", "ok then, connect me please", "can you escalate my complaint?"]);
    fires("en", &["please escalate this to a team lead"]);
    fires("de", &["verbinden Sie mich bitte"]);
    fires("it", &["passami qualcuno"]);
    fires("pt", &["me transfere por favor"]);
    fires("fr", &["transférez-moi svp"]);
    silent(&[
        "put me through the checkout again",
        "connect me to the wifi",
        "how do I connect my printer",
        "don't transfer me",
        "they put me through hell",
        "if you connect me I'll lose my place",
        "the argument escalated quickly",
        "prices escalate every winter",
        "transfer me the money back",
        "my friend said just put me through",
    ]);
}

#[test]
fn asking_whether_a_named_person_or_a_role_is_there() {
    fires("fr", &["Est-ce que Mathilde est là ?", "Le responsable du rayon est-il joignable ?"]);
    fires("es", &["¿Está Ignacio?", "¿Anda por ahí la señora Pardo?"]);
    fires("it", &["Il geometra Bassi è in sede oggi?", "C'è la signora Ferri?"]);
    fires("pt", &["O Rodrigo do financeiro tá aí?"]);
    silent(&[
        "Quand est-ce que Mathilde est là ?",
        "Mathilde est là depuis hier.",
        "¿Está abierta la tienda?",
        "¿Está Ignacio contento con el pedido?",
        "Il pacco è in sede?",
        "A encomenda tá aí?",
    ]);
}

#[test]
fn a_word_drawn_out_at_the_end_is_the_word() {
    fires("it", &["voglio un operatoreeee"]);
    fires("es", &["un humanooo por favor"]);
    fires("en", &["agentttt please"]);
    silent(&["nooo I don't need an agent", "www.example.com/agents"]);
}

#[test]
fn wanting_a_case_taken_over_by_a_helper_named_after_the_verb() {
    fires("es", &["quiero que se ocupe un técnico"]);
    fires("it", &["preferirei che se ne occupi un consulente"]);
    silent(&["no quiero que se ocupe un técnico", "quiero que se ocupe de todo mi hermano"]);
}

#[test]
fn a_question_whether_a_person_is_needed_asks_how_not_for_one() {
    silent(&[
        "do I need to talk to an agent to move my booking?",
        "Will I have to call someone, or is there a form?",
        "Faut-il appeler un conseiller pour changer de forfait ?",
        "Per disdire devo chiamare un operatore o basta la mail?",
        "¿Tengo que hablar con un agente para cambiar la tarifa?",
        "Muss ich dafür einen Mitarbeiter anrufen?",
    ]);
    // The way to a person, a need said outright and a need in a question word are requests.
    fires("en", &["what do I need to do to reach a person?", "I need to talk to an agent"]);
    fires("fr", &["je dois parler à un conseiller, c'est urgent"]);
    // Nor does the semantic layer read one as a request.
    assert!(super::has_request_blocker("Will I need to speak with somebody about this?"));
    assert!(!super::has_request_blocker("I need to speak with somebody about this"));
}

#[test]
fn asking_a_helper_a_question_is_talking_to_them() {
    fires("en", &["can I ask the pharmacist about my dosage"]);
    fires("fr", &["je voudrais poser une question au pharmacien"]);
    fires("it", &["posso chiedere al farmacista una cosa?"]);
    silent(&["can I ask for a refund?", "posso chiedere un rimborso?"]);
}

#[test]
fn a_french_modal_with_its_subject_repeated_reaches_the_contact() {
    fires("fr", &["Une gestionnaire pourrait-elle me rappeler ?", "un technicien peut me rappeler ?"]);
    silent(&["Le colis pourrait-il arriver demain ?"]);
}

#[test]
fn a_section_of_an_app_is_no_helper() {
    silent(&["the app freezes when I open the payments section", "is this chat with a real person?"]);
}

#[test]
fn a_wish_put_as_a_condition_asks() {
    fires("en", &["We'd be grateful if someone from your claims team could call us back."]);
    fires("it", &["Sarei grato se un operatore potesse contattarmi domani."]);
    silent(&["if the courier could call me first that would help", "Is there a human resources department?"]);
}

#[test]
fn a_case_looked_at_by_a_person() {
    fires("en", &["can a real person review my case please", "I'd like this handled by an actual agent"]);
    fires("it", &["qualcuno del vostro ufficio può mettersi in contatto con me?"]);
    silent(&["the form was reviewed by the bank", "C'è un ufficio del personale a Torino?"]);
}

#[test]
fn who_to_talk_to_then_the_helper_as_an_afterthought() {
    fires("en", &["who can I speak to about the lease, a real person I mean"]);
    fires("fr", &["à qui est-ce que je peux parler, un conseiller je veux dire"]);
    fires("it", &["con chi posso parlare, un operatore intendo"]);
    silent(&["who did you speak to, the manager?", "who can I talk to about this?"]);
}

#[test]
fn a_pronoun_for_a_person_named_just_before() {
    use super::super::context::{Line, Speaker};
    use super::detect_explicit_request_after;
    let contact = |text| Line { speaker: Speaker::Contact, text };
    let bot = |text| Line { speaker: Speaker::Bot, text };
    let named =
        [contact("Our booking was handled by Mrs Adeyemi last month."), bot("I see. How can I help?")];
    for text in ["could she get back to me about the extra rooms?", "can you put me in touch with her again"]
    {
        assert_eq!(detect_explicit_request_after(&named, text).map(|r| r.language), Some("en"), "{text}");
    }
    let named_fr = [bot("Votre conseiller est M. Girard.")];
    for text in ["je peux lui parler ?", "Vous pouvez lui demander de me rappeler ?"] {
        assert_eq!(detect_explicit_request_after(&named_fr, text).map(|r| r.language), Some("fr"), "{text}");
    }
    // Nobody named before: a pronoun stands for no one; nor does one asked about.
    let nobody = [contact("My order is late."), bot("Sorry about that!")];
    assert_eq!(detect_explicit_request_after(&nobody, "could she get back to me?"), None);
    assert_eq!(detect_explicit_request("could she get back to me?"), None);
    assert_eq!(detect_explicit_request_after(&named, "she said she would call me back"), None);
    // Within one message, a person named in the clause before.
    fires("en", &["I was put through to Mr Dale in lettings last time, could he call me back?"]);
}

#[test]
fn brands_legal_persons_and_participles_are_no_helpers() {
    silent(&[
        "Ik krijg mijn PayPal niet gekoppeld aan de webshop.",
        "Posso abrir a conta como pessoa física?",
        "¿Puedo facturar como persona física?",
        "¿El pedido ya está tramitado?",
        "Estou a falar com uma pessoa ou com um robô?",
    ]);
    fires("pt", &["quero falar com uma pessoa física, não com um robô"]);
}

#[test]
fn quoted_words_counted_people_and_callbacks() {
    silent(&[
        "The login page says \u{201C}please contact your administrator\u{201D}, what does that mean?",
        "Het scherm zegt \"neem contact op met een medewerker\" maar ik ben zelf de medewerker",
        "Can I book a table for 6 people on Friday?",
        "Ist das Zimmer für 3 Personen geeignet?",
    ]);
    fires("en", &["I want to talk to a \"real\" person", "I'd like to request a callback about my bill"]);
    fires("de", &["Ich möchte einen Rückruf vereinbaren, bitte."]);
}

#[test]
fn a_pronoun_with_the_verb_at_the_end() {
    use super::super::context::{Line, Speaker};
    use super::detect_explicit_request_after;
    let named = [Line { speaker: Speaker::Bot, text: "Ihre Ansprechpartnerin ist Frau Brandt." }];
    let found = detect_explicit_request_after(&named, "Können Sie mich bitte mit ihr verbinden?");
    assert_eq!(found.map(|r| r.language), Some("de"));
}

#[test]
fn chinese_roles_talk_and_the_way_to_a_person() {
    fires("zh", &["能让药师给我回个电话吗？", "我想跟你们门店的店长通个话", "好的，能帮我转给她吗？"]);
    silent(&["退货需要去柜台找工作人员吗，还是在网上就能办？", "把这个订单转给他"]);
}

#[test]
fn a_helper_wished_to_reach_the_contact_without_a_question() {
    fires(
        "en",
        &["someone from ur billing team call me asap", "I'd be grateful if a manager could phone me"],
    );
    fires("it", &["qualcuno dell'assistenza mi richiami per favore"]);
    fires("fr", &["qqn du service client peut m'appeler demain matin"]);
    fires("en", &["put me thru to someone real pls", "i want a gm to look at my ban"]);
    silent(&[
        "Will an agent call me?",
        "If the payment fails, will someone email me before the cancellation?",
        "if a manager calls me I will explain everything",
    ]);
}

#[test]
fn italian_pronoun_before_the_modal_and_passives_by_a_person() {
    fires("it", &["qualcuno dell'ufficio reclami mi può chiamare domani?", "cmq qlc mi richiami xfavore"]);
    fires("it", &["chiedo che la pratica venga riesaminata da un funzionario"]);
    silent(&["la pratica è stata esaminata da un funzionario ieri"]);
}

#[test]
fn a_case_passed_on_to_a_helper() {
    fires("en", &["could you pass my complaint to one of your managers"]);
    fires("fr", &["merci de faire remonter mon dossier à un responsable"]);
    fires("it", &["inoltrate la segnalazione a un tecnico per favore"]);
    silent(&[
        "give my regards to the agent who helped",
        "¿Puedo transferir mi reserva a otra persona?",
        "potete trasferire l'abbonamento a una mia collega?",
        "¿Puedes pasar el pedido a la dirección de mi casa?",
    ]);
}

#[test]
fn appointments_passives_and_second_level_support() {
    fires(
        "fr",
        &["je souhaite un rendez-vous téléphonique avec une conseillère", "escalade au service client svp"],
    );
    fires("fr", &["je demande que mon dossier soit revu par un responsable"]);
    fires("it", &["mandatemi un tecnico per favore", "scala il ticket al secondo livello"]);
    silent(&["j'ai eu un rendez-vous avec un conseiller hier", "mon dossier a été revu par un responsable"]);
}

#[test]
fn doing_it_oneself_offered_as_the_other_way_asks_whether_a_person_is_needed() {
    silent(&[
        "should I phone an agent about the address or can I change it in my profile?",
        "falo com um atendente ou consigo mudar pelo site?",
        "hablo con un asesor o se puede hacer desde la web?",
        "j'appelle un conseiller ou ça se fait en ligne ?",
        "chiamo un consulente o si fa dall'area clienti?",
        "Kann ich einen Berater anrufen oder kann man das online ändern?",
        "bel ik een medewerker of kan ik het zelf in de app regelen?",
    ]);
    // Still requests: the other way is a person or a call too, it is negated, the request is a
    // wish, or nothing is asked.
    fires("en", &["can I talk to a manager, or can I get a call back from one?"]);
    fires("de", &["Ich möchte mit einem Mitarbeiter sprechen, oder geht das nicht?"]);
    fires("nl", &["kan ik een medewerker spreken, of kan dat niet?"]);
    fires("pt", &["quero falar com um atendente ou posso ligar para vocês?"]);
    fires("it", &["voglio parlare con un operatore, o posso solo scrivere qui?"]);
    fires("es", &["quiero hablar con un asesor, o puedo solo escribir aquí"]);
    assert!(super::has_request_blocker("talk to a rep or can I fix it myself?"));
    assert!(!super::has_request_blocker("talk to a rep or can I get a callback from one?"));
    assert!(!super::has_request_blocker("I want a rep, or can I only chat here?"));
}

#[test]
fn asking_who_is_answering_is_no_request() {
    for question in [
        "who is answering me right now, a person or software?",
        "quién está respondiendo, una persona?",
        "qui est de l'autre côté, une vraie personne ?",
        "quem tá respondendo aí, uma pessoa de verdade?",
        "chi c'è dall'altra parte, una persona vera?",
        "chi mi risponde, una persona vera?",
        "wer antwortet mir gerade, ein Mensch?",
        "wie antwoordt er nu, een echt persoon?",
    ] {
        assert!(super::has_request_blocker(question), "{question}");
        assert!(!super::semantic_request_allowed(question), "{question}");
    }
    silent(&["who's on the other side of this chat, a real person?"]);
    // Asking who can help is asking for them.
    fires("en", &["who can I talk to about my refund? a person please"]);
}
