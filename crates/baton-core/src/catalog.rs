//! What Baton says to contacts, per language: the built-in catalogs for the languages the
//! triggers understand. A policy may override any language's messages.

use crate::policy::PolicyMessages;

/// Languages with a built-in catalog (ISO 639-1).
pub const LANGUAGES: [&str; 8] = ["en", "es", "fr", "de", "pt", "it", "nl", "zh"];

/// The built-in messages for `language`; English for a language without a catalog.
pub fn messages(language: &str) -> PolicyMessages {
    let m = |texts: [&str; 18]| PolicyMessages {
        handoff_queued: texts[0].into(),
        handoff_assigned: texts[1].into(),
        already_waiting: texts[2].into(),
        offline: texts[3].into(),
        lead_prompt: texts[4].into(),
        lead_success: texts[5].into(),
        closing: texts[6].into(),
        feedback_request: texts[7].into(),
        feedback_thanks: texts[8].into(),
        cannot_help: texts[9].into(),
        gather_prompt: texts[10].into(),
        gather_invalid: texts[11].into(),
        queue_position: texts[12].into(),
        queue_next: texts[13].into(),
        transferred_to_team: texts[14].into(),
        nobody_answered: texts[15].into(),
        nobody_in_time: texts[16].into(),
        ticket_added: texts[17].into(),
    };
    match language {
        "es" => m([
            "Te estoy conectando con una persona de nuestro equipo. Quédate aquí; alguien te atenderá en breve.",
            "{name} se ha unido a la conversación.",
            "Ya estás esperando a una persona de nuestro equipo; te atenderá lo antes posible.",
            "Nuestro equipo no está disponible en este momento.",
            "Déjanos tu correo electrónico y un breve mensaje, y alguien se pondrá en contacto contigo.",
            "¡Gracias! Una persona de nuestro equipo te escribirá por correo electrónico.",
            "La conversación con nuestro equipo ha terminado. Sigo aquí si necesitas algo más.",
            "¿Qué tal lo hizo nuestro equipo? Valora la conversación del 1 al 5.",
            "¡Gracias por tu opinión!",
            "Lo siento, no puedo ayudarte con eso. Puedes reformular la pregunta o pedir hablar con una persona.",
            "Para que nuestro equipo pueda ayudarte, ¿cuál es tu {label}?",
            "Eso no parece correcto ({reason}). ¿Cuál es tu {label}?",
            "Eres el número {position} en la cola; la espera estimada es de unos {minutes} min.",
            "Eres el siguiente; alguien te atenderá en un momento.",
            "Estoy pasando tu conversación a otro equipo; quédate aquí, por favor.",
            "Lo siento, ahora mismo nadie de nuestro equipo ha podido atender tu conversación. Mientras tanto sigo aquí, y puedes volver a pedir una persona más tarde.",
            "Lo siento, nadie de nuestro equipo ha podido atender tu conversación a tiempo.",
            "He añadido tu mensaje a tu solicitud; nuestro equipo te responderá por correo electrónico.",
        ]),
        "fr" => m([
            "Je vous mets en relation avec un membre de notre équipe. Restez ici, quelqu'un va vous répondre sous peu.",
            "{name} a rejoint la conversation.",
            "Vous attendez déjà un membre de notre équipe ; il vous répondra dès que possible.",
            "Notre équipe n'est pas disponible pour le moment.",
            "Laissez-nous votre adresse e-mail et un court message, et quelqu'un vous recontactera.",
            "Merci ! Un membre de notre équipe vous contactera par e-mail.",
            "La conversation avec notre équipe est terminée. Je reste là si vous avez besoin d'autre chose.",
            "Comment s'est passé l'échange avec notre équipe ? Notez la conversation de 1 à 5.",
            "Merci pour votre avis !",
            "Désolé, je ne peux pas vous aider sur ce point. Vous pouvez reformuler, ou demander à parler à une personne.",
            "Pour que notre équipe puisse vous aider, quel est votre {label} ?",
            "Cela ne semble pas correct ({reason}). Quel est votre {label} ?",
            "Vous êtes numéro {position} dans la file ; l'attente estimée est d'environ {minutes} min.",
            "Vous êtes le prochain ; quelqu'un va vous répondre dans un instant.",
            "Je transmets votre conversation à une autre équipe ; restez ici, s'il vous plaît.",
            "Désolé, personne de notre équipe n'a pu prendre votre conversation pour le moment. Je reste là en attendant, et vous pourrez redemander une personne plus tard.",
            "Désolé, personne de notre équipe n'a pu prendre votre conversation à temps.",
            "J'ai ajouté votre message à votre demande ; notre équipe vous répondra par e-mail.",
        ]),
        "de" => m([
            "Ich verbinde Sie mit einer Person aus unserem Team. Bitte bleiben Sie hier, gleich ist jemand für Sie da.",
            "{name} ist dem Gespräch beigetreten.",
            "Sie warten bereits auf eine Person aus unserem Team; sie meldet sich so schnell wie möglich.",
            "Unser Team ist gerade nicht erreichbar.",
            "Hinterlassen Sie Ihre E-Mail-Adresse und eine kurze Nachricht, dann meldet sich jemand bei Ihnen.",
            "Danke! Eine Person aus unserem Team meldet sich per E-Mail bei Ihnen.",
            "Das Gespräch mit unserem Team ist beendet. Ich bin weiter für Sie da, wenn Sie noch etwas brauchen.",
            "Wie war unser Team? Bitte bewerten Sie das Gespräch von 1 bis 5.",
            "Danke für Ihr Feedback!",
            "Leider kann ich dabei nicht helfen. Sie können die Frage umformulieren oder nach einem Menschen fragen.",
            "Damit unser Team Ihnen helfen kann: Wie lautet Ihr(e) {label}?",
            "Das scheint nicht zu stimmen ({reason}). Wie lautet Ihr(e) {label}?",
            "Sie sind Nummer {position} in der Warteschlange; die erwartete Wartezeit beträgt etwa {minutes} Min.",
            "Sie sind als Nächstes dran; gleich ist jemand für Sie da.",
            "Ich gebe Ihr Gespräch an ein anderes Team weiter; bitte bleiben Sie hier.",
            "Leider konnte gerade niemand aus unserem Team Ihr Gespräch übernehmen. Ich bin in der Zwischenzeit für Sie da, und Sie können später erneut nach einem Menschen fragen.",
            "Leider konnte niemand aus unserem Team Ihr Gespräch rechtzeitig übernehmen.",
            "Ich habe Ihre Nachricht zu Ihrer Anfrage hinzugefügt; unser Team antwortet Ihnen per E-Mail.",
        ]),
        "pt" => m([
            "Estou a ligar você a uma pessoa da nossa equipa. Fique por aqui; alguém irá atendê-lo em breve.",
            "{name} entrou na conversa.",
            "Você já está à espera de uma pessoa da nossa equipa; ela irá atendê-lo assim que possível.",
            "A nossa equipa não está disponível neste momento.",
            "Deixe o seu e-mail e uma breve mensagem, e alguém entrará em contacto consigo.",
            "Obrigado! Uma pessoa da nossa equipa entrará em contacto por e-mail.",
            "A conversa com a nossa equipa terminou. Continuo aqui se precisar de mais alguma coisa.",
            "Como foi o atendimento da nossa equipa? Avalie a conversa de 1 a 5.",
            "Obrigado pela sua avaliação!",
            "Desculpe, não consigo ajudar com isso. Pode reformular a pergunta ou pedir para falar com uma pessoa.",
            "Para que a nossa equipa possa ajudar, qual é o seu {label}?",
            "Isso não parece correto ({reason}). Qual é o seu {label}?",
            "Você é o número {position} na fila; a espera estimada é de cerca de {minutes} min.",
            "Você é o próximo; alguém irá atendê-lo num instante.",
            "Estou a passar a sua conversa para outra equipa; fique por aqui, por favor.",
            "Desculpe, ninguém da nossa equipa conseguiu atender a sua conversa agora. Entretanto continuo aqui, e pode voltar a pedir uma pessoa mais tarde.",
            "Desculpe, ninguém da nossa equipa conseguiu atender a sua conversa a tempo.",
            "Adicionei a sua mensagem ao seu pedido; a nossa equipa responderá por e-mail.",
        ]),
        "it" => m([
            "Ti sto mettendo in contatto con una persona del nostro team. Resta qui, qualcuno ti risponderà a breve.",
            "{name} si è unito alla conversazione.",
            "Stai già aspettando una persona del nostro team; ti risponderà il prima possibile.",
            "Il nostro team al momento non è disponibile.",
            "Lasciaci la tua email e un breve messaggio: qualcuno ti ricontatterà.",
            "Grazie! Una persona del nostro team ti contatterà via email.",
            "La conversazione con il nostro team è terminata. Sono qui se ti serve altro.",
            "Com'è andata con il nostro team? Valuta la conversazione da 1 a 5.",
            "Grazie per il tuo feedback!",
            "Mi dispiace, non posso aiutarti con questo. Puoi riformulare la domanda o chiedere di parlare con una persona.",
            "Perché il nostro team possa aiutarti, qual è il tuo {label}?",
            "Non sembra corretto ({reason}). Qual è il tuo {label}?",
            "Sei il numero {position} in coda; l'attesa stimata è di circa {minutes} min.",
            "Sei il prossimo; qualcuno ti risponderà tra un attimo.",
            "Sto passando la tua conversazione a un altro team; resta qui, per favore.",
            "Mi dispiace, al momento nessuno del nostro team ha potuto prendere la tua conversazione. Nel frattempo sono qui, e puoi chiedere di nuovo una persona più tardi.",
            "Mi dispiace, nessuno del nostro team ha potuto prendere la tua conversazione in tempo.",
            "Ho aggiunto il tuo messaggio alla tua richiesta; il nostro team ti risponderà via email.",
        ]),
        "nl" => m([
            "Ik verbind je door met iemand van ons team. Blijf hier; er is zo iemand voor je.",
            "{name} neemt deel aan het gesprek.",
            "Je wacht al op iemand van ons team; die helpt je zo snel mogelijk.",
            "Ons team is op dit moment niet bereikbaar.",
            "Laat je e-mailadres en een kort bericht achter, dan neemt iemand contact met je op.",
            "Bedankt! Iemand van ons team neemt per e-mail contact met je op.",
            "Het gesprek met ons team is afgelopen. Ik ben er nog als je iets anders nodig hebt.",
            "Hoe heeft ons team het gedaan? Geef het gesprek een cijfer van 1 tot 5.",
            "Bedankt voor je feedback!",
            "Sorry, daarmee kan ik je niet helpen. Je kunt je vraag anders stellen of vragen om een medewerker.",
            "Zodat ons team je kan helpen: wat is je {label}?",
            "Dat lijkt niet te kloppen ({reason}). Wat is je {label}?",
            "Je bent nummer {position} in de wachtrij; de verwachte wachttijd is ongeveer {minutes} min.",
            "Je bent de volgende; er is zo iemand voor je.",
            "Ik geef je gesprek door aan een ander team; blijf hier, alsjeblieft.",
            "Sorry, niemand van ons team kon je gesprek nu aannemen. Ik ben er intussen, en je kunt later opnieuw om een medewerker vragen.",
            "Sorry, niemand van ons team kon je gesprek op tijd aannemen.",
            "Ik heb je bericht aan je aanvraag toegevoegd; ons team antwoordt je per e-mail.",
        ]),
        "zh" => m([
            "正在为您转接我们团队的工作人员，请稍候，马上会有人为您服务。",
            "{name} 已加入对话。",
            "您已在等待我们的工作人员，他们会尽快为您服务。",
            "我们的团队目前不在线。",
            "请留下您的邮箱和简短留言，我们会有人与您联系。",
            "谢谢！我们的工作人员会通过邮件与您联系。",
            "与我们团队的对话已结束。如果您还需要帮助，我随时都在。",
            "您对我们团队的服务满意吗？请给本次对话打 1 到 5 分。",
            "感谢您的反馈！",
            "抱歉，这个问题我无法帮助您。您可以换个说法，或要求转人工。",
            "为了让我们的团队更好地帮助您，请提供您的{label}。",
            "这似乎不正确（{reason}）。请再次提供您的{label}。",
            "您目前排在第 {position} 位，预计等待约 {minutes} 分钟。",
            "下一位就是您，马上会有人为您服务。",
            "正在将您的对话转给另一个团队，请稍候。",
            "抱歉，我们的团队暂时无人能接待您。在此期间我会继续为您服务，您稍后可以再次要求转人工。",
            "抱歉，我们的团队未能及时接待您的对话。",
            "已将您的消息添加到您的请求中，我们的团队会通过邮件回复您。",
        ]),
        _ => PolicyMessages::default(),
    }
}

