import assert from 'node:assert/strict';
import { type Activity, ConversationState, MemoryStorage } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { type SecretAnswer, SecretPrompt } from '../../dialogs/secret-prompt';
import { PASSWORD_CARD_ACTION } from '../../src/domain/turns/activity-names';

const ASK = 'Votre secret\u00a0?';
const RETRY = 'Encore une fois, votre secret\u00a0?';
const REFUSED = 'Refusé';

/** Asks once through SecretPrompt, then says what the next step received (in the test only). */
class AskSecret extends ComponentDialog {
  constructor(withValidator: boolean) {
    super('askSecret');
    this.addDialog(
      new SecretPrompt(
        'secret',
        withValidator
          ? async (prompt) => {
              if (prompt.recognized.value?.secret === REFUSED) return false;
              return prompt.recognized.succeeded;
            }
          : undefined,
      ),
    );
    this.addDialog(
      new WaterfallDialog('steps', [
        async (step: WaterfallStepContext) => step.prompt('secret', { prompt: ASK, retryPrompt: RETRY }),
        async (step: WaterfallStepContext) => {
          const answer = step.result as SecretAnswer;
          await step.context.sendActivity(`received:${JSON.stringify(answer)}`);
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = 'steps';
  }
}

async function start(withValidator = false) {
  const memory: Record<string, string> = {};
  const client = new DialogTestClient(
    'test',
    new AskSecret(withValidator),
    undefined,
    [],
    new ConversationState(new MemoryStorage(memory)),
  );
  const first = await client.sendActivity('bonjour');
  assert.equal(first?.text, ASK);
  /** The answer the next step received, or the prompt's reply when it re-asked. */
  const answer = async (activity: Partial<Activity>): Promise<SecretAnswer | string> => {
    const reply = (await client.sendActivity({ type: 'message', ...activity })) as Partial<Activity>;
    const text = reply?.text ?? '';
    return text.startsWith('received:') ? (JSON.parse(text.slice('received:'.length)) as SecretAnswer) : text;
  };
  return { client, memory, answer };
}

describe('SecretPrompt', () => {
  it('takes a typed message as the secret, keeping its spaces', async () => {
    const { answer } = await start();
    assert.deepEqual(await answer({ text: '  Mon Secret 1 ' }), { secret: '  Mon Secret 1 ' });
  });

  it('takes both entries of the card from activity.value', async () => {
    const { answer } = await start();
    assert.deepEqual(
      await answer({
        value: { action: PASSWORD_CARD_ACTION, password: 'Electeur2014', confirmation: 'Autre2014' },
      }),
      { secret: 'Electeur2014', confirmation: 'Autre2014' },
    );
  });

  it('takes a card without confirmation as a single entry', async () => {
    const { answer } = await start();
    assert.deepEqual(
      await answer({ value: { action: PASSWORD_CARD_ACTION, password: 'Electeur2014', confirmation: '' } }),
      { secret: 'Electeur2014' },
    );
  });

  it('prefers the typed text when a message carries both text and a value', async () => {
    const { answer } = await start();
    assert.deepEqual(
      await answer({ text: 'Tapé2014', value: { action: PASSWORD_CARD_ACTION, password: 'Carte2014' } }),
      { secret: 'Tapé2014' },
    );
  });

  for (const [what, value] of [
    ['another card', { action: 'autre', password: 'Electeur2014' }],
    ['a card without password', { action: PASSWORD_CARD_ACTION }],
    ['a password that is not text', { action: PASSWORD_CARD_ACTION, password: 2014 }],
  ] as const) {
    it(`re-asks with the retry prompt for ${what}`, async () => {
      const { answer } = await start();
      assert.equal(await answer({ value }), RETRY);
    });
  }

  it('re-asks for an empty message', async () => {
    const { answer } = await start();
    assert.equal(await answer({ text: '' }), RETRY);
  });

  it('keeps nothing of a refused or accepted secret in the conversation state', async () => {
    const { answer, memory } = await start(true);
    assert.equal(await answer({ text: REFUSED }), RETRY);
    const afterRefusal = JSON.stringify(memory);
    assert.ok(
      Object.values(memory).some((item) => item.includes('"id":"secret"')),
      'the prompt is waiting in the stored state',
    );
    assert.doesNotMatch(afterRefusal, new RegExp(REFUSED));

    assert.deepEqual(
      await answer({
        value: { action: PASSWORD_CARD_ACTION, password: 'Carte2014', confirmation: 'Carte2014' },
      }),
      { secret: 'Carte2014', confirmation: 'Carte2014' },
    );
    assert.doesNotMatch(JSON.stringify(memory), /Carte2014/);
  });
});
