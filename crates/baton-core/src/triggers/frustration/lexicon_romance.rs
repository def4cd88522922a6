//! Spanish, French, Portuguese and Italian words of frustration.
//!
//! Words that mean something harmless in a neighbouring language are left out or written as
//! phrases: French "nul" is also Dutch "zero" ("c'est nul" is kept), Portuguese "golpe" is also
//! Spanish "blow" ("é golpe" is kept), "basta" is also Portuguese "just" ("basta clicar"), and
//! "bravo" is praise in Italian. "Pas terrible" is a mild complaint although "terrible" is
//! negated.

use super::lexicon::Lexicon;

#[rustfmt::skip]
pub(super) const ES: Lexicon = Lexicon {
    code: "es",
    strong: &[
        "inútil", "inútiles", "ridícul*", "absurdo", "absurda", "pésimo", "pésima", "terrible",
        "horrible", "malísimo", "lo peor", "vergüenza",
        "inaceptable", "inadmisible", "indignante", "harto", "harta", "hartos", "cansado de",
        "cansada de", "pérdida de tiempo", "perder el tiempo", "perdiendo el tiempo", "furioso",
        "furiosa", "enojado", "enojada", "enfadado", "enfadada", "molesto", "molesta", "frustra*",
        "indignado", "indignada", "desesperante", "desastre", "porquería", "basura", "chapuza",
        "burla", "incompetente*", "gracias por nada", "no aguanto",
        "me rindo", "demandar", "denunciar", "defensa del consumidor",
        "una broma", "un chiste", "una tomadura de pelo",
        "mi abogado se", "mi abogado va", "hablaré con mi abogado", "llamar a mi abogado",
        "contactar a mi abogado",
    ],
    mild: &[
        "malo", "mala", "peor", "complicado", "difícil", "confuso", "decepcion*", "no sirve",
        "no me ayuda", "no ayuda", "no está bien", "mis derechos", "estoy perdido", "estoy perdida",
        "estafa", "estafadores", "fraude", "queja", "reclamación", "abogado", "denuncia",
    ],
    profanity: &[
        "mierd*", "joder", "jodido", "jodida", "coño", "carajo", "puta", "puto", "hostia",
        "cabrón", "cabrones", "idiota", "idiotas", "estúpid*", "imbécil", "imbéciles",
        "pendejo*", "gilipollas", "chingada", "me cago",
    ],
    waiting: &[
        "sigo esperando", "sigue sin", "sigue fallando", "sigue pasando", "hace días",
        "hace semanas", "desde hace días", "llevo días", "llevo horas", "llevo semanas",
        "ya te dije", "ya le dije", "ya les dije", "ya dije", "ya expliqué", "varias veces",
        "muchas veces", "mil veces", "una y otra vez", "cuántas veces", "nadie responde",
        "nadie contesta", "nadie me", "nada funciona", "sin respuesta", "ninguna respuesta",
        "lo mismo de siempre", "como le dije", "como te dije", "como dije", "acabo de decir",
        "lo repito", "todo de nuevo", "tercera vez", "cuarta vez", "quinta vez", "enésima vez",
    ],
    again: &[
        "todavía no", "aún no", "el mismo problema", "el mismo error", "sigue igual", "otra vez",
        "de nuevo", "nuevamente", "todavía", "aún", "sigue", "nadie", "hay alguien", "hola ?",
        "segunda vez",
    ],
    blame: &[
        "no entiendes", "no entiende", "no entienden", "no me entiendes", "no me entiende",
        "no me escuchas", "no me escucha", "no me respondes", "no me responde", "no responde",
        "no contesta", "responde a mi pregunta", "responda a mi pregunta", "lee mi mensaje",
        "lea mi mensaje", "no tiene sentido", "no me sirve", "no sirve de nada", "ustedes nunca",
        "no me ayudas", "no ayudan", "no hacen nada", "nadie hace nada", "leíste mi", "leyó mi",
    ],
    positive: &[
        "útil", "bueno", "buena", "aceptable", "contento", "contenta", "satisfecho", "satisfecha",
        "claro", "útiles", "clara",
    ],
    thanks: &[
        "gracias", "genial", "perfecto", "excelente", "estupendo", "agradezco", "agradecido",
        "agradecida",
    ],
    negators: &["no", "nunca", "nada", "tampoco", "ni", "jamás"],
    downtoners: &["poco", "algo", "ligeramente"],
    neg_pass: &["es", "está", "era", "fue", "tan", "muy", "ser", "estar", "tanto", "del", "todo"],
    pushback: &["pero"],
    already: &["ya"],
    done_forms: &[
        "*ado", "*ido", "hice", "dije", "envié", "mandé", "probé", "intenté", "reinicié", "revisé",
        "cambié", "actualicé", "instalé", "borré", "seguí", "llamé", "escribí", "pagué",
        "verifiqué", "comprobé",
    ],
    bot_failure: &[
        "no entendí", "no he entendido", "no te entendí", "no le entendí", "no entiendo",
        "no comprendo", "no comprendí", "reformular", "reformula", "reformule",
        "de otra manera", "de otra forma", "no puedo ayudarte", "no puedo ayudarle",
        "no puedo ayudar", "no tengo información", "no tengo esa información",
        "no encontré", "no pude encontrar", "no puedo responder",
    ],
    unresolved: &[
        "no funcionó", "no funciona", "no sirvió", "no sirve", "no resolvió", "no se resolvió",
        "sigue sin", "sigue igual", "sigue dando", "sigue apareciendo", "no pasa nada",
        "no cambió nada", "nada cambió", "mismo error", "mismo mensaje", "aun así",
        "aún así", "todavía no",
        "no es eso",
    ],
};

