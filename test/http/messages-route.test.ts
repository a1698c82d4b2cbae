import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, type BotReply, startBot, textOf } from '../support/bot-harness';
import { dumpRedis } from '../support/redis-dump';

const LIMIT = 256 * 1024;

/** A body sent as is, not through JSON.stringify. */
class Raw {
  constructor(readonly text: string) {}
}

interface ErrorBody {
  error: { code: string; message: string };
}

describe('POST /api/messages (real server, real Redis)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  /** A well-formed activity of a fresh conversation, to be broken by each case. */
  function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'message',
      id: randomUUID(),
      channelId: 'webchat',
      serviceUrl: bot.connector.serviceUrl,
      conversation: { id: `conv-${randomUUID()}` },
      from: { id: 'user-1', name: 'Jeanne' },
      recipient: { id: 'bot', name: 'Assistant électeur' },
      deliveryMode: 'expectReplies',
      text: 'bonjour',
      ...extra,
    };
  }

  async function repliesOf(response: Response): Promise<BotReply[]> {
    assert.equal(response.status, 200);
    const text = await response.text();
    return text ? ((JSON.parse(text) as { activities?: BotReply[] }).activities ?? []) : [];
  }

  async function assertAlive(): Promise<void> {
    const health = await fetch(`${bot.url}/healthz`);
    assert.equal(health.status, 200);
    const replies = await repliesOf(await bot.post(activity()));
    assert.match(textOf(replies), /Assistant électeur/, 'a normal turn still works');
  }

  describe('a body that is not JSON', () => {
    it('gets 400 with a French JSON error that does not echo the body', async () => {
      const body = '{"type":"message","text":"MonMotDePasse2014Secret", "value": {';
      const response = await bot.post(body);
      assert.equal(response.status, 400);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const raw = await response.text();
      assert.doesNotMatch(raw, /MonMotDePasse2014Secret/);
      const parsed = JSON.parse(raw) as ErrorBody;
      assert.equal(parsed.error.code, 'BAD_REQUEST');
      assert.match(parsed.error.message, /requête est mal formée/);
    });

    for (const [name, body] of [
      ['an empty body', ''],
      ['plain words', 'bonjour'],
      ['a truncated object', '{"type":'],
      ['JSON with a trailing comma', '{"type":"message",}'],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')],
    ] as const) {
      it(`gets 400 for ${name}`, async () => {
        const response = await bot.post(body);
        assert.equal(response.status, 400);
        assert.equal(((await response.json()) as ErrorBody).error.code, 'BAD_REQUEST');
      });
    }
  });

  describe('a wrong content type', () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      it(`gets 415 for ${type}, in French`, async () => {
        const response = await bot.post(JSON.stringify(activity()), { 'Content-Type': type });
        assert.equal(response.status, 415);
        assert.match(((await response.json()) as ErrorBody).error.message, /format JSON/);
      });
    }

    it('gets 415 with no content type at all', async () => {
      const response = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        body: new Blob([JSON.stringify(activity())]),
      });
      assert.equal(response.status, 415);
    });
  });

  describe('a body over 256 KB', () => {
    const big = () => JSON.stringify(activity({ channelData: { filler: 'x'.repeat(LIMIT) } }));

    it('gets 413 when the length is declared', async () => {
      const response = await bot.post(big());
      assert.equal(response.status, 413);
      assert.match(((await response.json()) as ErrorBody).error.message, /trop volumineuse/);
    });

    it('gets 413 when it comes chunked, without a declared length', async () => {
      const bytes = new TextEncoder().encode(big());
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
          controller.close();
        },
      });
      const response = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
      assert.equal(response.status, 413);
    });

    it('accepts an activity just under the limit', async () => {
      const body = JSON.stringify(activity({ channelData: { filler: 'x'.repeat(LIMIT - 2000) } }));
      assert.ok(Buffer.byteLength(body) < LIMIT);
      const replies = await repliesOf(await bot.post(body));
      assert.match(textOf(replies), /Assistant électeur/);
    });
  });

  describe('JSON that is not an activity gets 400', () => {
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const cases: Array<[string, () => unknown]> = [
      ['deeply nested arrays', () => new Raw(deep(5000))],
      ['null', () => null],
      ['a number', () => 42],
      ['a string', () => 'message'],
      ['an array of activities', () => [activity()]],
      ['an empty object', () => ({})],
      ['no type', () => ({ ...activity(), type: undefined })],
      ['an empty type', () => activity({ type: '' })],
      ['a numeric type', () => activity({ type: 1 })],
      ['no conversation', () => ({ ...activity(), conversation: undefined })],
      ['a conversation without id', () => activity({ conversation: {} })],
      ['a conversation that is a string', () => activity({ conversation: 'conv-1' })],
      ['a null conversation', () => activity({ conversation: null })],
      ['no channelId', () => ({ ...activity(), channelId: undefined })],
      ['a channelId that is an object', () => activity({ channelId: { id: 'webchat' } })],
      ['no serviceUrl', () => ({ ...activity(), serviceUrl: undefined })],
      ['a serviceUrl that is an array', () => activity({ serviceUrl: ['http://x'] })],
      ['a text that is an object', () => activity({ text: { toString: 'bonjour' } })],
      ['a from without id', () => activity({ from: { name: 'Jeanne' } })],
      [
        'membersAdded that is not an array',
        () => activity({ type: 'conversationUpdate', membersAdded: { id: 'x' } }),
      ],
    ];
    for (const [name, make] of cases) {
      it(name, async () => {
        const body = make();
        const response = await bot.post(body instanceof Raw ? body.text : JSON.stringify(body));
        assert.equal(response.status, 400, `${name}: ${response.status}`);
        const error = (await response.json()) as ErrorBody;
        assert.equal(error.error.code, 'BAD_REQUEST');
        assert.match(error.error.message, /mal formée/);
      });
    }

    it('a raw body of 100 000 nested arrays', async () => {
      const response = await bot.post(deep(100_000));
      assert.equal(response.status, 400);
    });

    it('an activity whose value is nested 20 000 levels deep', async () => {
      const nested = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      const body = JSON.stringify(activity({ text: undefined, value: '@@' })).replace('"@@"', nested);
      assert.ok(Buffer.byteLength(body) < LIMIT);
      const response = await bot.post(body);
      assert.equal(response.status, 400, `got ${response.status}: ${(await response.text()).slice(0, 300)}`);
    });

    it('the server still serves afterwards', assertAlive);
  });

  describe('a message over MAX_MESSAGE_LENGTH (2000)', () => {
    it('is answered « trop long » (200) and nothing of it is stored', async () => {
      const marker = `Marqueur${randomUUID().replace(/-/g, '')}`;
      const text = `${marker} ${'a'.repeat(2001 - marker.length - 1)}`;
      assert.equal(text.length, 2001);
      const conversationId = `conv-${randomUUID()}`;
      const replies = await repliesOf(
        await bot.post(activity({ text, conversation: { id: conversationId } })),
      );
      assert.equal(replies.length, 1);
      assert.match(textOf(replies), /trop long/);

      const keys = await bot.redis.keys();
      assert.deepEqual(
        keys.filter((k) => k.includes(conversationId) && !k.includes(':seen:')),
        [],
        'no conversation state nor lock left for it',
      );
      assert.doesNotMatch(await dumpRedis(bot.redis.redis, keys), new RegExp(marker));
    });

    it('is answered normally at exactly 2000 characters', async () => {
      const text = `bonjour ${'a'.repeat(1992)}`;
      assert.equal(text.length, 2000);
      const replies = await repliesOf(await bot.post(activity({ text })));
      assert.doesNotMatch(textOf(replies), /trop long/);
    });

    it('does not move a conversation in progress', async () => {
      const chat = bot.conversation('webchat');
      await chat.join();
      assert.match(textOf(await chat.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
      assert.match(textOf(await chat.say('x'.repeat(5000))), /trop long/);
      assert.match(textOf(await chat.say('oui')), /adresse de messagerie professionnelle/);
    });
  });

  it('answers a GET on /api/messages with a 4xx', async () => {
    const response = await fetch(`${bot.url}/api/messages`);
    assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
  });

  describe('the same activity id posted twice (channel retry)', () => {
    it('is processed once: the second reply set is empty', async () => {
      const first = activity();
      const replies1 = await repliesOf(await bot.post(first));
      assert.match(textOf(replies1), /Assistant électeur/);
      const replies2 = await repliesOf(await bot.post(first));
      assert.deepEqual(replies2, []);
      const other = await repliesOf(await bot.post({ ...first, id: randomUUID() }));
      // A second greeting in the conversation gets the short answer (issue 12): processed, not dropped.
      assert.match(
        textOf(other),
        /Que souhaitez-vous faire/,
        'a new id of the same conversation is processed',
      );
    });

    it('is processed once when the retries arrive together', async () => {
      const same = activity();
      const results = await Promise.all([1, 2, 3].map(() => bot.post(same).then(repliesOf)));
      assert.equal(results.filter((r) => r.length > 0).length, 1);
    });

    it('does not move the dialog twice', async () => {
      const chat = bot.conversation('cli');
      await chat.join();
      const create = {
        type: 'message',
        id: randomUUID(),
        channelId: 'cli',
        serviceUrl: bot.connector.serviceUrl,
        conversation: { id: chat.id },
        from: chat.user,
        recipient: { id: 'assistant-electeur' },
        deliveryMode: 'expectReplies',
        text: 'Créer mon compte électeur',
      };
      assert.match(textOf(await repliesOf(await bot.post(create))), /Avez-vous déjà activé/);
      const yes = { ...create, id: randomUUID(), text: 'oui' };
      assert.match(textOf(await repliesOf(await bot.post(yes))), /adresse de messagerie professionnelle/);
      assert.deepEqual(await repliesOf(await bot.post(yes)), []);
      assert.match(textOf(await chat.say('jean.martin@ac-paris.fr')), /Est-ce bien votre adresse/);
    });
  });

  it('still answers /healthz 200 after all of the above', async () => {
    await assertAlive();
  });
});
