import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailTransport, InvalidRecipientError } from '../../../src/infra/mail/transport';
import { silentLogger } from '../../../src/log';
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink';

const message = {
  to: 'jeanne.martin@ac-paris.fr',
  subject: 'Confirmez votre compte électeur',
  text: 'Bonjour,\n\nTexte accentué : é è à ç.',
  html: '<!DOCTYPE html><html lang="fr"><body><p>Bonjour,</p></body></html>',
};

describe('mail transport', () => {
  describe('file mode (embedded and development)', () => {
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'mail-outbox-'));
    });
    afterEach(async () => rm(root, { recursive: true, force: true }));

    it('writes each mail as an .eml file in a folder it creates', async () => {
      const dir = path.join(root, 'nested', 'outbox');
      const transport = createMailTransport({
        outboxDir: dir,
        from: 'Assistant électeur <ne-pas-repondre@ac-paris.fr>',
        logger: silentLogger(),
      });
      assert.equal(transport.kind, 'file');
      await transport.send(message);
      await transport.send({ ...message, subject: 'Deuxième' });
      await transport.close();

      const files = (await readdir(dir)).sort();
      assert.equal(files.length, 2);
      for (const file of files) {
        assert.match(file, /\.eml$/);
        assert.ok(!file.includes('jeanne'), 'no address in file names');
      }
      const parsed = await simpleParser(await readFile(path.join(dir, files[0] as string)));
      assert.ok(['Confirmez votre compte électeur', 'Deuxième'].includes(parsed.subject ?? ''));
      assert.equal((parsed.to as { text: string }).text, 'jeanne.martin@ac-paris.fr');
      assert.match((parsed.from as { text: string }).text, /ne-pas-repondre@ac-paris\.fr/);
      assert.deepEqual((parsed.from as { value: unknown[] }).value, [
        { name: 'Assistant électeur', address: 'ne-pas-repondre@ac-paris.fr' },
      ]);
      assert.equal(parsed.headers.get('content-transfer-encoding'), undefined, 'multipart: per part');
      assert.ok(parsed.text?.includes('Texte accentué : é è à ç.'));
      assert.ok(String(parsed.html).includes('lang="fr"'));
      assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
    });

    it('cannot be made to add a header through the subject or the recipient', async () => {
      const transport = createMailTransport({
        outboxDir: root,
        from: 'bot@ac-paris.fr',
        logger: silentLogger(),
      });
      await assert.rejects(
        transport.send({ ...message, to: 'jeanne.martin@ac-paris.fr\r\nBcc: espion@example.com' }),
        InvalidRecipientError,
      );
      await transport.send({ ...message, subject: 'Objet\r\nBcc: espion@example.com' });
      const [file] = await readdir(root);
      const raw = await readFile(path.join(root, file as string), 'utf8');
      assert.ok(!/^bcc:/im.test(raw), raw.slice(0, 600));
    });
  });

  describe('SMTP mode', () => {
    let sink: SmtpSink;
    beforeEach(async () => {
      sink = await startSmtpSink();
    });
    afterEach(async () => sink.close());

    it('delivers through a pooled SMTP connection', async () => {
      const transport = createMailTransport({
        smtpUrl: sink.url,
        outboxDir: '/nonexistent',
        from: 'Assistant électeur <bot@ac-paris.fr>',
        logger: silentLogger(),
      });
      assert.equal(transport.kind, 'smtp');
      await transport.send(message);
      await transport.send({ ...message, to: 'paul.martin@ac-paris.fr' });
      await transport.close();
      const received = await sink.waitForMessages(2);
      assert.deepEqual(
        received.map((m) => m.to),
        [['jeanne.martin@ac-paris.fr'], ['paul.martin@ac-paris.fr']],
      );
      assert.equal(received[0]?.from, 'bot@ac-paris.fr');
      assert.equal(received[0]?.subject, 'Confirmez votre compte électeur');
      assert.ok(received[0]?.text.includes('é è à ç'));
      assert.ok(received[0]?.html.includes('lang="fr"'));
    });

    it('reports a refusal of the server as an error with its SMTP code', async () => {
      const transport = createMailTransport({
        smtpUrl: sink.url,
        outboxDir: '/nonexistent',
        from: 'bot@ac-paris.fr',
        logger: silentLogger(),
      });
      sink.refuse(true);
      await assert.rejects(
        transport.send(message),
        (error: Error & { responseCode?: number }) => error.responseCode === 451,
      );
      await transport.close();
      assert.equal(sink.messages.length, 0);
    });
  });

  it('fails within seconds, not minutes, when the SMTP server never greets', async function () {
    this.timeout(15_000);
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const transport = createMailTransport({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: '/nonexistent',
      from: 'bot@ac-paris.fr',
      logger: silentLogger(),
    });
    const started = Date.now();
    try {
      await assert.rejects(
        transport.send(message),
        (error: Error & { code?: string }) => error.code === 'ETIMEDOUT',
      );
      assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
    } finally {
      await transport.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails at once when nothing listens', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const transport = createMailTransport({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: '/nonexistent',
      from: 'bot@ac-paris.fr',
      logger: silentLogger(),
    });
    await assert.rejects(
      transport.send(message),
      (error: Error & { code?: string }) => error.code === 'ESOCKET',
    );
    await transport.close();
  });
});