#[rustfmt::skip]
pub(super) const FR: Lexicon = Lexicon {
    code: "fr",
    strong: &[
        "inutile", "inutiles", "c'est nul", "vraiment nul", "trop nul", "nul à chier", "ridicule",
        "absurde", "lamentable", "honteux", "honteuse", "une honte", "scandal*", "inadmissible",
        "inacceptable", "n'importe quoi", "marre",
        "ras le bol", "en colère", "énervé", "énervée", "furieux", "furieuse", "agacé", "agacée",
        "frustr*", "exaspér*", "insupportable", "perte de temps", "perdre mon temps", "catastroph*",
        "incompéten*", "minable", "pitoyable", "foutage de gueule", "se fout",
        "merci pour rien", "j'abandonne", "porter plainte",
        "poursuivre en justice", "association de consommateurs", "est nul", "est nulle",
        "sont nuls", "une blague", "se moque de",
        "mon avocat va", "mon avocat vous", "contacter mon avocat", "appeler mon avocat",
        "saisir mon avocat",
    ],
    mild: &[
        "mauvais", "mauvaise", "pire", "compliqué", "difficile", "déçu", "déçue", "décevant",
        "pas terrible", "pas normal", "mes droits", "je suis perdu", "je suis perdue",
        "arnaque*", "escroquerie", "escrocs", "plainte", "réclamation", "avocat",
    ],
    profanity: &[
        "merde", "putain", "bordel", "connard*", "conne", "connerie*", "idiot", "idiots",
        "idiote", "crétin*", "débile*", "imbécile*", "stupide*", "chier", "enfoiré*",
        "ta gueule", "foutu", "foutre",
    ],
    waiting: &[
        "toujours pas", "toujours rien", "j'attends toujours", "j'attends depuis", "attends depuis",
        "depuis des jours", "depuis des semaines", "depuis des heures", "depuis des mois",
        "ça fait des jours", "déjà dit", "déjà expliqué", "plusieurs fois", "maintes fois",
        "mille fois", "encore une fois", "combien de fois", "comme je l'ai dit",
        "comme je vous l'ai dit", "comme je disais", "je viens de dire", "je répète",
        "tout recommencer", "personne ne répond", "personne ne m'aide", "rien ne marche",
        "rien ne fonctionne", "sans réponse", "aucune réponse", "troisième fois", "quatrième fois",
        "cinquième fois", "énième fois",
    ],
    again: &[
        "même problème", "même erreur", "toujours le même", "toujours la même", "encore",
        "à nouveau", "de nouveau", "toujours", "il y a quelqu'un", "allô ?", "allo ?",
        "chaque fois", "deuxième fois",
    ],
    blame: &[
        "vous ne comprenez pas", "tu ne comprends pas", "vous ne comprenez rien",
        "tu comprends rien", "tu ne comprends rien", "vous ne m'écoutez pas", "tu ne m'écoutes pas",
        "vous ne répondez pas", "tu ne réponds pas", "répondez à ma question",
        "réponds à ma question", "lisez mon message", "lis mon message", "aucun sens",
        "ne sert à rien", "sert à rien", "vous ne m'aidez pas", "tu ne m'aides pas",
        "vous ne faites rien", "avez vous lu", "as tu lu", "vous avez lu",
    ],
    positive: &[
        "utile", "bon", "bonne", "acceptable", "content", "contente", "satisfait",
        "satisfaite", "clair",
    ],
    thanks: &["merci", "parfait", "génial", "super", "excellent", "top", "remercie"],
    negators: &["pas", "ne", "n'", "jamais", "rien", "sans", "non"],
    downtoners: &["peu", "légèrement"],
    neg_pass: &[
        "si", "trop", "très", "est", "c'", "ce", "vraiment", "du", "tout", "était", "aussi",
    ],
    pushback: &["mais"],
    already: &["déjà"],
    done_forms: &[
        "essayé", "fait", "dit", "envoyé", "expliqué", "redémarré", "vérifié", "payé", "appelé",
        "contacté", "écrit", "mis", "réinstallé", "changé", "suivi", "relancé",
    ],
    bot_failure: &[
        "pas compris", "je ne comprends pas", "je ne suis pas sûr de comprendre",
        "reformuler", "reformulez", "reformule", "je ne peux pas vous aider",
        "je ne peux pas t'aider", "je ne peux pas aider", "je ne sais pas",
        "je n'ai pas d'information", "je n'ai pas trouvé", "je ne peux pas répondre",
    ],
    unresolved: &[
        "ne marche pas", "marche pas", "ne fonctionne pas", "fonctionne pas", "n'a pas marché",
        "n'a pas fonctionné", "a pas marché", "rien ne se passe", "il ne se passe rien",
        "rien n'a changé", "ça ne change rien", "toujours pas", "toujours le même",
        "toujours la même", "même erreur", "même message", "malgré tout",
        "ce n'est pas ça", "pas résolu",
    ],
};

