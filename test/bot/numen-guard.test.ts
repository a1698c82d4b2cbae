import assert from 'node:assert/strict';
import { type Activity, TestAdapter } from 'botbuilder';
import { describe, it } from 'mocha';
import { NUMEN_DETECTED } from '../../dialogs/types';
import { numenGuardMiddleware } from '../../src/bot/middleware/numen-guard';
import { MASK } from '../../src/domain/mask';

/** What the logic behind the guard sees of `activity`, and whether it was told about a NUMEN. */
async function seen(
  activity: Partial<Activity>,
): Promise<{ activity: Partial<Activity>; detected: boolean }> {
  let result: { activity: Partial<Activity>; detected: boolean } | undefined;
  const adapter = new TestAdapter(async (context) => {
    result = {
      activity: structuredClone(context.activity),
      detected: context.turnState.get(NUMEN_DETECTED) === true,
    };
  }).use(numenGuardMiddleware());
  await adapter.processActivity(activity);
  if (!result) throw new Error('the turn did not reach the logic');
  return result;
}

describe('NUMEN guard middleware', () => {
  it('masks the text, in any spelling, and tells the dialogs', async () => {
    const { activity, detected } = await seen({ type: 'message', text: 'numen : 34/cd/567890/qrs merci' });
    assert.equal(activity.text, `numen : ${MASK} merci`);
    assert.equal(detected, true);
  });

  it('masks every string of the value at any depth, for events and invokes too', async () => {
    for (const type of ['message', 'event', 'invoke']) {
      const { activity, detected } = await seen({
        type,
        name: 'x',
        value: { action: { data: { note: ['voici ３４ＣＤ５６７８９０ＱＲＳ'] } } },
      });
      assert.deepEqual(activity.value, { action: { data: { note: [`voici ${MASK}`] } } }, type);
      assert.equal(detected, true);
    }
  });

  it('masks the text/html copy Teams attaches, through &nbsp; and tags, and leaves other attachments', async () => {
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } };
    const { activity, detected } = await seen({
      type: 'message',
      text: 'mon numen 34 CD 567890 QRS',
      attachments: [
        { contentType: 'text/html', content: '<p>mon numen 34&nbsp;CD <b>567890</b>&nbsp;QRS</p>' },
        card,
      ],
    });
    assert.equal(activity.text, `mon numen ${MASK}`);
    assert.deepEqual(activity.attachments, [
      { contentType: 'text/html', content: `<p>mon numen ${MASK}</p>` },
      card,
    ]);
    assert.equal(detected, true);
  });

  it('changes nothing and tells nothing when there is no NUMEN', async () => {
    const original = {
      type: 'message',
      text: 'Mon mot de passe Soleil2014, le 04/12/2014 à 17 h 30, tél. 06 12 34 56 78',
      value: { password: 'Soleil2014' },
      attachments: [{ contentType: 'text/html', content: '<p>12 rue de la Paix, 75002&nbsp;Paris</p>' }],
    };
    const { activity, detected } = await seen(structuredClone(original));
    assert.equal(activity.text, original.text);
    assert.deepEqual(activity.value, original.value);
    assert.deepEqual(activity.attachments, original.attachments);
    assert.equal(detected, false);
  });
});
