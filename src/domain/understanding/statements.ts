import { normaliseForMatching } from './features';

/**
 * What a teacher says has happened, or wants, in their own words — as opposed to a question. The
 * classifier answers questions; these are statements that move the conversation (« c'est bon, j'ai réussi
 * à ouvrir ma messagerie », « je me suis trompée d'adresse », « je reviens vers 14 h »). Matched on the
 * folded words of the message (accents, case, elisions, SMS spellings undone: « jai » → « je ai »).
 */
export type Statement =
  /** The professional webmail works (leaflet step 1 done). */
  | 'webmailWorks'
  /** The voter account was created (the request was made), not necessarily confirmed. */
  | 'accountCreated'
  /** The link was clicked, the account is confirmed. */
  | 'accountConfirmed'
  | 'voted'
  /** The address given was wrong. */
  | 'wrongAddress'
  /** The last answer was wrong (« en fait non », « finalement si », « ah non en fait pas encore, … »). */
  | 'changedMind'
  /** The professional webmail does not work yet (« ma messagerie n'est pas encore activée »). */
  | 'webmailNotDone'
  /** Anger or weariness (« c'est n'importe quoi votre truc », « j'en ai marre »): an apology, then help. */
  | 'frustrated'
  /** « c'est bon, ça marche maintenant »: what works is what the step was about (the webmail). */
  | 'itWorks'
  /** « je n'ai pas encore créé mon compte », « je ne suis pas encore inscrite »: nothing done yet. */
  | 'accountNotCreated'
  /** The teacher stops for now (« je reviens vers 14 h », « je préfère le faire demain »). */
  | 'later'
  /** A problem persists, or what was advised was already done (« toujours rien », « j'ai déjà vérifié »). */
  | 'stillStuck';

/** Words that turn a statement of success into its opposite: « je n'ai pas encore voté ». */
const NEGATION = /\b(ne|pas|jamais|plus|aucun|aucune|rien)\b/;

const OBJECT_WEBMAIL = '(messagerie|webmail|boite( mail| aux lettres)?|mail academique|adresse academique)';

/**
 * `negatable`: a negation turns the statement into its opposite. Its scope is the whole message, or with
 * `clause`, the clause of the match: « j'ai déjà créé mon compte hier mais je n'ai pas cliqué sur le lien »
 * did create it (while « j'ai cliqué sur le lien mais ça ne marche pas » did not confirm anything).
 */
interface Negation {
  readonly negatable: boolean;
  readonly clause?: boolean;
}

