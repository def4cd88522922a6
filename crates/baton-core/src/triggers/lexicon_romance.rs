//! Spanish, French, Portuguese and Italian word tables for the explicit-request detector.
//!
//! Verb typos are not tolerated here (`fuzzy_verbs: false`): Romance inflections are one letter
//! apart ("hablar" / "hablan" / "hablas"), so a one-edit rule would read "they talk" as "to
//! talk". Adjectives follow the noun ("persona real"), which the detector handles for all
//! languages. French "parle" is left out on purpose ("je parle à un robot ?" asks who is
//! answering), while "hablo", "falo" and "parlo" are in for "¿cómo hablo con un agente?".

use super::lexicon::{COMMON_NOT_AFTER, Lexicon};

/// Italian, Portuguese and Spanish "gente" (people; Portuguese "a gente" = "we") is one edit
/// from "agente".
#[rustfmt::skip]
const NOT_TYPOS: &[&str] = &["gente", "agenda", "personal", "persone", "pessoal", "hablan"];

#[rustfmt::skip]
pub(crate) const ES: Lexicon = Lexicon {
    code: "es",
    markers: &[
        "el", "la", "los", "las", "un", "una", "con", "de", "del", "que", "por", "favor", "quiero",
        "necesito", "hablar", "puedo", "es", "no", "y", "mi", "me", "alguien", "persona", "gracias",
        "hola", "para", "en", "lo", "se", "esta", "como", "al", "hay", "donde", "quien", "si", "ya",
        "pero", "muy", "usted", "ustedes", "estoy", "tengo", "puede", "hacer", "eso", "esto",
        "agente", "humano",
    ],
    strong: &[
        "agente", "agentes", "operador", "operadora", "operadores", "asesor", "asesora", "asesores",
        "representante", "humano", "humanos", "humana", "ejecutivo", "ejecutiva", "encargado",
        "encargada", "supervisor", "supervisora", "gerente", "empleado", "empleada", "consultor",
        "consultora", "ser humano", "servicio al cliente", "atencion al cliente", "soporte tecnico",
        "alguien de verdad", "alguien real", "persona de verdad", "alguien de soporte",
        "alguien del equipo", "alguien de atencion", "call center", "personal de soporte",
        "personal de atencion", "servicio de atencion",
    ],
    weak: &[
        "persona", "personas", "alguien", "soporte", "equipo", "personal", "tecnico", "asistente",
    ],
    upgraders: &["real", "humana", "humano", "verdadera", "verdadero", "viva", "fisica"],
    tails: &["humano", "humana", "real"],
    not_after: COMMON_NOT_AFTER,
    contact: &[
        "hablar", "hablarle", "charlar", "conversar", "chatear", "comunicar", "comunicarme",
        "comunicarse", "comunicame", "comuniqueme", "contactar", "contactarme", "contacto",
        "llamar", "pasar", "pasame", "pasarme", "paseme", "pasen", "ponerme", "ponme", "pongame",
        "ponganme", "transferir", "transfiereme", "transferirme", "transfiera", "derivar",
        "derivame", "derivarme", "conectar", "conectame", "conectarme", "conecteme", "atender",
        "atienda", "atiendan", "atendiera", "atendieran", "atendido", "atendida", "llame", "llamen",
        "contacte", "contacten", "transferido", "transferida", "derivado", "hablo", "hablando",
        "escribir", "en contacto", "pasas", "pasa", "comunicas", "comunica", "conectas",
        "transfieres", "transfiere", "ayuda de", "asistencia de",
    ],
    desire: &[
        "quiero", "quisiera", "necesito", "me gustaria", "prefiero", "pido", "solicito", "dame",
        "deme", "denme", "puedo tener", "hay", "busco", "exijo", "requiero", "ver", "llamen a",
        "quiero un", "necesitaria",
    ],
    fillers: &[
        "con", "a", "al", "un", "una", "el", "la", "los", "las", "algun", "alguna", "de", "del",
        "me", "te", "le", "por", "favor", "real", "verdadero", "verdadera", "humano", "humana",
        "directamente", "ya", "ahora", "mismo", "su", "sus", "tu", "vuestro", "vuestros", "esto",
        "este", "caso", "chat", "llamada", "conversacion", "mi", "puta", "maldito", "atencion",
        "maldita", "jodido", "en", "vivo", "linea", "favor", "puto", "pinche",
    ],
    relative: &["que", "con", "quien", "pueda", "puedo", "a"],
    modals: &["puede", "podria", "pueden", "podrian"],
    subject_verbs: &[
        "ayudarme", "atenderme", "llamarme", "contactarme", "ayudar", "atender", "llamar",
        "revisar", "me",
    ],
    please: &[
        "por favor", "porfa", "porfavor", "xfa", "xfavor", "pf", "plis", "ya", "ahora", "urgente",
        "rapido", "ahora mismo", "si", "disponible",
    ],
    articles: &["un", "una", "algun", "alguna", "con", "a"],
    farewells: &["gracias", "adios", "chao"],
    negators: &["no", "nunca", "jamas", "tampoco", "ni"],
    det_negators: &["sin", "ningun", "ninguna", "ninguno"],
    neg_pass: &[
        "me", "te", "lo", "la", "le", "hace", "es", "realmente", "creo", "que", "tengo", "de", "un",
        "una", "con", "a", "mas", "necesariamente", "quiero", "por", "ahora",
    ],
    neg_targets: &["falta", "necesario", "necesaria", "necesito", "necesidad", "ganas"],
    ability: &["puedo", "puede", "podemos", "pude", "consigo", "logro"],
    post_negations: &[
        "no hace falta", "no es necesario", "no gracias", "ya no", "no lo necesito", "olvidalo",
        "da igual",
    ],
    hypothetical: &[
        "si", "en caso", "por si", "ayer", "gracias por", "la semana pasada", "el otro dia",
        "anteriormente", "supongamos", "me dijo", "me dijeron", "dice que", "dijo que",
    ],
    hypothetical_exceptions: &[
        "si es posible", "si puede", "si se puede", "si puedes", "si por favor", "si quiero",
        "si necesito hablar", "si pueden",
    ],
    reported: &["estaba", "estuve", "he", "ha", "habia", "queria", "quiso", "intente"],
    identity: &[
        "eres un", "eres una", "eres humano", "eres real", "es usted un", "es usted una",
        "es usted humano", "estoy hablando", "estoy chateando", "es un bot", "es una maquina",
        "es un robot", "sos un", "sos una", "sos humano",
    ],
    how_words: &["como", "donde", "cuando"],
    bot_words: &["bot", "robot", "maquina", "ia", "programa", "chatbot", "automatico"],
    or_words: &["o", "u"],
    clause_breaks: &["pero", "sino", "aunque", "porque"],
    not_typos: NOT_TYPOS,
    ..Lexicon::EMPTY
};

