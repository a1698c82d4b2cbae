import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import {
  type BotHarness,
  type BotReply,
  confirmByLink,
  linkIn,
  startBot,
  textOf,
} from '../support/bot-harness';
import { SENT } from '../support/walk';

/** Shared Teams payloads (see their README); read-only, cloned for every post. */
/** Copied from shared/fixtures/teams (fictitious identifiers; sources in its README). */
const FIXTURES = path.resolve(__dirname, '../fixtures/teams');

type Activity = Record<string, unknown> & {
  id: string;
  conversation: { id: string };
  from: { id: string; name?: string };
};

function fixture(name: string): Activity {
  const file = fs.readdirSync(FIXTURES).find((f) => f.startsWith(name));
  if (!file) throw new Error(`no Teams fixture ${name} in ${FIXTURES}`);
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Activity;
}

/** Texts of the replies and of their hero cards (Teams gets yes/no questions as hero cards). */
function allText(replies: readonly BotReply[]): string {
  const cards = replies.flatMap((r) => r.attachments ?? []).map((a) => String(a.content.text ?? ''));
  return [textOf(replies), ...cards].join('\n');
}

const WELCOME = /Bonjour, je suis l’Assistant électeur/;

/** Teams displays and processes at most three suggested actions. */
const TEAMS_MAX_SUGGESTED_ACTIONS = 3;