const PATTERNS: ReadonlyArray<readonly [Statement, RegExp, Negation]> = [
  // Corrections and pauses first: « je me suis trompé d'adresse, je reviens » is a correction.
  [
    'wrongAddress',
    /\b(trompe|trompee|erreur|faute|mauvaise|pas la bonne|pas le bon|changer|modifier|corriger|rectifier)\b.*\b(adresse|mail|courriel)\b|\b(adresse|mail)\b.*\b(fausse|erronee|incorrecte|pas bonne|pas la bonne|pas correcte|mal ecrite|mal tapee)\b/,
    { negatable: false },
  ],
  [
    'later',
    /\b(plus tard|demain|tout a le heure|ce soir|cet apres midi|une autre fois|pas maintenant|pas le temps|je (dois|vais) (partir|y aller|filer|aller en_cours|aller en cours|reprendre)|je (reviens|repasse|reprendrai|continuerai|finirai|terminerai)|je (le )?(ferai|finirai|reprendrai) (ca )?(plus tard|demain|apres)|je prefere (le faire|attendre|continuer|finir)|on verra (ca )?(plus tard|demain))\b/,
    { negatable: false },
  ],
  [
    'stillStuck',
    /\b(toujours (rien|pas|le meme probleme|bloque|bloquee|aucun|refuse|refusee|pareil|la meme chose)|encore refuse|encore refusee|ne marche toujours pas|marche toujours pas|fonctionne toujours pas|deja (verifie|regarde|fait tout|essaye|tout fait)|rien de neuf|pas mieux|meme probleme|encore rien|ca ne change rien|ca change rien|rien a faire|rien ne marche|ca ne marche pas non plus|pas non plus)\b/,
    { negatable: false },
  ],
  [
    'frustrated',
    /\b(ne importe quoi|ce est nul|ca est nul|trop nul|je en ai marre|je en ai ras le bol|ras le bol|ca me enerve|ca me gave|ca me saoule|inadmissible|scandaleux|lamentable|une usine a gaz|une galere|quelle galere|ca marche jamais|ca ne marche jamais|rien ne fonctionne jamais|vous etes nul|votre truc est nul|ce est pas normal|ce est pas possible ca)\b/,
    { negatable: false },
  ],
  [
    'voted',
    /\b(je ai (deja |bien |enfin )?vote|ce est vote|a vote|mon vote est (fait|enregistre|fini|termine)|vote (est )?(fait|termine|effectue)|je viens de voter)\b/,
    { negatable: true },
  ],
  [
    'accountConfirmed',
    /\b(je ai (deja |bien |enfin )?clique\b.*\blien|(compte|espace)( electeur| electoral)? (est |a ete |a bien ete )?(deja |bien )?(confirme|valide|active|activee|confirmee|validee)|je ai (deja |bien )?(confirme|valide|active) (mon |le |ma )?(compte|espace|inscription))\b/,
    { negatable: true },
  ],
  [
    'accountNotCreated',
    /\b(je (ne )?(ai|avais) (pas|jamais|toujours pas) (encore )?(cree|fait|ouvert|active) (mon |le |un |de )?(compte|espace|inscription)|je (ne )?(suis|me suis) (pas|jamais) (encore )?inscrite?|pas encore (de )?compte|pas encore inscrite?)\b/,
    { negatable: false },
  ],
  [
    'accountCreated',
    /\b(je ai (deja |bien )?(cree|fait|ouvert|rempli) (mon |le |un |ma )?(compte|espace|demande|inscription)|je le ai (deja |bien )?cree|(compte|espace)( electeur| electoral)? (est |a ete )?(deja )?cree|je (me )?suis (deja )?inscrit|je suis (deja )?inscrite)\b/,
    { negatable: true, clause: true },
  ],
  [
    'webmailWorks',
    new RegExp(
      String.raw`\b((reussi|arrive|pu|parvenu|parvenue|arrivee)\b.*\b(ouvrir|activer|acceder|connecter|entrer|rentrer|aller)\b.*\b${OBJECT_WEBMAIL}|${OBJECT_WEBMAIL}\b.*\b(est |deja |bien )*(activee|active|ouverte|marche|fonctionne|operationnelle|accessible)|je ai (deja |bien )?(active|ouvert|acces a) (ma |la |mon )?${OBJECT_WEBMAIL}|je (me )?suis (deja |bien )?connecte(e)? (a |sur )?(ma |la |mon )?${OBJECT_WEBMAIL}|${OBJECT_WEBMAIL}\b.*\bce est (bon|fait|ok)|ce est (bon|fait|ok)\b.*\b${OBJECT_WEBMAIL})\b`,
    ),
    { negatable: true },
  ],
  [
    'itWorks',
    /^((ok|bon|super|parfait|ah|ca y est|youpi|merci) )*(ca (marche|fonctionne)|ce est bon|ca y est|je ai reussi|je y suis arrive|je y suis arrivee|ce est fait|je suis connecte|je suis connectee|je arrive a me connecter)( ca (marche|fonctionne))?( maintenant| enfin| merci| bien| cette fois)*$/,
    { negatable: true },
  ],
  // After webmailWorks: « ma messagerie ne marche pas » is not a webmail that works, but one that does not.
  [
    'webmailNotDone',
    new RegExp(
      String.raw`\b(${OBJECT_WEBMAIL}\b.*\b(ne|pas|jamais)\b.*\b(activee|active|ouverte|ouvert|marche|fonctionne|accessible|connecte|connectee)|je (ne )?(le |la )?ai (pas|jamais) (encore )?(active|activee|ouvert|ouverte|utilise|utilisee) (ma |la |mon )?${OBJECT_WEBMAIL}|je (ne )?(arrive|parviens) (pas|toujours pas|jamais) a (ouvrir|activer|acceder a|me connecter a|entrer dans) (ma |la |mon )?${OBJECT_WEBMAIL})\b`,
    ),
    { negatable: false },
  ],
  // Last: « si, en fait je l'ai déjà créé hier… » says what happened before it says « si ».
  [
    'changedMind',
    /^(ah |oh |euh |heu |non |oui |pardon )*(en fait|finalement|au final|attendez|je me suis trompe|je me suis trompee|je me suis mal exprime|je me suis mal exprimee)( non| si| oui| pas encore| pas)?( pardon)?$/,
    { negatable: false },
  ],
  // « ah non en fait pas encore, je l'ai jamais ouverte »: a change of mind that says which way, then why.
  [
    'changedMind',
    /^((ah|oh|euh|heu|ben|bah|zut|oups|pardon) )*((non|oui|si) )+((ah|oh|euh|heu|pardon) )*(en fait|finalement|au final)\b|^((ah|oh|euh|heu|ben|bah|zut|oups|pardon) )*(en fait|finalement|au final|tout compte fait) (non|si|oui|pas encore|pas du tout)\b/,
    { negatable: false },
  ],
];

