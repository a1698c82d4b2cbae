import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import {
  checkTurn,
  DEFAULT_DIR,
  FixtureError,
  joinReplies,
  loadConversations,
  main,
} from '../../scripts/eval-dialogue';

/** The expression the held-out README gives for « the same choice twice in one set ». */
const DUPLICATE_CHOICE = String.raw`⟦(?:actions|boutons)⟧ (?:[^|\n]+ \| )*([^|\n]+) \| (?:[^|\n]+ \| )*\1(?= \||\n|$)`;

function writeConversations(dir: string, conversations: Record<string, unknown>[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const c of conversations) fs.writeFileSync(path.join(dir, `${c.id}.json`), JSON.stringify(c));
}

/** Only the core activation flow, so the scorer's own test does not depend on issue 11 being done. */
const PASSING = {
  id: 'scorer-passes',
  description: 'the activation, the mailed link opened, the proactive confirmation',
  issueItem: 1,
  turns: [
    { user: 'Créer mon compte électeur', expect: ['messagerie'] },
    { user: 'oui', expect: ['adresse'] },
    { user: 'lea.scorer@ac-paris.fr', expect: ['lea\\.scorer@ac-paris\\.fr'] },
    { user: 'oui', expect: ['mot de passe'] },
    {
      card: { action: 'password', password: 'Scorer2014x', confirmation: 'Scorer2014x' },
      expect: ['mail'],
      forbid: ['Scorer2014x'],
    },
    { openLink: { to: 'lea.scorer@ac-paris.fr' }, expectStatus: 200, expect: ['confirmé'] },
  ],
};

const FAILING = {
  id: 'scorer-fails',
  description: 'an expectation the bot cannot meet, then a forbidden word it says',
  issueItem: 2,
  channel: 'test',
  turns: [
    { user: 'Créer mon compte électeur', expect: ['texte que le bot ne dit jamais'] },
    { user: 'oui', forbid: ['adresse'] },
    { openLink: { to: 'personne@ac-paris.fr' }, expectStatus: 200 },
  ],
};

describe('scripts/eval-dialogue (the held-out conversation scorer)', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-dialogue-test-'));
    writeConversations(dir, [PASSING, FAILING]);
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drives the real app: one conversation passes, the other fails at its first turn, totals add up', async () => {
    let printed = '';
    const code = await main([dir], (text) => {
      printed += text;
    });
    assert.equal(code, 0, 'a report exits 0');
    assert.match(printed, /^PASS {2}scorer-passes/m);
    assert.match(printed, /^FAIL {2}scorer-fails/m);
    assert.match(printed, /tour 1 ÉCHOUE — « Créer mon compte électeur »/);
    assert.match(printed, /attendu, absent : texte que le bot ne dit jamais/);
    assert.match(printed, /\+ 2 autre\(s\) tour\(s\) en échec : 1, 2, 3/);
    assert.match(printed, /Conversations réussies : 1 \/ 2 \(50\.0 %\)/);
    assert.match(printed, /Tours vérifiés réussis : 6 \/ 9 \(66\.7 %\)/);
    assert.match(printed, /1\. conversations 1\/1/);
    assert.match(printed, /2\. conversations 0\/1/);
  });

  it('--strict exits 1 when a conversation fails, --only runs the one named, --verbose masks card passwords', async () => {
    let printed = '';
    const sink = (text: string) => {
      printed += text;
    };
    assert.equal(await main([dir, '--strict', '--only', 'scorer-fails'], sink), 1);
    assert.doesNotMatch(printed, /scorer-passes/);
    printed = '';
    assert.equal(await main([dir, '--strict', '--verbose', '--only', 'scorer-passes'], sink), 0);
    assert.match(printed, /Conversations réussies : 1 \/ 1/);
    assert.match(
      printed,
      /tour 5 — « \[carte\] action: "password", password: \[masqué\]/,
      'verbose shows every turn',
    );
    assert.doesNotMatch(printed, /Scorer2014x/, 'a card password is never printed');
    await assert.rejects(main([dir, '--only', 'absente'], sink), FixtureError);
  });

  it('stops on a malformed file, naming it and what is wrong', () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-dialogue-bad-'));
    try {
      writeConversations(bad, [
        { ...FAILING, id: 'mal-formee', issueItem: 9, turns: [{ user: 'x', expect: ['(non fermée'] }] },
      ]);
      assert.throws(
        () => loadConversations(bad),
        (error: Error) =>
          error instanceof FixtureError &&
          /mal-formee\.json/.test(error.message) &&
          /issueItem/.test(error.message) &&
          /turns\.0/.test(error.message),
      );
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  it('joins texts, card strings, card buttons and suggested actions, so a duplicated choice is visible', () => {
    const text = joinReplies([
      {
        type: 'message',
        text: 'Votre question porte-t-elle sur l’un de ces sujets ?',
        suggestedActions: { actions: [{ title: 'Aide' }, { title: 'Le NUMEN' }, { title: 'Aide' }] },
      },
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              body: [{ type: 'TextBlock', text: 'Mot de passe électeur' }],
              actions: [{ type: 'Action.Submit', title: 'Valider', data: { action: 'password' } }],
            },
          },
        ],
      },
      { type: 'trace', text: 'not shown to the teacher' },
    ]);
    assert.equal(
      text,
      'Votre question porte-t-elle sur l’un de ces sujets ?\n⟦actions⟧ Aide | Le NUMEN | Aide\nMot de passe électeur\n⟦boutons⟧ Valider',
    );
    assert.match(text, new RegExp(DUPLICATE_CHOICE, 'i'));
    assert.doesNotMatch('⟦actions⟧ Aide | Aide aux dates | Le NUMEN', new RegExp(DUPLICATE_CHOICE, 'i'));
  });

  it('checks expect, forbid and differentFromPrevious in that order', () => {
    assert.equal(checkTurn({ expect: ['17\\sh'] }, 'à 17\u00a0h'), undefined, '\\s matches a no-break space');
    assert.equal(checkTurn({ expect: ['absent'] }, 'texte')?.kind, 'expect');
    assert.equal(checkTurn({ forbid: ['TEXTE'] }, 'texte')?.kind, 'forbid', 'case-insensitive');
    assert.equal(checkTurn({ differentFromPrevious: true }, 'même', 'même')?.kind, 'repeat');
    assert.equal(checkTurn({ differentFromPrevious: true }, 'autre', 'même'), undefined);
  });

  it('the held-out folder itself is well formed', () => {
    const conversations = loadConversations(DEFAULT_DIR);
    assert.ok(conversations.length >= 50, `${conversations.length} conversations`);
    for (const item of [1, 2, 3, 4, 5, 6, 7, 8])
      assert.ok(
        conversations.some((c) => c.issueItem === item),
        `item ${item} covered`,
      );
  });
});
