import assert from 'node:assert/strict';
import type { AddressProblem } from '../../src/domain/accounts/address';
import { t } from '../../src/i18n';
import {
  createDialogHarness,
  type DialogHarness,
  STRONG_PASSWORD,
  suggestedTitles,
  TEACHER_EMAIL,
  textOf,
  toAddressStep,
} from '../support/dialog-harness';

const SUGGESTED = 'jean.dupont@ac-paris.fr';

/** One address per refusal reason, and the suggestion the message must show, if any. */
const REFUSALS: ReadonlyArray<[AddressProblem, string, string | undefined]> = [
  ['empty', '   ', undefined],
  ['spaces', 'jean dupont@ac-paris.fr', undefined],
  ['accents', 'jéan.dupont@ac-paris.fr', SUGGESTED],
  ['notAnAddress', 'jean.dupont', undefined],
  ['personalDomain', 'jean.dupont@gmail.com', undefined],
  ['nearMissDomain', 'jean.dupont@ac-pari.fr', SUGGESTED],
  ['unknownDomain', 'jean.dupont@example.org', undefined],
  ['localPartFormat', 'jdupont@ac-paris.fr', undefined],
];

async function atAddress(channelId = 'test'): Promise<DialogHarness> {
  const h = createDialogHarness({ channelId });
  await toAddressStep(h);
  return h;
}

describe('AddressDialog', () => {
  it('asks for the professional address with its shape', async () => {
    const h = createDialogHarness();
    const replies = await toAddressStep(h);
    assert.equal(textOf(replies), t('bot.address.ask', { domain: 'ac-paris.fr' }));
    assert.match(textOf(replies), /`prenom\.nom@ac-paris\.fr`/);
  });

  describe('explains every refusal in its own words', () => {
    for (const [reason, typed, suggestion] of REFUSALS) {
      it(`${reason}: « ${typed} »`, async () => {
        const h = await atAddress();
        const replies = await h.say(typed);
        assert.equal(replies.length, 1, 'one message, then the teacher answers');
        const expected = t(`bot.address.problems.${reason}`, suggestion ? { suggestion } : undefined);
        assert.equal(replies[0]?.text, expected);
        if (suggestion) assert.ok(expected.includes(`\`${suggestion}\``), 'the suggestion is shown');
        assert.ok(h.activeDialogs().includes('addressPrompt'), 'still waiting for the address');
      });
    }

    it('the eight messages are all different', () => {
      const texts = REFUSALS.map(([reason, , suggestion]) =>
        t(`bot.address.problems.${reason}`, suggestion ? { suggestion } : undefined),
      );
      assert.equal(new Set(texts).size, REFUSALS.length);
    });
  });

  describe('a near miss', () => {
    for (const typed of ['jean.dupont@ac-pari.fr', 'jéan.dupont@ac-paris.fr', 'jean.dupont@ac-paris.com']) {
      it(`« ${typed} » then « oui » takes the suggestion`, async () => {
        const h = await atAddress();
        await h.say(typed);
        const text = textOf(await h.say('oui'));
        assert.ok(text.startsWith(t('bot.address.confirm', { email: SUGGESTED })), text);
      });
    }

    it('can be corrected by typing the address instead', async () => {
      const h = await atAddress();
      await h.say('jean.dupont@ac-pari.fr');
      const text = textOf(await h.say('jean.dupont@ac-creteil.fr'));
      assert.match(text, /`jean\.dupont@ac-creteil\.fr`/);
    });

    it('« oui » after a refusal that offered nothing is not an address', async () => {
      const h = await atAddress();
      await h.say('jean.dupont@gmail.com');
      assert.equal(textOf(await h.say('oui')), t('bot.address.problems.notAnAddress'));
    });

    it('« oui » only takes a suggestion the teacher was shown (spaces)', async () => {
      const h = await atAddress();
      // Without its space the address is valid: « oui » may take it only if the message offered it.
      const refusal = textOf(await h.say('jean.dupont @ac-paris.fr'));
      const shown = refusal.includes(`\`${SUGGESTED}\``);
      const accepted = textOf(await h.say('oui')).startsWith(t('bot.address.confirm', { email: SUGGESTED }));
      assert.ok(
        shown || !accepted,
        'a « oui » answered to a question that was never asked must not choose the address',
      );
    });

    it('a suggestion is only good for the next answer', async () => {
      const h = await atAddress();
      await h.say('jean.dupont@ac-pari.fr');
      await h.say('jean.dupont@gmail.com');
      assert.equal(textOf(await h.say('oui')), t('bot.address.problems.notAnAddress'));
    });
  });

  describe('confirmation', () => {
    it('shows the normalised address (trimmed, lowercase, mailto: and <> removed) in code style', async () => {
      for (const typed of [
        '  Jean.Dupont@AC-PARIS.FR ',
        'mailto:jean.dupont@ac-paris.fr',
        '<Jean.Dupont@ac-paris.fr>',
      ]) {
        const h = await atAddress();
        const text = textOf(await h.say(typed));
        assert.ok(text.startsWith(t('bot.address.confirm', { email: TEACHER_EMAIL })), text);
        assert.match(text, /\n\n`jean\.dupont@ac-paris\.fr`\n\n/);
      }
    });

    it('offers « Oui » and « Non » as suggested actions on webchat', async () => {
      const h = await atAddress('webchat');
      assert.deepEqual(suggestedTitles(await h.say(TEACHER_EMAIL)), ['Oui', 'Non']);
    });

    it('« non » asks for the address again, and the new one is confirmed in its turn', async () => {
      const h = await atAddress();
      await h.say(TEACHER_EMAIL);
      assert.equal(textOf(await h.say('non')), t('bot.address.reask'));
      assert.ok(h.activeDialogs().includes('addressPrompt'));
      const text = textOf(await h.say('marie.curie@ac-versailles.fr'));
      assert.ok(text.startsWith(t('bot.address.confirm', { email: 'marie.curie@ac-versailles.fr' })), text);
    });

    it('« c’est ça » confirms and the normalised address is the one the account gets', async () => {
      const h = await atAddress();
      await h.say('  Jean.Dupont@AC-PARIS.FR ');
      assert.match(textOf(await h.say('c’est ça')), /mot de passe électeur/);
      await h.say(STRONG_PASSWORD);
      await h.say(STRONG_PASSWORD);
      assert.equal((await h.store.find(TEACHER_EMAIL))?.status, 'pending');
    });

    it('keeps only the address, never the refused attempts, in the conversation state', async () => {
      const h = await atAddress();
      await h.say('jean.dupont@gmail.com');
      assert.doesNotMatch(h.stateJson(), /gmail/);
    });
  });
});