#[rustfmt::skip]
pub(super) const PT: Lexicon = Lexicon {
    code: "pt",
    strong: &[
        "inútil", "inúteis", "ridícul*", "absurdo", "absurda", "péssimo", "péssima", "horrível",
        "horríveis", "terrível", "o pior", "vergonha", "vergonhoso", "inaceitável", "inadmissível",
        "lamentável", "é golpe", "um golpe", "enganação", "palhaçada",
        "falta de respeito", "desrespeito", "descaso", "revoltad*", "revoltante", "irritad*",
        "irritante", "chateado", "chateada", "frustra*", "indignad*", "cansado de", "cansada de",
        "farto", "farta", "perda de tempo", "perder tempo", "perdendo tempo", "sem paciência",
        "cansado disso", "cansada disso", "cansado desse", "cansada desse", "cansado dessa",
        "cansada dessa", "não aguento", "não suporto", "desisto", "decepcionad*", "lixo",
        "porcaria", "serviço mau", "mau serviço", "muito mau", "pelo amor de deus", "incompetent*",
        "incompetência", "desagrado", "obrigado por nada",
        "vou processar", "procon", "defesa do consumidor", "denunciar", "uma piada", "palhaços",
        "meu advogado vai", "meu advogado entrará", "chamar meu advogado", "acionar meu advogado",
        "falar com meu advogado",
    ],
    mild: &[
        "ruim", "mau", "pior", "difícil", "complicado", "confuso", "decepção", "não adianta",
        "não ajuda", "não ajudou", "não me ajuda", "não me ajudou", "meus direitos", "direito meu",
        "estou perdido", "estou perdida", "meu direito",
        "fraude", "reclamação", "advogado",
    ],
    profanity: &[
        "merda", "porra", "caralho", "puta", "puto", "foda", "fodido", "idiota", "idiotas",
        "estúpid*", "burro", "burra", "imbecil", "imbecis", "droga", "bosta", "cacete",
    ],
    waiting: &[
        "ainda nada", "ainda estou esperando", "ainda espero", "continuo esperando",
        "continuo à espera", "estou esperando", "estou à espera", "há dias", "há semanas",
        "há horas", "há meses", "faz dias", "faz semanas", "faz horas", "já faz", "já disse",
        "já falei", "já expliquei", "já lhe disse", "já te disse", "várias vezes", "diversas vezes",
        "muitas vezes", "mil vezes", "quantas vezes", "ninguém responde", "ninguém resolve",
        "nada funciona", "nada resolve", "sem resposta", "nenhuma resposta", "continua sem",
        "como disse", "como eu disse", "como já disse", "acabei de dizer", "acabei de falar",
        "volto a dizer", "repito", "tudo de novo", "terceira vez", "quarta vez", "quinta vez",
        "enésima vez",
    ],
    again: &[
        "ainda não", "sempre o mesmo", "sempre a mesma", "o mesmo erro", "o mesmo problema",
        "a mesma coisa", "continua igual", "continua o mesmo", "continua a dar", "de novo",
        "novamente", "outra vez", "mais uma vez", "continua", "ainda", "ninguém", "alguém aí",
        "olá ?", "toda vez", "todas as vezes", "segunda vez",
    ],
    blame: &[
        "não entende", "não entendeu", "não entendem", "não percebe", "não percebeu",
        "não percebem", "não está entendendo", "não está a perceber", "não me ouve",
        "não me escuta", "não me respondeu", "não responde", "não respondem",
        "leia a minha mensagem", "leia minha mensagem", "não faz sentido", "sem sentido",
        "vocês nunca", "não fazem nada", "ninguém faz nada", "responder a minha",
        "responda a minha", "responder minha", "responda minha", "leu a minha", "leu minha",
        "leste a minha",
    ],
    positive: &[
        "útil", "bom", "boa", "aceitável", "satisfeito", "satisfeita", "contente", "claro",
    ],
    thanks: &[
        "obrigado", "obrigada", "obg", "grato", "grata", "agradeço", "perfeito", "ótimo",
        "excelente", "maravilha", "valeu",
    ],
    negators: &["não", "nunca", "nem", "nada", "jamais"],
    downtoners: &["pouco", "meio", "ligeiramente"],
    neg_pass: &["é", "está", "era", "foi", "tão", "muito", "assim", "tá", "ser", "nada"],
    pushback: &["mas"],
    already: &["já"],
    done_forms: &["*ei", "fiz", "disse", "fui", "pus", "dei", "vi", "tive", "fizemos"],
    bot_failure: &[
        "não entendi", "não percebi", "não compreendi", "não consegui entender",
        "não consigo entender", "não sei", "reformular", "reformule", "de outra forma",
        "de outra maneira", "não posso ajudar", "não consigo ajudar", "não posso te ajudar",
        "não posso lhe ajudar", "não tenho informação", "não tenho essa informação",
        "não encontrei", "não posso responder",
    ],
    unresolved: &[
        "não funcionou", "não funciona", "não deu certo", "não deu", "não resolveu", "não resolve",
        "nada acontece", "não acontece nada", "nada aconteceu", "continua sem", "continua dando",
        "continua a dar", "continua igual", "continua o mesmo", "continuo sem", "o mesmo erro",
        "a mesma mensagem", "mesmo assim", "ainda não consigo", "ainda não funciona",
        "não é isso", "não mudou nada",
        "nada mudou",
    ],
};

