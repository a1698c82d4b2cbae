/**
 * Concept classes of the election vocabulary. A word of a class adds the class token (`_fin_`,
 * `_compte_`, …) beside itself, so that a synonym met once in training (« s'achève », « clôture »,
 * « butoir ») counts like the common word of its class. The classifier still weighs every token: this is
 * a gazetteer for generalisation, not a rule that decides an intent.
 *
 * Patterns are anchored on whole folded tokens (lowercase, no accents, elisions split).
 */
export const CONCEPTS: ReadonlyArray<readonly [token: string, pattern: RegExp]> = [
  // When something starts, or ends: the axis that separates account_open from deadline_account, and
  // vote_open from vote_close.
  [
    '_debut_',
    /^(debut\w*|commenc\w*|demarr\w*|ouvr\w*|ouverture|premier|premiere|lancement|lance\w*|partir|depuis|depart)$/,
  ],
  [
    '_fin_',
    /^(fin|finit|finir|finissent|termin\w*|clotur\w*|clos|close|ferm\w*|arret\w*|achev\w*|dernier\w*|limite|butoir|deadline|delai|jusque|max|maximum|ultime)$/,
  ],
  // Questions that ask for a moment (« quand », « quelle date », « jusqu'à ») rather than a yes or no:
  // the absence of this class is what marks « c'est encore ouvert ? » as a question about now.
  [
    '_quand_',
    /^(quand|date|dates|jour|jours|heure|heures|moment|combien|partir|jusque|depuis|delai|limite|horaire\w*)$/,
  ],
  // What starts or ends: the account (espace électeur) or the vote itself.
  [
    '_compte_',
    /^(comptes?|espaces?|inscri\w*|activ\w*|cree|creee?s?|creer|creation|creations|crees|creez|enregistr\w*)$/,
  ],
  ['_vote_', /^(vote|votes|voter|votent|votez|votons|voterai|scrutins?|urnes?)$/],
  // How to do it: the steps of the activation.
  ['_procedure_', /^(procedure|demarche|etape|marche_a_suivre|tuto\w*|explique\w*|guide\w*|accompagne\w*)$/],
  // The moment of the question: « maintenant », « encore », « déjà », « trop tard ».
  [
    '_maintenant_',
    /^(maintenant|actuellement|actuelle|aujourd|encore|deja|toujours|retard|demain|ce_soir|en_cours|y_est|trop_tard|tout_de_suite|en_ce_moment)$/,
  ],
  [
    '_resultat_',
    /^(resultats?|depouillement|gagne|gagner|gagnant\w*|vainqueur\w*|remporte\w*|participation|proclam\w*|elus?|elues?|sieges?)$/,
  ],
  // Passwords: forgotten (or blocked) versus rules (refused at creation).
  [
    '_oubli_',
    /^(oubli\w*|perdu\w*|perd\w*|egare\w*|souviens|souvient|rappelle|retrouv\w*|recuper\w*|reinitialis\w*|bloque\w*|verrouill\w*)$/,
  ],
  [
    '_regle_',
    /^(regles?|caracteres?|majuscules?|minuscules?|chiffres?|longueur|speciale?s?|symboles?|accepte\w*|refuse\w*|rejete\w*|valide|invalide|conforme|criteres?|conditions?|contraintes?|format|court|faible|complexite|securise)$/,
  ],
  ['_webmail_', /^(webmail|messagerie|boite|academique|convergence|ac)$/],
  [
    '_recu_',
    /^(recu|recue|recus|recois|recoit|recevoir|reception|arrive\w*|attend\w*|spams?|indesirables?|renvo\w*|supprime\w*|efface\w*|expire\w*)$/,
  ],
  ['_notice_', /^(notice|enveloppe|courrier|code_de_vote)$/],
  [
    '_statut_',
    /^(droit|eligible|listes?|contractuel\w*|stagiaire\w*|titulaire\w*|titularise\w*|aesh|aed|avs|cpe|documentaliste|auxiliaire\w*|vacataire\w*|conge|disponibilite|partiel|retraite\w*|detache\w*|remplacant\w*|cdd|cdi)$/,
  ],
  // Places (domain brief §4). An académie of metropolitan France comes up in webmail questions (« je suis à
  // Créteil, c'est pareil ? »); an overseas place in questions about local times.
  [
    '_academie_',
    /^(paris|creteil|versailles|lyon|lille|nantes|rennes|bordeaux|toulouse|montpellier|marseille|aix|nice|grenoble|strasbourg|nancy|metz|reims|amiens|rouen|caen|normandie|orleans|tours|poitiers|limoges|dijon|besancon|clermont|corse|academie\w*|rectorat)$/,
  ],
  [
    '_outremer_',
    /^(reunion|mayotte|guadeloupe|martinique|guyane|cayenne|noumea|caledonie|tahiti|papeete|polynesie|marquises|wallis|futuna|miquelon|outre|dom|tom)$/,
  ],
  ['_salut_', /^(bonjour|bonsoir|salut|coucou|hello|hey|yo|rebonjour|salutations)$/],
  ['_merci_', /^(merci|remercie\w*|parfait|super|genial|top|cool|gentil)$/],
  ['_aurevoir_', /^(revoir|bientot|a_la_prochaine|bye|bonne_journee|bonne_soiree|bonne_nuit)$/],
  ['_robot_', /^(robot|bot|humain|machine|ia|programme|personne|chatbot)$/],
  [
    '_aide_',
    /^(aide|aider|aidez|secours|sos|help|perdu|perdue|paume\w*|galere\w*|comprends|comprend|compris|menu|options?)$/,
  ],
  [
    '_syndicat_',
    /^(syndica\w*|snes|fsu|unsa|sgen|cfdt|cgt|snalc|sud|fo|snuipp|sundep|candidat\w*|profession_de_foi)$/,
  ],
  [
    '_rh_',
    /^(mutations?|muter|mouvement|salaires?|paie|paye|payes?|prime|indice|avancement|promotion|echelon|bareme|pensions?|inspection|meteo|vacances|rentree)$/,
  ],
];