#[rustfmt::skip]
pub(crate) const FR: Lexicon = Lexicon {
    code: "fr",
    markers: &[
        "le", "la", "les", "un", "une", "de", "du", "des", "je", "j'", "veux", "parler", "avec",
        "a", "au", "est", "ce", "que", "pas", "ne", "n'", "svp", "merci", "bonjour", "quelqu'un",
        "vous", "moi", "mon", "ma", "d'", "l'", "s'", "il", "c'", "besoin", "y", "ou", "qui",
        "pourquoi", "oui", "mais", "tres", "suis", "ai", "avez", "pouvez", "peux", "voudrais",
        "conseiller", "humain", "cette",
    ],
    strong: &[
        "conseiller", "conseillere", "conseillers", "agent", "agents", "operateur", "operatrice",
        "humain", "humains", "representant", "representante", "employe", "responsable",
        "superviseur", "manager", "service client", "service clients", "service clientele",
        "support client", "assistance client", "relation client", "etre humain", "interlocuteur",
        "interlocutrice", "charge de clientele", "vrai conseiller", "quelqu'un du service",
        "quelqu'un de chez vous", "quelqu'un de reel", "centre d'appel", "hotline",
    ],
    weak: &[
        "quelqu'un", "quelqu un", "quelquun", "une personne", "la personne", "personnes", "support",
        "assistance", "equipe", "technicien", "expert", "assistant",
    ],
    upgraders: &["vraie", "vrai", "veritable", "reelle", "reel", "humaine", "physique"],
    tails: &["reelle", "physique", "humaine", "en chair et en os", "humain"],
    not_after: COMMON_NOT_AFTER,
    contact: &[
        "parler", "discuter", "causer", "echanger", "dialoguer", "contacter", "joindre", "appeler",
        "relation", "contact", "passer", "passez", "passe", "transferer", "transferez", "transfere",
        "rediriger", "redirigez", "redirige", "orienter", "orientez", "ecrire", "chatter",
        "mettre en relation", "mettez moi", "etre rappele", "etre rappelee", "etre contacte",
        "etre contactee", "etre recontacte",
    ],
    desire: &[
        "veux", "voudrais", "voudrai", "souhaite", "souhaiterais", "aimerais", "besoin", "faut",
        "demande", "exige", "peux", "puis", "pourrais", "donnez moi", "donne moi", "avoir", "voir",
        "y a t il", "prefere", "prefererais",
    ],
    fillers: &[
        "a", "au", "aux", "avec", "un", "une", "le", "la", "les", "l'", "d'", "de", "du", "des",
        "me", "m'", "moi", "vrai", "vraie", "veritable", "reel", "reelle", "humain", "humaine",
        "en", "directement", "tout", "suite", "ligne", "votre", "vos", "ton", "mon", "ma",
        "dossier", "appel", "conversation", "je", "j'", "putain", "enfin", "vite", "maintenant",
        "svp", "stp", "s'", "il", "vous", "plait", "physique", "par",
    ],
    relative: &["a", "qui", "que", "je", "puisse", "puis", "pour", "avec"],
    modals: &["peut", "pourrait", "peuvent", "pourraient"],
    subject_verbs: &[
        "m'aider", "aider", "m'", "me", "rappeler", "appeler", "contacter", "s'occuper",
    ],
    please: &[
        "s' il vous plait", "s' il te plait", "svp", "stp", "merci", "maintenant", "vite",
        "rapidement", "tout de suite", "urgent", "oui", "disponible",
    ],
    articles: &["un", "une", "le", "la", "avec", "a"],
    farewells: &["merci", "revoir", "bye"],
    negators: &["ne", "n'", "pas", "jamais"],
    det_negators: &["aucun", "aucune", "sans", "non"],
    neg_pass: &[
        "de", "d'", "un", "une", "le", "la", "les", "vraiment", "du", "tout", "me", "m'", "te",
        "lui", "moi", "ai", "j'", "veux", "pense", "crois", "que", "plus", "forcement", "envie",
        "pas", "en", "y", "trop",
    ],
    neg_targets: &["besoin", "necessaire", "envie", "peine", "utile", "question"],
    ability: &["peux", "peut", "pouvons", "arrive", "parviens", "reussis", "reussi", "arrivons"],
    post_negations: &[
        "pas besoin", "non merci", "pas necessaire", "pas la peine", "laissez tomber",
        "laisse tomber", "c'est bon", "ca ira",
    ],
    hypothetical: &[
        "si je", "si j'", "si jamais", "si besoin", "si necessaire", "si on", "au cas ou", "hier",
        "la semaine derniere", "l'autre jour", "auparavant", "merci de", "merci pour", "m' a dit",
        "m' ont dit", "a dit de", "dit que",
    ],
    hypothetical_exceptions: &[],
    reported: &["avait", "avais", "voulait", "voulais", "essayait de", "il veut", "elle veut"],
    identity: &[
        "es tu", "etes vous", "t'es", "vous etes", "tu es", "suis je", "je parle", "je discute",
        "est ce un", "c'est un robot", "c'est un bot", "parle je", "est ce une",
    ],
    how_words: &["comment", "ou", "quand"],
    bot_words: &["bot", "robot", "machine", "ia", "programme", "chatbot", "automate"],
    or_words: &["ou"],
    clause_breaks: &["mais", "cependant", "pourtant", "parce", "car"],
    not_typos: &["conseille"],
    ..Lexicon::EMPTY
};