/// The catalog language of a locale tag such as `de-AT` or `pt_BR`, if Baton has one.
pub fn language_of_locale(locale: &str) -> Option<&'static str> {
    let primary = locale.split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGES.into_iter().find(|language| *language == primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_complete_catalog_of_its_own() {
        let english = messages("en");
        assert_eq!(english, PolicyMessages::default());
        for language in LANGUAGES.into_iter().filter(|l| *l != "en") {
            let catalog = messages(language);
            let pairs = [
                (&catalog.handoff_queued, &english.handoff_queued),
                (&catalog.offline, &english.offline),
                (&catalog.lead_prompt, &english.lead_prompt),
                (&catalog.closing, &english.closing),
                (&catalog.feedback_request, &english.feedback_request),
                (&catalog.cannot_help, &english.cannot_help),
                (&catalog.nobody_in_time, &english.nobody_in_time),
                (&catalog.ticket_added, &english.ticket_added),
            ];
            for (translated, original) in pairs {
                assert!(!translated.is_empty() && translated != original, "{language}: {translated}");
            }
            assert!(catalog.handoff_assigned.contains("{name}"), "{language}");
        }
        assert_eq!(messages("xx"), english);
    }

    #[test]
    fn locales_map_to_catalog_languages() {
        assert_eq!(language_of_locale("de-AT"), Some("de"));
        assert_eq!(language_of_locale("pt_BR"), Some("pt"));
        assert_eq!(language_of_locale("ES"), Some("es"));
        assert_eq!(language_of_locale("zh-Hans-CN"), Some("zh"));
        assert_eq!(language_of_locale("sv-SE"), None);
        assert_eq!(language_of_locale(""), None);
    }
}
