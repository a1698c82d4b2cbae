import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MAX_MISUNDERSTOOD, MAX_MISUNDERSTOOD_LENGTH, type Stats } from '../../../src/domain/stats/ports';

/** The instant the stores under test must take as their clock's now. */
export const NOW = new Date('2014-11-20T10:00:00Z');
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

/** The same contract for the Redis store and the embedded one: the console cannot tell them apart. */
export function statsContract(name: string, make: () => Promise<Stats>) {
  describe(`${name} (contract)`, () => {
    it('counts accounts and mails per Paris day, zeros included', async () => {
      const stats = await make();
      await stats.accountRequested('created', 'a@ac-paris.fr', at('2014-11-19T09:00:00Z'));
      // 23 h 30 UTC is 0 h 30 on the 20th in Paris (UTC+1 in November).
      await stats.accountRequested('created', 'b@ac-paris.fr', at('2014-11-19T23:30:00Z'));
      await stats.accountRequested('replaced', 'b@ac-paris.fr', at('2014-11-20T08:00:00Z'));
      await stats.accountRequested('already-confirmed', 'c@ac-paris.fr', at('2014-11-20T08:00:00Z'));
      await stats.accountConfirmed('a@ac-paris.fr', at('2014-11-20T09:00:00Z'));
      await stats.mailSent(at('2014-11-19T09:00:01Z'));
      await stats.mailSent(at('2014-11-20T08:00:01Z'));
      await stats.mailFailed(at('2014-11-20T08:00:02Z'));
      assert.deepEqual(await stats.daily('2014-11-18', '2014-11-20'), [
        { day: '2014-11-18', accountsCreated: 0, accountsConfirmed: 0, mailsSent: 0, mailsFailed: 0 },
        { day: '2014-11-19', accountsCreated: 1, accountsConfirmed: 0, mailsSent: 1, mailsFailed: 0 },
        { day: '2014-11-20', accountsCreated: 1, accountsConfirmed: 1, mailsSent: 1, mailsFailed: 1 },
      ]);
    });

    it('counts the events of a known académie for it too, and reads one académie’s figures (issue 14)', async () => {
      const stats = await make();
      const day = '2014-11-20';
      await stats.accountRequested('created', 'a@ac-reunion.fr', at('2014-11-20T08:00:00Z'), 'reunion');
      await stats.accountRequested('created', 'b@ac-paris.fr', at('2014-11-20T08:00:00Z'), 'paris');
      await stats.accountRequested('created', 'c@ac-reunion.fr', at('2014-11-18T08:00:00Z'), 'reunion');
      await stats.accountConfirmed('a@ac-reunion.fr', at('2014-11-20T09:00:00Z'), 'reunion');
      await stats.mailSent(at('2014-11-20T08:00:01Z'), 'reunion');
      await stats.mailFailed(at('2014-11-20T08:00:02Z'));
      await stats.recognised('ask_vote_close', true, at('2014-11-20T08:00:00Z'), 'reunion');
      await stats.recognised('ask_vote_close', false, at('2014-11-20T08:01:00Z'), 'paris');
      await stats.recognised('webmail_help', true, at('2014-11-20T08:02:00Z'));
      await stats.misunderstood('heu', at('2014-11-20T08:03:00Z'), 'reunion');
      await stats.misunderstood('bof', at('2014-11-20T08:04:00Z'));
      assert.deepEqual(await stats.daily(day, day, 'reunion'), [
        { day, accountsCreated: 1, accountsConfirmed: 1, mailsSent: 1, mailsFailed: 0 },
      ]);
      assert.deepEqual(await stats.daily(day, day), [
        { day, accountsCreated: 2, accountsConfirmed: 1, mailsSent: 1, mailsFailed: 1 },
      ]);
      assert.equal(await stats.pendingOlderThan(24 * HOUR, NOW, 'reunion'), 1);
      assert.equal(await stats.pendingOlderThan(0, NOW, 'paris'), 1);
      assert.deepEqual(await stats.topIntents(1, 10, 'reunion'), [
        { intent: 'ask_vote_close', count: 1, unsure: 0 },
      ]);
      assert.deepEqual(
        (await stats.topIntents(1, 10)).map((c) => c.intent),
        ['ask_vote_close', 'webmail_help'],
      );
      assert.deepEqual(
        (await stats.recentMisunderstood(10, 'reunion')).map((m) => [m.text, m.academie]),
        [['heu', 'reunion']],
      );
      assert.equal((await stats.recentMisunderstood(10)).length, 2);
      // An id that is no profile's (or a key part in disguise) counts for no académie and reads zeros.
      await stats.recognised('help', true, at('2014-11-20T08:05:00Z'), '../{stats}:x');
      assert.deepEqual(await stats.topIntents(1, 10, '../{stats}:x'), []);
      assert.deepEqual(await stats.daily(day, day, 'atlantide'), [
        { day, accountsCreated: 0, accountsConfirmed: 0, mailsSent: 0, mailsFailed: 0 },
      ]);
    });

    it('answers no rows for a reversed or malformed range', async () => {
      const stats = await make();
      assert.deepEqual(await stats.daily('2014-11-20', '2014-11-19'), []);
      assert.deepEqual(await stats.daily('2014-02-30', '2014-03-01'), []);
      assert.deepEqual(await stats.daily('hier', '2014-11-19'), []);
    });

    it('counts accounts pending for more than 24 h; confirmation and a fresh link take them out', async () => {
      const stats = await make();
      await stats.accountRequested('created', 'old@ac-paris.fr', new Date(NOW.getTime() - 30 * HOUR));
      await stats.accountRequested('created', 'Confirmed@ac-paris.fr', new Date(NOW.getTime() - 40 * HOUR));
      await stats.accountRequested('created', 'renewed@ac-paris.fr', new Date(NOW.getTime() - 50 * HOUR));
      await stats.accountRequested('created', 'recent@ac-paris.fr', new Date(NOW.getTime() - 2 * HOUR));
      await stats.accountConfirmed('confirmed@ac-paris.fr', new Date(NOW.getTime() - HOUR));
      await stats.accountRequested('replaced', 'renewed@ac-paris.fr', new Date(NOW.getTime() - HOUR));
      assert.equal(await stats.pendingOlderThan(24 * HOUR, NOW), 1);
      assert.equal(await stats.pendingOlderThan(0, NOW), 3);
    });

    it('counts accounts per mail domain for the académie filter, only the days and domains with some', async () => {
      const stats = await make();
      await stats.accountRequested('created', 'a@ac-paris.fr', at('2014-11-19T09:00:00Z'));
      await stats.accountRequested('created', 'b@AC-Creteil.fr', at('2014-11-19T23:30:00Z'));
      await stats.accountRequested('replaced', 'b@ac-creteil.fr', at('2014-11-20T08:00:00Z'));
      await stats.accountRequested('created', 'c@ac-creteil.fr', at('2014-11-20T08:00:00Z'));
      await stats.accountConfirmed('a@ac-paris.fr', at('2014-11-20T09:00:00Z'));
      await stats.accountRequested('created', 'sans-domaine', at('2014-11-20T09:00:00Z'));
      await stats.mailSent(at('2014-11-20T08:00:01Z'));
      const days = await stats.accountsByDomain('2014-11-18', '2014-11-20');
      assert.deepEqual(
        days.map((d) => [d.day, Object.fromEntries(d.domains)]),
        [
          ['2014-11-18', {}],
          ['2014-11-19', { 'ac-paris.fr': { accountsCreated: 1, accountsConfirmed: 0 } }],
          [
            '2014-11-20',
            {
              'ac-creteil.fr': { accountsCreated: 2, accountsConfirmed: 0 },
              'ac-paris.fr': { accountsCreated: 0, accountsConfirmed: 1 },
            },
          ],
        ],
      );
      assert.deepEqual(await stats.accountsByDomain('2014-11-20', '2014-11-19'), []);
    });

    it('counts pending accounts per mail domain, a confirmation taking them out of their domain too', async () => {
      const stats = await make();
      await stats.accountRequested('created', 'p1@ac-paris.fr', new Date(NOW.getTime() - 30 * HOUR));
      await stats.accountRequested('created', 'p2@ac-paris.fr', new Date(NOW.getTime() - 30 * HOUR));
      await stats.accountRequested('created', 'c1@ac-creteil.fr', new Date(NOW.getTime() - 30 * HOUR));
      await stats.accountRequested('created', 'v1@ac-versailles.fr', new Date(NOW.getTime() - 2 * HOUR));
      await stats.accountConfirmed('P2@ac-paris.fr', new Date(NOW.getTime() - HOUR));
      assert.equal(await stats.pendingInDomains(['ac-paris.fr'], 24 * HOUR, NOW), 1);
      assert.equal(await stats.pendingInDomains(['ac-paris.fr', 'ac-creteil.fr'], 24 * HOUR, NOW), 2);
      assert.equal(await stats.pendingInDomains(['ac-versailles.fr'], 24 * HOUR, NOW), 0);
      assert.equal(await stats.pendingInDomains(['ac-versailles.fr'], 0, NOW), 1);
      assert.equal(await stats.pendingInDomains([], 0, NOW), 0);
      assert.equal(await stats.pendingOlderThan(24 * HOUR, NOW), 2);
    });

    it('ranks intents over the last days, with the unsure ones, older days left out', async () => {
      const stats = await make();
      await stats.recognised('statut', true, at('2014-11-20T08:00:00Z'));
      await stats.recognised('statut', false, at('2014-11-19T08:00:00Z'));
      await stats.recognised('statut', true, at('2014-11-19T08:01:00Z'));
      await stats.recognised('aide', false, at('2014-11-20T08:00:00Z'));
      await stats.recognised('aide', true, at('2014-11-20T08:01:00Z'));
      await stats.recognised('creer', true, at('2014-11-20T08:02:00Z'));
      await stats.recognised('vieux', true, at('2014-11-01T08:00:00Z'));
      assert.deepEqual(await stats.topIntents(7, 10), [
        { intent: 'statut', count: 3, unsure: 1 },
        { intent: 'aide', count: 2, unsure: 1 },
        { intent: 'creer', count: 1, unsure: 0 },
      ]);
      assert.deepEqual(await stats.topIntents(1, 1), [{ intent: 'aide', count: 2, unsure: 1 }]);
    });

    it('keeps the last misunderstood messages, newest first, clipped and capped', async () => {
      const stats = await make();
      for (let i = 0; i < MAX_MISUNDERSTOOD + 5; i++)
        await stats.misunderstood(`message ${i}`, new Date(NOW.getTime() - (1000 - i) * 1000));
      await stats.misunderstood('   ', NOW);
      await stats.misunderstood(`<b>${'x'.repeat(MAX_MISUNDERSTOOD_LENGTH)}</b>`, NOW);
      const recent = await stats.recentMisunderstood(1000);
      assert.equal(recent.length, MAX_MISUNDERSTOOD);
      assert.deepEqual(recent[0], {
        at: NOW.toISOString(),
        text: `<b>${'x'.repeat(MAX_MISUNDERSTOOD_LENGTH - 3)}`,
      });
      assert.equal(recent[1]?.text, `message ${MAX_MISUNDERSTOOD + 4}`);
      assert.deepEqual(await stats.recentMisunderstood(0), []);
    });
  });
}