#[rustfmt::skip]
pub(super) const IT: Lexicon = Lexicon {
    code: "it",
    strong: &[
        "fastidios*",
        "inutile", "inutili", "ridicol*", "assurdo", "assurda", "pessimo", "pessima", "terribile",
        "orribile", "il peggiore", "la peggiore", "vergogna", "vergognoso", "inaccettabile",
        "inammissibile", "fregatura", "schifo", "scandal*", "stufo",
        "stufa", "arrabbiat*", "furioso", "furiosa", "seccato", "seccata", "irritat*", "frustra*",
        "perdita di tempo", "perdere tempo", "sto perdendo tempo", "incompetent*",
        "non ne posso più", "grazie per niente", "mi arrendo", "denunciare",
        "associazione consumatori", "una barzelletta", "presa in giro",
        "prendete in giro",
        "il mio avvocato vi", "il mio avvocato si", "chiamo il mio avvocato",
        "contatterò il mio avvocato", "sentirà il mio avvocato",
    ],
    mild: &[
        "cattivo", "peggio", "difficile", "complicato", "brutto", "deluso", "delusa", "deludente",
        "non va bene", "miei diritti", "sono perso", "sono persa",
        "truffa", "truffatori", "reclamo", "avvocato", "denuncia",
    ],
    profanity: &[
        "merda", "cazz*", "vaffanculo", "fanculo", "porca miseria", "stronz*", "idiota",
        "idioti", "stupido", "stupida", "cretin*", "imbecill*", "deficient*", "coglion*",
        "minchia",
    ],
    waiting: &[
        "ancora niente", "sto ancora aspettando", "aspetto ancora", "aspetto da",
        "sto aspettando da", "da giorni", "da settimane", "da ore", "da mesi", "già detto",
        "già spiegato", "più volte", "varie volte", "molte volte", "mille volte", "tante volte",
        "quante volte", "ancora una volta", "come ho detto", "come ti ho detto", "come le ho detto",
        "ho appena detto", "ripeto", "tutto da capo", "nessuno risponde", "nessuno mi",
        "niente funziona", "nessuna risposta", "senza risposta", "terza volta", "quarta volta",
        "quinta volta", "ennesima volta",
    ],
    again: &[
        "ancora non", "non ancora", "stesso problema", "stesso errore", "di nuovo", "ancora",
        "nuovamente", "un'altra volta", "nessuno", "c'è qualcuno", "pronto ?", "ogni volta",
        "seconda volta",
    ],
    blame: &[
        "non capisci", "non capisce", "non capite", "non mi capisci", "non mi capisce",
        "non mi ascolti", "non mi ascolta", "non mi rispondi", "non risponde",
        "rispondi alla mia domanda", "risponda alla mia domanda", "leggi il mio messaggio",
        "legga il mio messaggio", "non ha senso", "non serve a niente", "non serve a nulla",
        "non mi aiuta", "non mi aiuti", "non aiuta", "non fate niente", "non fate nulla",
        "hai letto", "ha letto",
    ],
    positive: &[
        "utile", "buono", "buona", "accettabile", "contento", "contenta", "soddisfatto",
        "soddisfatta", "chiaro",
    ],
    thanks: &["grazie", "perfetto", "ottimo", "fantastico", "benissimo", "eccellente"],
    negators: &["non", "mai", "niente", "nulla", "nessun"],
    downtoners: &["po'", "po", "leggermente"],
    neg_pass: &["è", "era", "così", "troppo", "molto", "poi", "tanto", "proprio", "affatto"],
    pushback: &["ma"],
    already: &["già"],
    done_forms: &["*ato", "*ito", "*uto", "fatto", "detto", "messo", "scritto"],
    bot_failure: &[
        "non ho capito", "non capisco", "non sono sicuro di aver capito", "riformulare",
        "riformula", "riformuli", "non posso aiutarti", "non posso aiutarla",
        "non posso aiutare", "non so", "non ho informazioni", "non ho trovato",
        "non posso rispondere",
    ],
    unresolved: &[
        "non funziona", "non ha funzionato", "non va", "non è cambiato niente",
        "non è cambiato nulla", "non succede niente", "non succede nulla", "non è successo niente",
        "stesso errore", "stesso messaggio", "stessa cosa", "ancora non",
        "niente da fare", "comunque non",
        "non è questo", "non risolto", "non ha risolto",
    ],
};
