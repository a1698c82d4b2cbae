import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { after, before, describe, it } from 'mocha';
import { loadConfig } from '../../src/config';
import { type App, buildApp } from '../../src/index';
import { createLogger } from '../../src/log';
import { confirmByLink, DEMO_NOW, linkIn, textOf } from '../support/bot-harness';
import { startFakeConnector } from '../support/fake-connector';
import { httpChat } from '../support/http-chat';
import { eventually } from '../support/poll';
import { requestAccount, SENT } from '../support/walk';

const PASSWORD = 'Decouverte2014';

describe('embedded mode: no REDIS_URL, no SMTP_URL (a newcomer’s first run)', function () {
  this.timeout(30_000);
  let outbox: string;
  let app: App;
  let url: string;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  const logLines: Array<{ level: number; msg: string }> = [];
  const printed: string[] = [];
  const realWrite = process.stderr.write;
  /** The worker prints the link on stderr in this mode: captured here, not shown in the test report. */
  const captureStderr = () => {
    process.stderr.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
  };
  const releaseStderr = () => {
    process.stderr.write = realWrite;
  };

  before(async () => {
    outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'electeur-embedded-'));
    connector = await startFakeConnector();
    const config = loadConfig({
      NODE_ENV: 'development',
      PORT: '0',
      MAIL_OUTBOX_DIR: outbox,
      CLOCK_NOW: DEMO_NOW,
      LOG_LEVEL: 'info',
    });
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.smtpUrl, undefined);
    const logger = createLogger('info', {
      write(line: string) {
        logLines.push(JSON.parse(line) as { level: number; msg: string });
      },
    });
    app = buildApp(config, logger);
    url = await app.start();
  });

  after(async () => {
    releaseStderr();
    await app?.stop();
    await connector?.close();
    fs.rmSync(outbox, { recursive: true, force: true });
  });

  it('warns clearly that nothing persists and that mails go to a folder', () => {
    const warnings = logLines.filter((l) => l.level === 40).map((l) => l.msg);
    assert.ok(
      warnings.some((m) => /REDIS_URL absent/.test(m) && /rien ne sera conservé/.test(m)),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((m) => /SMTP_URL absent/.test(m) && /dossier/.test(m)),
      warnings.join('\n'),
    );
    assert.equal(app.redis, undefined, 'no Redis client at all');
  });

  it('answers /healthz 200 without Redis', async () => {
    const response = await fetch(`${url}/healthz`);
    assert.equal(response.status, 200);
  });

  it('walks the activation over HTTP, writes the .eml, prints the link, and the link confirms the account', async () => {
    const chat = httpChat(url, connector.serviceUrl)('webchat');
    captureStderr();
    const answer = await requestAccount(chat, 'jean.dupont@ac-paris.fr', PASSWORD);
    assert.match(answer, SENT);

    const found = await eventually(async () => fs.readdirSync(outbox).some((f) => f.endsWith('.eml')), 5_000);
    assert.ok(found, 'an .eml file in MAIL_OUTBOX_DIR');
    await eventually(async () => printed.some((p) => p.includes('/confirmation?jeton=')), 2_000);
    releaseStderr();

    const files = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const [file] = files;
    assert.ok(file);
    assert.doesNotMatch(file, /dupont/, 'the file is not named after the address');
    const mail = await simpleParser(fs.readFileSync(path.join(outbox, file)));
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    assert.equal(to?.value[0]?.address, 'jean.dupont@ac-paris.fr');
    assert.match(mail.subject ?? '', /compte électeur/i);
    assert.ok(mail.html, 'an HTML part');
    const link = linkIn(mail.text ?? '');
    assert.ok(link.startsWith('http://localhost:'), link);

    const notice = printed.join('');
    assert.ok(notice.includes(link), 'the same link is printed for the newcomer');

    const page = await confirmByLink(link, PASSWORD);
    assert.equal(page.status, 200);
    const html = page.html;
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Votre compte électeur est confirmé/);
    assert.equal((await fetch(link)).status, 409, 'used once');

    const status = await app.accounts.status('jean.dupont@ac-paris.fr');
    assert.equal(status?.status, 'confirmed');
    const proactive = await connector.waitFor((p) => p.conversationId === chat.id);
    assert.match(proactive.activity.text ?? '', /Votre compte électeur est confirmé/);
  });

  it('keeps the conversation state in the process between turns', async () => {
    const chat = httpChat(url, connector.serviceUrl)('cli');
    await chat.join();
    await chat.say('Créer mon compte électeur');
    assert.match(textOf(await chat.say('oui')), /adresse de messagerie professionnelle/);
    assert.match(textOf(await chat.say('marie.curie@ac-paris.fr')), /Est-ce bien votre adresse/);
  });
});