#[rustfmt::skip]
pub(crate) const PT: Lexicon = Lexicon {
    code: "pt",
    markers: &[
        "o", "a", "os", "as", "um", "uma", "com", "de", "do", "da", "que", "por", "favor", "quero",
        "preciso", "falar", "nao", "eu", "meu", "minha", "voce", "obrigado", "ola", "para", "pra",
        "alguem", "pessoa", "e", "em", "no", "na", "vc", "tem", "onde", "quem", "porque", "sim",
        "mas", "muito", "estou", "tenho", "pode", "fazer", "isso", "isto", "atendente", "humano",
    ],
    strong: &[
        "atendente", "atendentes", "humano", "humanos", "humana", "agente", "agentes", "operador",
        "operadora", "consultor", "consultora", "representante", "sac", "funcionario",
        "funcionaria", "gerente", "supervisor", "supervisora", "ser humano", "atendimento humano",
        "atendimento humanizado", "atendimento ao cliente", "alguem de verdade", "alguem real",
        "pessoa de verdade", "suporte tecnico", "central de atendimento", "servico de atendimento",
        "alguem do suporte", "alguem da equipe", "alguem do atendimento", "call center",
    ],
    weak: &[
        "pessoa", "pessoas", "alguem", "suporte", "equipe", "atendimento", "tecnico", "analista",
        "especialista", "assistente",
    ],
    upgraders: &["real", "humana", "humano", "verdadeira", "verdadeiro", "viva", "fisica"],
    tails: &["humano", "humana", "real"],
    not_after: COMMON_NOT_AFTER,
    contact: &[
        "falar", "falo", "conversar", "contatar", "contactar", "ligar", "chamar", "transferir",
        "transfere", "transfira", "passar", "passa", "passe", "encaminhar", "encaminha",
        "encaminhe", "conectar", "contato", "atender", "atendido", "atendida", "me coloca",
        "transferido", "transferida", "encaminhado", "encaminhada", "ligue", "liguem", "me coloque",
        "falando", "bater papo", "papo", "escrever", "comunicar",
    ],
    desire: &[
        "quero", "queria", "gostaria", "preciso", "posso", "poderia", "tem como", "da pra",
        "da para", "me da", "me de", "solicito", "peco", "exijo", "ver", "tem", "existe", "ha",
        "chama", "chamem",
    ],
    fillers: &[
        "com", "a", "o", "um", "uma", "ao", "os", "as", "de", "do", "da", "me", "por", "favor",
        "real", "verdadeiro", "verdadeira", "humano", "humana", "direto", "diretamente", "agora",
        "ja", "logo", "algum", "alguma", "seu", "sua", "voces", "em", "pra", "para", "este", "esse",
        "isso", "chat", "porra", "merda", "um", "atendimento", "eu", "vivo", "linha",
    ],
    relative: &["que", "com", "quem", "eu", "possa", "posso", "pra", "para"],
    modals: &["pode", "poderia", "podem"],
    subject_verbs: &["me", "ajudar", "atender", "ligar", "falar", "resolver"],
    please: &[
        "por favor", "pfv", "pf", "pfvr", "por gentileza", "agora", "ja", "urgente", "rapido",
        "sim", "pls", "disponivel",
    ],
    articles: &["um", "uma", "algum", "alguma", "com", "o"],
    farewells: &["obrigado", "obrigada", "valeu", "tchau"],
    negators: &["nao", "nunca", "jamais", "nem", "tampouco"],
    det_negators: &["sem", "nenhum", "nenhuma"],
    neg_pass: &[
        "me", "te", "o", "a", "um", "uma", "de", "com", "mais", "realmente", "acho", "que", "e",
        "quero", "eu", "to", "estou", "ainda", "agora",
    ],
    neg_targets: &["precisa", "preciso", "necessario", "precisar", "necessidade", "quero"],
    ability: &["consigo", "posso", "pode", "conseguimos", "consegui", "podemos"],
    post_negations: &[
        "nao precisa", "nao e necessario", "nao obrigado", "nao obrigada", "deixa pra la",
        "esquece",
    ],
    hypothetical: &[
        "se eu", "se precisar", "se for", "se tiver", "se houver", "caso eu", "caso precise",
        "caso seja", "ontem", "semana passada", "outro dia", "antes", "obrigado por",
        "obrigada por", "disse que", "me disse", "falou que", "me falou",
    ],
    hypothetical_exceptions: &["se for possivel", "se possivel"],
    reported: &[
        "estava", "estive", "tinha", "queria", "tentei", "tentou", "pede para", "pediu para",
        "pediram para", "mandou", "manda", "voce entrar em", "vc entrar em", "mandaram",
    ],
    identity: &[
        "voce e um", "voce e uma", "voce e humano", "voce e real", "vc e um", "vc e uma",
        "vc e humano", "voce eh um", "vc eh um", "e um robo", "e um bot", "e humano",
        "estou falando", "to falando", "estou conversando", "e uma pessoa", "e uma maquina",
    ],
    how_words: &["como", "onde", "quando"],
    bot_words: &["bot", "robo", "maquina", "ia", "programa", "chatbot", "automatico"],
    or_words: &["ou"],
    clause_breaks: &["mas", "porem", "entretanto", "porque", "pois"],
    not_typos: NOT_TYPOS,
    ..Lexicon::EMPTY
};

