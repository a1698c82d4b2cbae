import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { createMailTransport, InvalidRecipientError } from '../../src/infra/mail/transport';
import { silentLogger } from '../../src/log';
import { type BotHarness, type BotReply, startBot, textOf } from '../support/bot-harness';
import { startSmtpSink } from '../support/smtp-sink';
import { type Chat, requestAccount, SENT } from '../support/walk';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';
const VOTER_PASSWORD = 'Germain1776';
const EVIL = 'evil@x.fr';

function basic(): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}` };
}

/** Payloads that would run script if a page echoed them unescaped. */
const SCRIPTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '[cliquez ici](javascript:alert(1))',
  'javascript:alert(1)',
];

/** What must never appear in a page that was fed SCRIPTS. */
function assertInert(html: string, where: string): void {
  assert.doesNotMatch(html, /<script>alert/i, `${where}: raw <script>`);
  assert.doesNotMatch(html, /<img[^>]*onerror/i, `${where}: raw <img onerror>`);
  assert.doesNotMatch(html, /<svg[^>]*onload/i, `${where}: raw <svg onload>`);
  assert.doesNotMatch(html, /(href|src)\s*=\s*["']?\s*javascript:/i, `${where}: a javascript: link`);
}

/** The policy must forbid inline script: no 'unsafe-inline' for scripts, and a default that holds. */
function assertNoInlineScript(response: Response, where: string): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.ok(csp, `${where}: a Content-Security-Policy header`);
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0] as string, d.slice(1)]),
  );
  const script = directives.get('script-src') ?? directives.get('default-src');
  assert.ok(script, `${where}: script-src or default-src in « ${csp} »`);
  assert.ok(!script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'"), `${where}: ${csp}`);
  assert.ok(!script.includes('*') && !script.includes('data:'), `${where}: ${csp}`);
}

describe('injection (real app, real Redis, real SMTP)', function () {
  this.timeout(60_000);
  let bot: BotHarness;

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${LOGIN}:${phc}` });
  });
  after(async () => {
    await bot?.close();
  });

  /** A conversation whose ids and names we choose, on the channel we choose. */
  function chatWith(options: {
    channelId?: string;
    conversationId?: string;
    from?: { id: string; name?: string };
  }): Chat & { user: { id: string } } {
    const channelId = options.channelId ?? 'webchat';
    const id = options.conversationId ?? `conv-${randomUUID()}`;
    const user = options.from ?? { id: `user-${randomUUID()}`, name: 'Jeanne Martin' };
    const send = async (activity: Record<string, unknown>): Promise<BotReply[]> => {
      const response = await bot.post({
        id: randomUUID(),
        channelId,
        serviceUrl: bot.connector.serviceUrl,
        conversation: { id },
        from: user,
        recipient: { id: 'assistant-electeur', name: 'Assistant électeur' },
        deliveryMode: 'expectReplies',
        locale: 'fr-FR',
        ...activity,
      });
      assert.equal(response.status, 200, `HTTP ${response.status}`);
      const text = await response.text();
      return text ? ((JSON.parse(text) as { activities?: BotReply[] }).activities ?? []) : [];
    };
    return {
      id,
      user,
      join: () => send({ type: 'conversationUpdate', membersAdded: [{ id: 'assistant-electeur' }, user] }),
      say: (text: string) => send({ type: 'message', text }),
      submit: (value: Record<string, unknown>) => send({ type: 'message', value }),
    };
  }

  /** Every message the sink got, with its recipients and headers, must go to `address` alone. */
  function assertOnlyTo(address: string): void {
    for (const mail of bot.smtp.messages) {
      assert.deepEqual(mail.to, [address], 'one envelope recipient');
      for (const header of ['bcc', 'cc', 'reply-to']) assert.equal(mail.headers.has(header), false, header);
      const to = mail.headers.get('to') as { value: Array<{ address?: string; group?: unknown }> };
      assert.equal(to.value.length, 1);
      assert.equal(to.value[0]?.address, address);
      assert.equal(to.value[0]?.group, undefined);
      assert.ok(!mail.raw.includes(EVIL), 'the injected address is nowhere in the message');
    }
  }

  describe('mail header injection', () => {
    const HOSTILE_ADDRESSES = [
      `jean.martin@ac-paris.fr\r\nBcc: ${EVIL}`,
      `jean.martin@ac-paris.fr\nBcc:${EVIL}`,
      `jean.martin@ac-paris.fr\rCc: ${EVIL}`,
      `jean.martin@ac-paris.fr\u0085Bcc: ${EVIL}`,
      `jean.martin@ac-paris.fr\u2028Bcc: ${EVIL}`,
      `jean.martin@ac-paris.fr\u0000Bcc: ${EVIL}`,
      `jean.martin@ac-paris.fr%0D%0ABcc:${EVIL}`,
      `jean.martin@ac-paris.fr,${EVIL}`,
      `jean.martin@ac-paris.fr;${EVIL}`,
      `"${EVIL}" <jean.martin@ac-paris.fr>`,
      `jean.martin@ac-paris.fr <${EVIL}>`,
      `groupe: ${EVIL}, jean.martin@ac-paris.fr;`,
      `jean.martin@${EVIL}@ac-paris.fr`,
      `jean.martin@ac-paris.fr>${EVIL}`,
      '=?utf-8?q?jean.martin=40ac-paris.fr=0D=0ABcc:_evil@x.fr?=',
    ];

    it('refuses every address carrying a second recipient or a header, in French, and sends nothing', async () => {
      const chat = chatWith({});
      await chat.join();
      await chat.say('Créer mon compte électeur');
      assert.match(textOf(await chat.say('oui')), /adresse de messagerie professionnelle/);
      for (const hostile of HOSTILE_ADDRESSES) {
        const reply = textOf(await chat.say(hostile));
        assert.doesNotMatch(reply, /Est-ce bien votre adresse/, JSON.stringify(hostile));
        assert.match(reply, /adresse|Écrivez/, `a French refusal for ${JSON.stringify(hostile)}: ${reply}`);
        assert.ok(!reply.includes(EVIL), `the refusal does not offer the injected address: ${reply}`);
      }
      assert.equal(bot.smtp.messages.length, 0);
    });

    it('a hostile name, user id and conversation id never reach the mail: one recipient, no extra header', async () => {
      const address = 'ada.lovelace@ac-paris.fr';
      const chat = chatWith({
        conversationId: `conv-${randomUUID()}\r\nBcc: ${EVIL}`,
        from: { id: `user\r\nBcc: ${EVIL}`, name: `Ada\r\nBcc: ${EVIL}\r\nSubject: piège` },
      });
      assert.match(await requestAccount(chat, address, VOTER_PASSWORD), SENT);
      await bot.smtp.waitForMessages(1);
      assertOnlyTo(address);
    });

    it('a hostile Teams profile address is never offered (a sound one is)', async () => {
      const chat = chatWith({ channelId: 'msteams' });
      bot.connector.members.set(chat.user.id, {
        id: chat.user.id,
        name: 'Grace Hopper',
        email: `grace.hopper@ac-paris.fr\r\nBcc: ${EVIL}`,
        userPrincipalName: `grace.hopper@ac-paris.fr, ${EVIL}`,
      });
      try {
        await chat.join();
        await chat.say('Créer mon compte électeur');
        const ask = textOf(await chat.say('oui'));
        assert.match(ask, /adresse de messagerie professionnelle/);
        assert.doesNotMatch(ask, /compte Teams indique/, 'nothing offered from a hostile profile');
        assert.ok(!ask.includes(EVIL));
      } finally {
        bot.connector.members.delete(chat.user.id);
      }
      // The same walk with a sound profile address does offer it: the lookup ran above.
      const control = chatWith({ channelId: 'msteams' });
      bot.connector.members.set(control.user.id, { id: control.user.id, email: 'grace.hopper@ac-paris.fr' });
      try {
        await control.join();
        await control.say('Créer mon compte électeur');
        assert.match(textOf(await control.say('oui')), /compte Teams indique/);
      } finally {
        bot.connector.members.delete(control.user.id);
      }
    });

    it('the helpdesk resend refuses hostile addresses and sends nothing new', async () => {
      const before = bot.smtp.messages.length;
      for (const hostile of [
        `ada.lovelace@ac-paris.fr\r\nBcc: ${EVIL}`,
        `ada.lovelace@ac-paris.fr,${EVIL}`,
        `ada.lovelace@ac-paris.fr;${EVIL}`,
        `g:${EVIL},ada.lovelace@ac-paris.fr;`,
        `"x" <ada.lovelace@ac-paris.fr>`,
      ]) {
        const response = await fetch(
          `${bot.url}/helpdesk/api/accounts/${encodeURIComponent(hostile)}/resend`,
          {
            method: 'POST',
            headers: { ...basic(), Origin: bot.url },
          },
        );
        assert.ok(
          response.status >= 400 && response.status < 500,
          `${JSON.stringify(hostile)}: ${response.status}`,
        );
        const body = (await response.json()) as { error?: { message?: string } };
        assert.ok(body.error?.message, 'a French message');
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(bot.smtp.messages.length, before, 'no mail sent');
      assertOnlyTo('ada.lovelace@ac-paris.fr');
    });

    it('the transport itself refuses a recipient that is not one plain address (last line, real SMTP)', async () => {
      const sink = await startSmtpSink();
      const transport = createMailTransport({
        smtpUrl: sink.url,
        outboxDir: '/nonexistent',
        from: 'Assistant électeur <ne-pas-repondre@ac-paris.fr>',
        logger: silentLogger(),
      });
      try {
        for (const to of [`jean.martin@ac-paris.fr\r\nBcc: ${EVIL}`, ...HOSTILE_ADDRESSES]) {
          await assert.rejects(
            transport.send({ to, subject: 'Objet', text: 'x', html: '<p>x</p>' }),
            InvalidRecipientError,
            JSON.stringify(to),
          );
        }
        // The subject cannot add a header either: CR and LF are folded into spaces.
        await transport.send({
          to: 'jean.martin@ac-paris.fr',
          subject: `Objet\r\nBcc: ${EVIL}`,
          text: 'x',
          html: '<p>x</p>',
        });
        const [mail] = await sink.waitForMessages(1);
        assert.deepEqual(mail?.to, ['jean.martin@ac-paris.fr']);
        assert.equal(mail?.headers.has('bcc'), false);
        assert.equal(sink.messages.length, 1, 'nothing was sent for the refused recipients');
      } finally {
        await transport.close();
        await sink.close();
      }
    });
  });

  describe('script injection into pages', () => {
    let hostileConversation: string;

    before(async () => {
      // A teacher who types every payload, with a hostile name and conversation id.
      const chat = chatWith({
        conversationId: `conv-${randomUUID()}"><img src=x onerror=alert(1)>`,
        from: { id: `user-${randomUUID()}`, name: '<script>alert(1)</script>' },
      });
      hostileConversation = chat.id;
      await chat.join();
      for (const payload of SCRIPTS) await chat.say(payload);
    });

    it('the confirmation page escapes weird tokens and forbids inline script', async () => {
      for (const jeton of [...SCRIPTS, '%00', '\u202e', 'a'.repeat(5000)]) {
        const response = await fetch(`${bot.url}/confirmation?jeton=${encodeURIComponent(jeton)}`);
        assert.ok(response.status >= 400 && response.status < 500, `${jeton}: ${response.status}`);
        assertInert(await response.text(), `confirmation ${jeton}`);
        assertNoInlineScript(response, 'confirmation');
      }
    });

    it('the 404 page does not echo a hostile path', async () => {
      for (const path of [
        '/%3Cscript%3Ealert(1)%3C/script%3E',
        '/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E',
        '/x?<script>alert(1)</script>',
        '/javascript:alert(1)',
      ]) {
        const response = await fetch(`${bot.url}${path}`);
        assert.equal(response.status, 404, path);
        const html = await response.text();
        assertInert(html, `404 ${path}`);
        assert.ok(!html.includes('alert(1)'), `the 404 page does not repeat the path ${path}`);
        assertNoInlineScript(response, '404');
      }
    });

    it('the helpdesk transcript view shows the payloads as text', async () => {
      const path = `/helpdesk/transcripts/webchat/${encodeURIComponent(hostileConversation)}`;
      const response = await fetch(`${bot.url}${path}`, { headers: basic() });
      assert.equal(response.status, 200);
      const html = await response.text();
      assertInert(html, 'transcript view');
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'shown, escaped');
      assert.match(html, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
      assertNoInlineScript(response, 'transcript view');
    });

    it('the helpdesk search lists the hostile conversation id escaped, and echoes a hostile query escaped', async () => {
      const byDay = await fetch(`${bot.url}/helpdesk?day=2014-11-20`, { headers: basic() });
      assert.equal(byDay.status, 200);
      assertInert(await byDay.text(), 'search by day');
      assertNoInlineScript(byDay, 'search');
      for (const payload of SCRIPTS) {
        const response = await fetch(`${bot.url}/helpdesk?email=${encodeURIComponent(payload)}`, {
          headers: basic(),
        });
        assert.ok(response.status < 500, `${response.status}`);
        assertInert(await response.text(), `search ${payload}`);
      }
    });

    it('the statistics page shows hostile misunderstood messages escaped', async () => {
      const response = await fetch(`${bot.url}/helpdesk/stats`, { headers: basic() });
      assert.equal(response.status, 200);
      const html = await response.text();
      assertInert(html, 'stats');
      assertNoInlineScript(response, 'stats');
      assert.match(
        html,
        /&lt;script&gt;alert\(1\)&lt;\/script&gt;|&lt;svg onload/,
        'a payload listed, escaped',
      );
    });

    it('the Web Chat page ignores or escapes a hostile query string, and forbids inline script', async () => {
      for (const query of [
        '?embed=1%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
        '?embed=%3Cscript%3Ealert(1)%3C/script%3E&x=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E',
        '?%3Cscript%3Ealert(1)%3C/script%3E=1',
      ]) {
        const response = await fetch(`${bot.url}/${query}`);
        assert.equal(response.status, 200, query);
        const html = await response.text();
        assertInert(html, `web chat ${query}`);
        assert.ok(!html.includes('alert(1)'), 'the query is not echoed');
        assertNoInlineScript(response, 'web chat');
      }
    });
  });

  describe('Redis key injection', () => {
    const base = `kinj-${randomUUID()}`;
    /** Ids that differ from `base` only by characters with a meaning in Redis patterns, keys or tags. */
    const VARIANTS = [
      base,
      `${base}:x`,
      `${base}*`,
      `${base}:*`,
      `{${base}}`,
      `${base}{x}`,
      `${base} `,
      ` ${base}`,
      `${base}\n`,
      `${base}\r\nDEL *`,
      `${base}/`,
      `${base}/conversations/${base}`,
      `#${createHash('sha256').update(base).digest('hex')}`,
      `#${createHash('sha256').update(`webchat/conversations/${base}`).digest('hex')}`,
      `${base}${'x'.repeat(300)}`,
      `${base}${'x'.repeat(301)}`,
    ];

    it('conversations whose ids differ only by such characters never share state', async () => {
      const chats = VARIANTS.map((conversationId) => chatWith({ conversationId }));
      const [first, ...others] = chats;
      assert.ok(first);
      await first.join();
      assert.match(textOf(await first.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
      for (const other of others) {
        // Only a conversation at the webmail question would move to the address step on « oui ».
        const reply = textOf(await other.say('oui'));
        assert.doesNotMatch(reply, /adresse de messagerie professionnelle/, JSON.stringify(other.id));
      }
      assert.match(textOf(await first.say('oui')), /adresse de messagerie professionnelle/);
    });

    it('an id over the schema limit (10 KB) is refused before anything is stored', async () => {
      const marker = `kbig${randomUUID().replace(/-/g, '')}`;
      const response = await bot.post({
        type: 'message',
        id: randomUUID(),
        channelId: 'webchat',
        serviceUrl: bot.connector.serviceUrl,
        conversation: { id: `${marker}${'y'.repeat(10 * 1024)}` },
        from: { id: 'u' },
        deliveryMode: 'expectReplies',
        text: 'bonjour',
      });
      assert.equal(response.status, 400);
      const found = await bot.redis.redis.scan('0', 'MATCH', `*${marker}*`, 'COUNT', 1000);
      assert.deepEqual(found[1], []);
    });

    it('keys stay under the prefix and bounded in length, whatever the ids', async () => {
      // Hostile ids at the schema's limits, on several channels, with hostile user ids.
      for (const channelId of ['webchat', 'msteams', 'x:*{y}']) {
        for (const conversationId of [`${base}${'z'.repeat(512 - base.length)}`, `${base}:*\n{}`]) {
          const chat = chatWith({
            channelId,
            conversationId,
            from: { id: `${base}${'u'.repeat(400)}:*{}\n`, name: 'x' },
          });
          await chat.say('bonjour');
        }
      }
      const mine = await bot.redis.keys();
      assert.ok(mine.length > VARIANTS.length, `the conversations wrote keys (${mine.length})`);
      const longest = Math.max(...mine.map((k) => Buffer.byteLength(k)));
      console.log(`      redis: ${mine.length} keys under the prefix, the longest ${longest} bytes`);
      for (const key of mine) {
        assert.ok(key.startsWith(bot.redis.prefix));
        assert.ok(
          Buffer.byteLength(key) <= 600,
          `a key of ${Buffer.byteLength(key)} bytes: ${key.slice(0, 120)}…`,
        );
      }
      // Nothing outside the prefix carries our ids: no key escaped it through a newline, a space or a star.
      let cursor = '0';
      const outside: string[] = [];
      do {
        const [next, batch] = await bot.redis.redis.scan(cursor, 'MATCH', `*${base}*`, 'COUNT', 1000);
        cursor = next;
        outside.push(...batch.filter((k) => !k.startsWith(bot.redis.prefix)));
      } while (cursor !== '0');
      assert.deepEqual(outside, []);
    });

    it('addresses with « : », « * » or braces are refused in the chat, and a « * » search finds nobody else', async () => {
      const chat = chatWith({});
      await chat.join();
      await chat.say('Créer mon compte électeur');
      await chat.say('oui');
      for (const address of [
        'jean:martin@ac-paris.fr',
        'jean.martin*@ac-paris.fr',
        '*@ac-paris.fr',
        '{jean}.martin@ac-paris.fr',
      ]) {
        assert.doesNotMatch(textOf(await chat.say(address)), /Est-ce bien votre adresse/, address);
      }
      // ada.lovelace@ac-paris.fr has an account and a transcript (mail header test above).
      for (const pattern of ['*@ac-paris.fr', 'ada*@ac-paris.fr', '*', 'ada.lovelace@ac-paris.*']) {
        const response = await fetch(
          `${bot.url}/helpdesk/api/conversations?email=${encodeURIComponent(pattern)}`,
          {
            headers: basic(),
          },
        );
        assert.ok(response.status < 500, `${pattern}: ${response.status}`);
        if (response.status === 200) {
          const list = (await response.json()) as Array<{ email?: string }>;
          assert.deepEqual(list, [], `${pattern} matched ${JSON.stringify(list)}`);
        }
      }
      const exact = await fetch(`${bot.url}/helpdesk/api/conversations?email=ada.lovelace%40ac-paris.fr`, {
        headers: basic(),
      });
      assert.equal(exact.status, 200);
      assert.ok(((await exact.json()) as unknown[]).length >= 1, 'the exact address is found');
    });
  });
});