/** The statement a message makes, if any. A question (« ? ») about these is a question, not a statement. */
export function statementOf(text: string): Statement | undefined {
  if (text.length > 500) return undefined;
  const folded = normaliseForMatching(text);
  if (folded.includes('?')) return undefined;
  for (const [statement, pattern, { negatable, clause }] of PATTERNS) {
    const match = pattern.exec(folded);
    if (!match) continue;
    if (negatable && NEGATION.test(clause ? clauseOf(folded, match.index, match[0].length) : folded))
      continue;
    return statement;
  }
  return undefined;
}

/** The clause around a match: from the « mais », « et » or « pourtant » before it to the one after it. */
function clauseOf(folded: string, at: number, length: number): string {
  const joins = / (mais|pourtant|cependant|sauf que) /g;
  let start = 0;
  let end = folded.length;
  for (const join of folded.matchAll(joins)) {
    const index = join.index ?? 0;
    if (index + join[0].length <= at) start = index + join[0].length;
    else if (index >= at + length) {
      end = index;
      break;
    }
  }
  return folded.slice(start, end);
}

/** Little words of French (and English) sentences, never the bulk of a password or a passphrase. */
const FUNCTION_WORDS = new Set(
  (
    'je tu il elle nous vous on ils elles me te se le la les un une des de du a au aux et ou mais donc or ni ' +
    'car pas ne est sont suis ai as avez ont ce cette ces mon ma mes ton ta tes son sa ses votre vos notre ' +
    'nos leur leurs pour dans sur sous avec sans que qui quoi quand comment en y plus tres bien merci ' +
    'bonjour svp oui non the i you is are to and my of it in for on this that what how'
  ).split(' '),
);

/**
 * Whether a message reads as language rather than as a password: a question, punctuation between words,
 * or several of the little words every sentence has. A passphrase (« Cheval Correct Batterie 2014 ») has
 * none of that; « Excusez-moi, je dois partir en cours » has all of it.
 */
export function readsAsSentence(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return false;
  if (/[?]/.test(text)) return true;
  if (words.length >= 3 && /[,;:!]\s|\.\s+\S/.test(text)) return true;
  const folded = normaliseForMatching(text).split(' ');
  const little = folded.filter((w) => FUNCTION_WORDS.has(w)).length;
  return little >= 2 || (words.length >= 2 && little >= 1 && little / folded.length >= 0.34);
}

/**
 * Which way a change of mind goes: « en fait si », « finalement oui » → yes; « en fait non », « ah non en
 * fait pas encore » → no. Undefined when the message does not say.
 */
export function changedMindWay(text: string): 'yes' | 'no' | undefined {
  if (text.length > 500) return undefined;
  const folded = ` ${normaliseForMatching(text)} `;
  const no = / (non|pas|plus|jamais) /.test(folded);
  const yes = / (si|oui) /.test(folded);
  if (no === yes) return undefined;
  return no ? 'no' : 'yes';
}

const STATUS_QUESTION =
  /\b(ou en (est on|suis je|sommes nous|etes vous|est ma demande|est mon compte|est mon inscription|est mon dossier|est la demande|en suis)|je en suis (ou|a quelle etape)|on en est (ou|a quelle etape)|ou (je|on) en (suis|est)|(quelle est|ce est quoi) (la )?prochaine etape|il me reste (quoi )?a faire|que est ce que il me reste a faire|qu est ce que il me reste a faire|(et )?maintenant (je fais|on fait|que faire|je dois faire) quoi|(et )?maintenant que (dois je|faut il) faire|je fais quoi (maintenant|ensuite|apres)|que (dois je|faut il) faire (maintenant|ensuite|apres)|(ce est quoi|quelle est) la suite)\b/;