#[rustfmt::skip]
pub(crate) const IT: Lexicon = Lexicon {
    code: "it",
    markers: &[
        "il", "lo", "la", "gli", "le", "un", "una", "uno", "con", "di", "del", "della", "che",
        "per", "favore", "vorrei", "voglio", "parlare", "non", "io", "mi", "grazie", "ciao", "sono",
        "e", "un'", "l'", "c'", "qualcuno", "posso", "mio", "ho", "dove", "chi", "perche", "si",
        "ma", "molto", "sto", "puo", "fare", "questo", "questa", "operatore", "umano",
    ],
    strong: &[
        "operatore", "operatrice", "operatori", "umano", "umani", "umana", "essere umano", "agente",
        "consulente", "servizio clienti", "assistenza clienti", "customer care", "addetto",
        "addetta", "responsabile", "supervisore", "dipendente", "impiegato", "impiegata",
        "rappresentante", "persona vera", "qualcuno in carne e ossa", "assistente umano",
        "qualcuno dell'assistenza", "qualcuno del servizio", "call center", "centralino",
    ],
    weak: &[
        "persona", "persone", "qualcuno", "assistenza", "supporto", "team", "assistente", "tecnico",
        "esperto",
    ],
    upgraders: &["vera", "vero", "reale", "umana", "umano", "fisica"],
    tails: &["reale", "vera", "umana", "in carne e ossa", "umano"],
    not_after: COMMON_NOT_AFTER,
    contact: &[
        "parlare", "parlo", "chattare", "contattare", "sentire", "chiamare", "collegare",
        "collegarmi", "passare", "passarmi", "passami", "passatemi", "trasferire", "trasferirmi",
        "trasferiscimi", "contatto", "interagire", "scrivere", "comunicare", "parlarci",
        "richiamare", "mettermi", "trasferito", "trasferita", "passato", "passata",
    ],
    desire: &[
        "voglio", "vorrei", "desidero", "bisogno", "serve", "posso", "potrei", "c'", "ci sono",
        "chiedo", "richiedo", "pretendo", "avere", "vedere", "datemi", "dammi", "mi passi",
        "preferirei", "preferisco",
    ],
    fillers: &[
        "con", "a", "al", "allo", "alla", "un", "una", "uno", "un'", "il", "lo", "la", "l'", "gli",
        "le", "di", "del", "dello", "della", "mi", "me", "per", "favore", "vero", "vera", "reale",
        "umano", "umana", "direttamente", "subito", "ora", "adesso", "qualche", "vostro", "vostra",
        "vostri", "chat", "caso", "e", "in", "ho", "d'", "cazzo", "maledetto", "dell'", "parlare",
    ],
    relative: &["con", "che", "cui", "a", "posso", "possa", "per"],
    modals: &["puo", "potrebbe", "possono", "potrebbero"],
    subject_verbs: &["aiutarmi", "mi", "richiamarmi", "chiamarmi", "contattarmi", "aiutare"],
    please: &[
        "per favore", "per piacere", "perfavore", "pf", "per cortesia", "cortesemente", "subito",
        "ora", "adesso", "urgente", "grazie", "si", "disponibile",
    ],
    articles: &["un", "una", "uno", "un'", "con", "l'"],
    farewells: &["grazie", "ciao"],
    negators: &["non", "mai", "neanche", "nemmeno", "neppure"],
    det_negators: &["senza", "nessun", "nessuno", "nessuna"],
    neg_pass: &[
        "mi", "ti", "ci", "un", "una", "con", "di", "ho", "davvero", "realmente", "penso", "credo",
        "che", "e", "piu", "voglio", "ne", "per", "ora", "adesso",
    ],
    neg_targets: &["bisogno", "serve", "necessario", "necessaria", "voglia", "occorre"],
    ability: &["riesco", "posso", "puo", "riusciamo", "possiamo", "riuscito"],
    post_negations: &[
        "non serve", "non e necessario", "no grazie", "non mi serve", "lascia perdere",
        "lasciate perdere", "non importa",
    ],
    hypothetical: &[
        "se", "nel caso", "in caso", "ieri", "la settimana scorsa", "l'altro giorno", "grazie per",
        "mi ha detto", "ha detto", "dice di", "detto di",
    ],
    hypothetical_exceptions: &[
        "se possibile", "se puoi", "se potete", "se puo", "se e possibile", "se si puo",
    ],
    reported: &[
        "ho", "ha", "avevo", "aveva", "stavo", "volevo", "voleva", "provato a", "cercato di",
    ],
    identity: &[
        "sei un", "sei una", "sei umano", "sei vero", "sto parlando", "sto chattando", "e un bot",
        "e un robot", "sei reale", "siete umani", "siete persone", "siete un bot",
    ],
    how_words: &["come", "dove", "quando"],
    bot_words: &["bot", "robot", "macchina", "ia", "programma", "chatbot", "automatico"],
    or_words: &["o", "oppure"],
    clause_breaks: &["ma", "pero", "perche", "tuttavia"],
    not_typos: NOT_TYPOS,
    ..Lexicon::EMPTY
};