describe('Teams payloads (shared fixtures) through /api/messages', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  /** The fixture as Teams would send it to this bot: our connector, replies in the HTTP body. */
  function asPosted(name: string, changes: Record<string, unknown> = {}): Activity {
    return {
      ...structuredClone(fixture(name)),
      serviceUrl: bot.connector.serviceUrl,
      deliveryMode: 'expectReplies',
      ...changes,
    };
  }

  async function post(activity: Activity): Promise<BotReply[]> {
    const response = await bot.post(activity);
    assert.equal(response.status, 200, await response.clone().text());
    const text = await response.text();
    return text ? ((JSON.parse(text) as { activities?: BotReply[] }).activities ?? []) : [];
  }

  /** A personal conversation of its own, so that tests do not share dialog state. */
  function freshConversation(): { id: string } {
    return { ...fixture('03a').conversation, id: `a:1xFiCtIf${randomUUID()}` };
  }

  /** A Teams text message (shape of 03a) in `conversation`. */
  function teamsMessage(conversation: { id: string }, text: string): Activity {
    return asPosted('03a', {
      id: String(Date.now() + Math.floor(Math.random() * 1e6)),
      conversation,
      text,
      attachments: [{ contentType: 'text/html', content: `<p>${text}</p>` }],
    });
  }

  it('welcomes in French on 02 conversationUpdate membersAdded, in the HTTP body', async () => {
    const before = bot.connector.posted.length;
    const replies = await post(asPosted('02', { conversation: freshConversation() }));
    assert.match(textOf(replies), WELCOME);
    assert.match(textOf(replies), /Que souhaitez-vous faire/);
    assert.ok(
      replies.some((r) =>
        r.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.hero'),
      ),
      'the four choices as card buttons on Teams (it shows at most three suggested actions)',
    );
    assert.ok(replies.every((r) => r.locale === 'fr-FR'));
    assert.equal(bot.connector.posted.length, before, 'nothing sent through the connector');
  });

  it('welcomes once when Teams retries 02 with the same id', async () => {
    const activity = asPosted('02', { id: `f:${randomUUID()}`, conversation: freshConversation() });
    assert.match(textOf(await post(activity)), WELCOME);
    assert.deepEqual(await post(structuredClone(activity)), []);
  });

  it('welcomes on install (01 installationUpdate), and not a second time on the 02 that follows', async () => {
    const conversation = freshConversation();
    const install = await post(asPosted('01', { conversation, id: `f:${randomUUID()}` }));
    assert.match(textOf(install), WELCOME);
    const joined = await post(asPosted('02', { conversation, id: `f:${randomUUID()}` }));
    assert.deepEqual(joined, [], 'one welcome per conversation');
  });

  it('keeps Teams suggested actions within its limits (≤ 3, titles ≤ 20 characters)', async () => {
    const conversation = freshConversation();
    const replies = [
      ...(await post(teamsMessage(conversation, 'Créer mon compte électeur'))),
      ...(await post(teamsMessage(conversation, 'non'))),
      ...(await post(teamsMessage(conversation, 'azerty qsdf'))),
    ];
    const withActions = replies.filter((r) => r.suggestedActions?.actions.length);
    assert.ok(withActions.length >= 2, 'yes/no and webmail choices as suggested actions');
    for (const reply of withActions) {
      const titles = reply.suggestedActions?.actions.map((a) => a.title) ?? [];
      assert.ok(titles.length <= 3, titles.join(' | '));
      for (const title of titles)
        assert.ok([...title].length <= 20, `« ${title} » is longer than 20 characters`);
    }
  });

  it('offers the Teams profile address when it is on an académie domain, to be confirmed', async () => {
    const profile = fixture('06a') as Record<string, unknown>;
    const conversation = freshConversation();
    const userId = (fixture('03a').from as { id: string }).id;
    // The fixture's address is not an académie's: nothing is offered.
    bot.connector.members.set(userId, profile);
    await post(teamsMessage(conversation, 'Créer mon compte électeur'));
    assert.doesNotMatch(textOf(await post(teamsMessage(conversation, 'oui'))), /compte Teams indique/);
    await post(teamsMessage(conversation, 'annuler'));

    bot.connector.members.set(userId, { ...profile, email: 'Jeanne.Martin@ac-paris.fr' });
    // The webmail works (said above): the activation starts again at the address.
    const offered = await post(teamsMessage(conversation, 'Créer mon compte électeur'));
    assert.match(textOf(offered), /compte Teams indique[\s\S]*`jeanne\.martin@ac-paris\.fr`/);
    const confirmReplies = await post(teamsMessage(conversation, 'jeanne.martin@ac-paris.fr'));
    const confirm = textOf(confirmReplies);
    bot.connector.members.delete(userId);
    assert.match(
      confirm,
      /Est-ce bien votre adresse professionnelle/,
      `never assumed: the teacher confirms\n${confirm}`,
    );
  });

  it('welcomes on 03a « Bonjour »', async () => {
    const replies = await post(asPosted('03a', { conversation: freshConversation() }));
    assert.match(textOf(replies), WELCOME);
    assert.ok(replies.every((r) => r.locale === 'fr-FR'));
  });

  it('offers every main choice on Teams, where at most three suggested actions are shown', async () => {
    const replies = await post(
      asPosted('03a', { conversation: freshConversation(), id: String(Date.now()) }),
    );
    const menu = replies.find((r) => r.suggestedActions);
    const cardButtons = replies
      .flatMap((r) => r.attachments ?? [])
      .filter((a) => a.contentType === 'application/vnd.microsoft.card.hero')
      .flatMap((a) =>
        ((a.content as { buttons?: Array<{ title: string }> }).buttons ?? []).map((b) => b.title),
      );
    const shown = [
      ...(menu?.suggestedActions?.actions ?? []).slice(0, TEAMS_MAX_SUGGESTED_ACTIONS).map((a) => a.title),
      ...cardButtons,
    ];
    const text = textOf(replies);
    for (const choice of [
      'Créer mon compte électeur',
      'Dates importantes',
      'Je n’ai pas reçu le mail',
      'Aide',
    ]) {
      assert.ok(
        shown.includes(choice) || text.includes(choice),
        `« ${choice} » is neither one of the ${TEAMS_MAX_SUGGESTED_ACTIONS} buttons Teams shows nor in the text ` +
          `(${menu?.suggestedActions?.actions.length} suggested actions sent)`,
      );
    }
  });

  it('answers two teachers whose Teams messages carry the same epoch-ms id', async () => {
    // Teams message ids are the server time in milliseconds: two users can send at the same instant.
    const id = String(Date.now());
    const jeanne = asPosted('03a', { id, conversation: freshConversation() });
    const louis = asPosted('03b', {
      id,
      conversation: { ...fixture('03b').conversation, id: `a:1y${randomUUID()}` },
    });
    assert.match(textOf(await post(jeanne)), WELCOME);
    assert.match(textOf(await post(louis)), WELCOME, 'the second teacher is not taken for a retry');
  });

  it('accepts the password card submitted as in 04a (value, no text) during the password step', async () => {
    const conversation = freshConversation();
    const email = 'jeanne.martin@ac-paris.fr';
    assert.match(textOf(await post(asPosted('02', { id: `f:${randomUUID()}`, conversation }))), WELCOME);
    assert.match(
      allText(await post(teamsMessage(conversation, 'Créer mon compte électeur'))),
      /Avez-vous déjà activé/,
    );
    assert.match(
      allText(await post(teamsMessage(conversation, 'Oui'))),
      /adresse de messagerie professionnelle/,
    );
    assert.match(allText(await post(teamsMessage(conversation, email))), /Est-ce bien votre adresse/);
    const passwordStep = await post(teamsMessage(conversation, 'Oui'));
    const card = passwordStep
      .flatMap((r) => r.attachments ?? [])
      .find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    assert.ok(card, 'Teams gets the masked card');
    assert.equal(card.content.version, '1.5', 'Teams supports Adaptive Cards up to 1.5');
    const submit = (card.content.actions as Array<{ type: string; data?: unknown }>)[0];
    assert.equal(submit?.type, 'Action.Submit');
    assert.equal(typeof submit?.data, 'object', 'object data: Teams drops string data');

    const submitted = asPosted('04a', { id: `f:${randomUUID()}`, conversation });
    assert.equal(submitted.text, undefined);
    const value = submitted.value as { action: string; password: string; confirmation: string };
    assert.equal(value.action, 'password');
    const answer = textOf(await post(submitted));
    assert.match(answer, SENT);
    assert.match(answer, /jeanne\.martin@ac-paris\.fr/);
    assert.doesNotMatch(answer, new RegExp(value.password.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')));

    const mail = (await bot.smtp.waitForMessages(1)).find((m) => m.to.includes(email));
    assert.ok(mail);
    assert.equal((await confirmByLink(linkIn(mail.text), value.password)).status, 200);
    const proactive = await bot.connector.waitFor((p) => p.conversationId === conversation.id);
    assert.match(proactive.activity.text ?? '', /Votre compte électeur est confirmé/);
  });
});
