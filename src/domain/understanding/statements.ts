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
  /** The last answer was wrong (« en fait non », « finalement si »). */
  | 'changedMind'
  /** The teacher stops for now (« je reviens vers 14 h », « je préfère le faire demain »). */
  | 'later'
  /** A problem persists, or what was advised was already done (« toujours rien », « j'ai déjà vérifié »). */
  | 'stillStuck';

/** Words that turn a statement of success into its opposite: « je n'ai pas encore voté ». */
const NEGATION = /\b(ne|pas|jamais|plus|aucun|aucune|rien)\b/;

const OBJECT_WEBMAIL = '(messagerie|webmail|boite( mail| aux lettres)?|mail academique|adresse academique)';

const PATTERNS: ReadonlyArray<readonly [Statement, RegExp, { negatable: boolean }]> = [
  // Corrections and pauses first: « je me suis trompé d'adresse, je reviens » is a correction.
  [
    'wrongAddress',
    /\b(trompe|trompee|erreur|faute|mauvaise|pas la bonne|pas le bon|changer|modifier|corriger|rectifier)\b.*\b(adresse|mail|courriel)\b|\b(adresse|mail)\b.*\b(fausse|erronee|incorrecte|pas bonne|pas la bonne|pas correcte|mal ecrite|mal tapee)\b/,
    { negatable: false },
  ],
  [
    'changedMind',
    /^(ah |oh |euh |non |oui |pardon )*(en fait|finalement|au final|attendez|je me suis trompe|je me suis trompee|je me suis mal exprime|je me suis mal exprimee)( non| si| oui| pas encore| pas)?( pardon)?$/,
    { negatable: false },
  ],
  [
    'later',
    /\b(plus tard|demain|tout a le heure|ce soir|cet apres midi|une autre fois|pas maintenant|pas le temps|je (dois|vais) (partir|y aller|filer|aller en_cours|aller en cours|reprendre)|je (reviens|repasse|reprendrai|continuerai|finirai|terminerai)|je (le )?(ferai|finirai|reprendrai) (ca )?(plus tard|demain|apres)|je prefere (le faire|attendre|continuer|finir)|on verra (ca )?(plus tard|demain))\b/,
    { negatable: false },
  ],
  [
    'stillStuck',
    /\b(toujours (rien|pas|le meme probleme|bloque|bloquee|aucun)|ne marche toujours pas|marche toujours pas|fonctionne toujours pas|deja (verifie|regarde|fait tout|essaye|tout fait)|rien de neuf|pas mieux|meme probleme|encore rien|ca ne change rien|ca change rien|rien a faire|rien ne marche|ca ne marche pas non plus|pas non plus)\b/,
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
    'accountCreated',
    /\b(je ai (deja |bien )?(cree|fait|ouvert|rempli) (mon |le |un |ma )?(compte|espace|demande|inscription)|(compte|espace)( electeur| electoral)? (est |a ete )?(deja )?cree|je (me )?suis (deja )?inscrit|je suis (deja )?inscrite)\b/,
    { negatable: true },
  ],
  [
    'webmailWorks',
    new RegExp(
      String.raw`\b((reussi|arrive|pu|parvenu|parvenue|arrivee)\b.*\b(ouvrir|activer|acceder|connecter|entrer|rentrer|aller)\b.*\b${OBJECT_WEBMAIL}|${OBJECT_WEBMAIL}\b.*\b(est |deja |bien )*(activee|active|ouverte|marche|fonctionne|operationnelle|accessible)|je ai (deja |bien )?(active|ouvert|acces a) (ma |la |mon )?${OBJECT_WEBMAIL}|je (me )?suis (deja |bien )?connecte(e)? (a |sur )?(ma |la |mon )?${OBJECT_WEBMAIL}|${OBJECT_WEBMAIL}\b.*\bce est (bon|fait|ok)|ce est (bon|fait|ok)\b.*\b${OBJECT_WEBMAIL})\b`,
    ),
    { negatable: true },
  ],
];

/** The statement a message makes, if any. A question (« ? ») about these is a question, not a statement. */
export function statementOf(text: string): Statement | undefined {
  if (text.length > 500) return undefined;
  const folded = normaliseForMatching(text);
  if (folded.includes('?')) return undefined;
  for (const [statement, pattern, { negatable }] of PATTERNS) {
    if (!pattern.test(folded)) continue;
    if (negatable && NEGATION.test(folded)) continue;
    return statement;
  }
  return undefined;
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
