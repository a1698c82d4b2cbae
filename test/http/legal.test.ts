import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot } from '../support/bot-harness';
import { requestAccount } from '../support/walk';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, '’')
    .replace(/\s+/g, ' ');

/**
 * What French public services must show (issue 12, item 9): the privacy notice and the accessibility
 * statement, from the configuration, and the two mentions in the footer of every page of every surface.
 */
describe('privacy notice and accessibility statement (real app)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let bare: BotHarness;

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({
      HELPDESK_USERS: `${LOGIN}:${phc}`,
      DATA_CONTROLLER: 'Rectorat de l’académie de Paris',
      DPO_CONTACT: 'dpd@ac-paris.fr',
      RIGHTS_CONTACT: 'https://www.ac-paris.fr/mes-droits',
      ACCESSIBILITY_CONTACT: 'accessibilite@ac-paris.fr',
      TRANSCRIPT_TTL_DAYS: '60',
      CONFIRMATION_LINK_TTL_HOURS: '24',
    });
    bare = await startBot();
  });
  after(async () => {
    await bot?.close();
    await bare?.close();
  });

  it('the privacy notice says who, why, what, how long (from the configuration), who reads, the rights', async () => {
    const response = await fetch(`${bot.url}/donnees-personnelles`);
    assert.equal(response.status, 200);
    const html = await response.text();
    const page = text(html);
    assert.match(page, /Rectorat de l’académie de Paris/);
    assert.match(page, /mission d’intérêt public/);
    assert.match(page, /60 jours après le dernier message/);
    assert.match(page, /\(24 heures\) plus 7 jours/);
    assert.match(page, /jusqu’au [a-z]+ \d+ février 2015/, 'the vote closes, then 60 days');
    assert.match(page, /400 jours/);
    assert.match(page, /NUMEN n’est jamais demandé ni conservé/);
    assert.ok(html.includes('href="mailto:dpd@ac-paris.fr"'));
    assert.ok(html.includes('href="https://www.ac-paris.fr/mes-droits"'));
    assert.ok(html.includes('href="https://www.cnil.fr/fr/plaintes"'));
    assert.ok(html.includes('<a href="/">'), 'a way back to the chat');
    assert.doesNotMatch(page, /à renseigner/);
  });

  it('the accessibility statement says « non conforme » until an audit, with a contact and the recourse', async () => {
    const page = text(await (await fetch(`${bot.url}/accessibilite`)).text());
    assert.match(page, /non conforme avec le référentiel général d’amélioration de l’accessibilité/);
    assert.match(page, /aucun audit de conformité n’a encore été réalisé/);
    assert.match(page, /lecteurs d’écran \(NVDA, JAWS, VoiceOver\) restent à faire/, 'honest about the gaps');
    assert.match(page, /accessibilite@ac-paris\.fr/);
    assert.match(page, /Défenseur des droits/);
  });

  it('without the operator’s settings (not production), shows placeholders naming each setting', async () => {
    const privacy = text(await (await fetch(`${bare.url}/donnees-personnelles`)).text());
    for (const setting of ['DATA_CONTROLLER', 'RIGHTS_CONTACT', 'DPO_CONTACT'])
      assert.match(privacy, new RegExp(`à renseigner par l’exploitant\\s?: ${setting}`));
    const statement = text(await (await fetch(`${bare.url}/accessibilite`)).text());
    assert.match(statement, /ACCESSIBILITY_CONTACT/);
  });

  it('every surface’s pages carry « Accessibilité : non conforme » and « Données personnelles » in their footer', async () => {
    const auth = { Authorization: `Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}` };
    const pages = [
      ['/', {}],
      ['/confirmation?jeton=inconnu', {}],
      ['/nulle-part', {}],
      ['/helpdesk', auth],
      ['/helpdesk/audit', auth],
      ['/donnees-personnelles', {}],
    ] as const;
    for (const [path, headers] of pages) {
      const html = await (await fetch(`${bot.url}${path}`, { headers })).text();
      const footer = /<footer>([\s\S]*?)<\/footer>/.exec(html)?.[1] ?? '';
      assert.match(footer, /<a href="\/accessibilite">Accessibilité\u00a0: non conforme<\/a>/, path);
      assert.match(footer, /<a href="\/donnees-personnelles">Données personnelles<\/a>/, path);
    }
    // The widget's frame has no footer (it would be a second one on the host's page): the same mentions sit
    // at the end of its chat region.
    const embed = await (await fetch(`${bot.url}/?embed=1`)).text();
    assert.match(
      embed,
      /<a href="\/accessibilite" target="_blank" rel="noopener">Accessibilité\u00a0: non conforme<\/a>[\s\S]*<\/section>/,
      'opened in a new tab: in place it would replace the conversation',
    );
    assert.match(
      embed,
      /<a href="\/donnees-personnelles" target="_blank" rel="noopener">Données personnelles<\/a>/,
    );
  });

  it('every mail links to the privacy notice', async () => {
    await requestAccount(bot.conversation('webchat'), 'emile.zola@ac-paris.fr', 'Zola1840x');
    const [mail] = await bot.smtp.waitForMessages(1);
    assert.match(mail?.text ?? '', /\/donnees-personnelles/);
    assert.match(mail?.html ?? '', /href="http:\/\/[^"]+\/donnees-personnelles"/);
  });
});