/**
 * Word pairs folded into one token before the concepts, because their meaning is not that of their
 * parts: « mot de passe » is not « passe », « ce soir » is a moment.
 */
export const PHRASES: ReadonlyArray<readonly [words: readonly string[], token: string]> = [
  [['mot', 'de', 'passe'], 'mot_de_passe'],
  [['mots', 'de', 'passe'], 'mot_de_passe'],
  [['code', 'de', 'vote'], 'code_de_vote'],
  [['ce', 'soir'], 'ce_soir'],
  // « à la prochaine » takes leave; « la prochaine étape » does not.
  [['a', 'la', 'prochaine'], 'a_la_prochaine'],
  [['trop', 'tard'], 'trop_tard'],
  [['tout', 'de', 'suite'], 'tout_de_suite'],
  [['en', 'ce', 'moment'], 'en_ce_moment'],
  [['en', 'cours'], 'en_cours'],
  [['y', 'est'], 'y_est'],
  [['bonne', 'journee'], 'bonne_journee'],
  [['bonne', 'soiree'], 'bonne_soiree'],
  [['bonne', 'nuit'], 'bonne_nuit'],
  [['profession', 'de', 'foi'], 'profession_de_foi'],
  [['marche', 'a', 'suivre'], 'marche_a_suivre'],
];

/** Every token that `conceptsOf` can add. */
export const CONCEPT_TOKENS: ReadonlySet<string> = new Set(CONCEPTS.map(([token]) => token));

/**
 * Remembered answers of conceptsOf: the same few hundred words come back in every message, and testing
 * them against every pattern was a third of the training time. Bounded, since teachers' words are not.
 */
const memo = new Map<string, readonly string[]>();
const MEMO_LIMIT = 20_000;

/** The concept tokens of a word (usually none, at most a few); a plural « s » or « x » does not matter. */
export function conceptsOf(token: string): readonly string[] {
  const known = memo.get(token);
  if (known !== undefined) return known;
  const singular = token.length > 3 ? token.replace(/[sx]$/, '') : token;
  const out: string[] = [];
  for (const [concept, pattern] of CONCEPTS)
    if (pattern.test(token) || pattern.test(singular)) out.push(concept);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(token, out);
  return out;
}

/** Replaces the word pairs of PHRASES by their single token. */
export function joinPhrases(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const match = PHRASES.find(([words]) => words.every((w, j) => tokens[i + j] === w));
    if (match) {
      out.push(match[1]);
      i += match[0].length - 1;
    } else out.push(tokens[i] ?? '');
  }
  return out;
}