/** « Où en est-on ? », « jen suis ou », « c'est quoi la prochaine étape ? »: the teacher's progress. */
export function asksStatus(text: string): boolean {
  if (text.length > 500) return false;
  return STATUS_QUESTION.test(normaliseForMatching(text));
}

const SOMEONE_ELSE =
  /\b(collegue|collegues|cette adresse|cette personne|quelqu un|mon voisin|ma voisine|mon mari|ma femme|mon conjoint|ma conjointe|_email_)\b/;
/**
 * Whether someone has an account, asked: « a déjà un compte », « j'ai un compte ou pas », « suis-je
 * inscrite », « est-ce que mon compte existe ». Not « mon compte est confirmé, je vais où ? », which says it.
 */
const HAS_ACCOUNT =
  /\b(a (deja |bien |t il |t elle )?(un |son )?compte|ai (deja |bien )?(un )?compte|ai je (deja |bien )?(un )?compte|a (deja |bien )?(cree|active|valide|confirme|ouvert) son compte|(est|suis) (deja |bien )?inscrite?|suis je (deja |bien )?inscrite?|compte existe|est ce que mon compte (est|a ete)|a (deja )?vote|existe (deja|bien))\b/;

/**
 * Whether the message asks if an address or a person has a voter account (« est-ce que ma collègue
 * anne.martin@… a déjà créé son compte ? », « j'ai un compte ou pas ? »): the bot never looks accounts up,
 * since anyone could ask about anyone. `other` when it is about someone else, `self` otherwise.
 */
export function asksAboutAccount(text: string): 'self' | 'other' | undefined {
  if (text.length > 500) return undefined;
  const folded = normaliseForMatching(text);
  const asking =
    folded.includes('?') || /\b(est ce que|savoir si|sais pas si|sais plus si|verifier si)\b/.test(folded);
  if (!asking || !HAS_ACCOUNT.test(folded)) return undefined;
  return SOMEONE_ELSE.test(folded) ? 'other' : 'self';
}

/** What the teacher asks of the reminders (issue 15): to be told about the vote, or no more reminders. */
export type ReminderRequest = 'remindVote' | 'stopReminders';

const STOP_REMINDERS =
  /^(stop|stop les rappels|stop rappels?)$|\b(arretez|arrete|arreter|stoppez|stopper|annulez|annuler|supprimez|supprimer|desactivez|desactiver|coupez|couper) (les |vos |mes |tous les |ces |le |ce )?(rappels?|notifications?|alertes?|relances?)\b|\b(plus de|pas de|aucun|aucune) (rappels?|notifications?|alertes?|relances?)\b|\bne (me )?(prevenez|rappelez|relancez|envoyez|ecrivez) (plus|pas|rien)\b/;

const VOTE_WORDS =
  '(vote|voter|scrutin|election|elections|ouverture|ouvre|ouvrira|ouvert|cloture|ferme|fermeture|fermera)';
const REMIND_VOTE = new RegExp(
  String.raw`\b(prevenez|previens|prevenir|avertissez|avertis|avertir|alertez|alerter|rappelez|rappelle|rappeler|relancez|relancer|notifiez|notifier|signalez|signaler|faites) moi\b.*\b${VOTE_WORDS}\b|\bme (prevenir|rappeler|avertir|alerter|relancer|notifier|faire signe)\b.*\b${VOTE_WORDS}\b|\b(envoyez|envoyer|envoie|mettez|mettre|programmez|programmer|recevoir|avoir|voudrais|veux|souhaite|souhaiterais|aimerais) (moi )?(un |des )?(petit )?(rappels?|alertes?|notifications?)\b|^(un )?(rappel|rappels)( svp| sil vous plait| s il vous plait)?$`,
);

/**
 * « Prévenez-moi quand le vote ouvre », « rappelez-moi de voter », « envoyez-moi un rappel » (a question
 * too: « pouvez-vous me prévenir… ? »), or « stop », « arrêtez les rappels », « plus de rappels ».
 * Negated requests (« ne me prévenez pas ») stop rather than ask.
 */
export function reminderRequestOf(text: string): ReminderRequest | undefined {
  if (text.length > 500) return undefined;
  const folded = normaliseForMatching(text).replace(/[?!.]/g, ' ').replace(/\s+/g, ' ').trim();
  if (STOP_REMINDERS.test(folded)) return 'stopReminders';
  if (REMIND_VOTE.test(folded) && !/\b(ne|pas|jamais)\b/.test(folded)) return 'remindVote';
  return undefined;
}
