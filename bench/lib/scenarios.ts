import { type Conversation, type Reply, textOf } from './load';

/** Spaces as the bot writes them (narrow no-break before « ? », no-break in « 17 h »), made plain. */
export function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

function expect(replies: readonly Reply[], checks: readonly RegExp[], what: string): void {
  const text = plain(textOf(replies));
  for (const check of checks) {
    if (!check.test(text))
      throw new Error(`wrong reply to « ${what} »: ${check} not in ${JSON.stringify(text.slice(0, 160))}`);
  }
}

/**
 * Questions asked in the teacher's words, with what the answer must contain (locales/fr/answers.json
 * under the demo clock, 20 November 2014 09:00 Paris time: account window open, vote not yet open).
 */
export const QUESTIONS: ReadonlyArray<{ text: string; kind: 'date' | 'help'; expect: RegExp[] }> = [
  {
    text: 'Quand a lieu le vote ?',
    kind: 'date',
    expect: [
      /Le vote ouvre le jeudi 27 novembre 2014 à 10 h \(heure de Paris\)/,
      /se termine le jeudi 4 décembre 2014 à 17 h/,
    ],
  },
  {
    text: 'Quand ferme la création des comptes ?',
    kind: 'date',
    expect: [/créer votre compte électeur jusqu’au jeudi 4 décembre 2014 à 16 h/],
  },
  {
    text: 'Quand se termine le vote ?',
    kind: 'date',
    expect: [/Le vote se termine le jeudi 4 décembre 2014 à 17 h/],
  },
  {
    text: 'Quand auront lieu les résultats ?',
    kind: 'date',
    expect: [/Les résultats seront consultables à partir du vendredi 5 décembre 2014/],
  },
  {
    text: 'Date limite de création du compte ?',
    kind: 'date',
    expect: [/créer votre compte électeur jusqu’au jeudi 4 décembre 2014 à 16 h/],
  },
  {
    text: 'Je ne connais pas mon NUMEN',
    kind: 'help',
    expect: [/Le NUMEN est votre numéro d’identification/, /service de gestion au rectorat/],
  },
  { text: 'Ma boîte est pleine', kind: 'help', expect: [/supprimez des messages et videz la corbeille/] },
  {
    text: 'aide',
    kind: 'help',
    expect: [/Je peux vous aider à :/, /écrivez « aide », « annuler » ou « recommencer »/],
  },
  {
    text: 'Je n’ai pas reçu le mail',
    kind: 'help',
    expect: [/peut mettre quelques minutes à arriver/, /Courriers indésirables/],
  },
];

/**
 * One question turn. Each conversation goes round the questions from its own starting point (new
 * conversations start one further each), so that every conversation gets a mix and never asks twice in a
 * row for the same answer: the bot answers that differently (« Je vous ai donné cette réponse juste
 * avant », dialogs/main-dialog.ts), which is why the two questions with one answer are not neighbours.
 */
export function questionTurn(): (conversation: Conversation) => Promise<void> {
  let start = 0;
  const cursors = new WeakMap<Conversation, number>();
  return async (conversation) => {
    const at = cursors.get(conversation) ?? start++;
    cursors.set(conversation, at + 1);
    const question = QUESTIONS[at % QUESTIONS.length] as (typeof QUESTIONS)[number];
    expect(await conversation.say(question.text), question.expect, question.text);
  };
}

/** The echo bot's turn: the reply must be our text back. */
export function echoTurn(): (conversation: Conversation) => Promise<void> {
  let next = 0;
  return async (conversation) => {
    const text = `Bonjour ${next++}`;
    const replies = await conversation.say(text);
    if (replies.length !== 1 || replies[0]?.text !== `Echo: ${text}`)
      throw new Error(`wrong echo: ${JSON.stringify(replies).slice(0, 200)}`);
  };
}

export const BENCH_PASSWORD = 'Electeur2014';

/**
 * The activation up to the password step, on Web Chat (test/integration/activation.test.ts): welcome,
 * « créer mon compte », webmail already activated, the address, its confirmation. Five turns, no argon2.
 */
export async function activationUpToPassword(conversation: Conversation, address: string): Promise<void> {
  expect(await conversation.join(), [/Bonjour, je suis l’Assistant électeur/], 'join');
  expect(
    await conversation.say('Créer mon compte électeur'),
    [/Avez-vous déjà activé votre messagerie professionnelle \?/],
    'Créer mon compte électeur',
  );
  expect(
    await conversation.say('oui'),
    [/Quelle est votre adresse de messagerie professionnelle/],
    'oui (webmail)',
  );
  const escaped = address.replace(/\./g, '\\.');
  expect(
    await conversation.say(address),
    [new RegExp(`\`${escaped}\``), /Est-ce bien votre adresse professionnelle/],
    address,
  );
  const passwordStep = await conversation.say('oui');
  expect(passwordStep, [/Retenez bien ce mot de passe/], 'oui (adresse)');
  const card = passwordStep
    .flatMap((r) => r.attachments ?? [])
    .some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error('no masked password card at the password step');
}

/**
 * The turn that creates the account: the Web Chat card carries both entries, so the bot compares them and
 * hashes once (the account service's argon2id); typed twice as messages, it would hash the first entry,
 * verify the second and hash again.
 */
export async function createAccountTurn(conversation: Conversation, address: string): Promise<void> {
  const replies = await conversation.submit({
    action: 'password',
    password: BENCH_PASSWORD,
    confirmation: BENCH_PASSWORD,
  });
  const escaped = address.replace(/\./g, '\\.');
  expect(
    replies,
    [/Un mail part vers votre adresse professionnelle/, new RegExp(`\`${escaped}\``), /quelques minutes/],
    'password card',
  );
}
