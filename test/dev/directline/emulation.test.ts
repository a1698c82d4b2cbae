import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createTokenService } from '../../../src/http/directline';
import { type BotHarness, startBot } from '../../support/bot-harness';
import {
  type DlActivity,
  directLineClient,
  openStream,
  streamRefusal,
} from '../../support/directline-client';

/** A token from the page's route, as the page gets it. */
async function pageToken(url: string): Promise<{ token: string; domain: string; conversationId: string }> {
  const response = await fetch(`${url}/api/directline/token`, { method: 'POST' });
  assert.equal(response.status, 200);
  return (await response.json()) as { token: string; domain: string; conversationId: string };
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

const isBotMessage = (a: DlActivity) => a.type === 'message' && a.from?.role === 'bot';

describe('local Direct Line 3.0 emulation (real app, real HTTP and WebSocket)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let dl: ReturnType<typeof directLineClient>;

  before(async () => {
    bot = await startBot({ LOCAL_DIRECTLINE: '1' });
    dl = directLineClient(`${bot.url}/v3/directline`);
  });
  after(async () => bot.close());

  it('starts a conversation: 201, a JWT bound to it, a ws:// streamUrl, and the welcome on the stream', async () => {
    const page = await pageToken(bot.url);
    const claims = claimsOf(page.token);
    assert.match(String(claims.user), /^dl_/);
    assert.equal(claims.conv, page.conversationId);

    const started = await dl.start(page.token);
    assert.equal(started.status, 201);
    assert.equal(started.body.conversationId, page.conversationId);
    assert.equal(typeof started.body.expires_in, 'number');
    assert.match(started.body.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(
      started.body.streamUrl,
      new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${page.conversationId}/stream\\?t=`),
    );

    const stream = await openStream(started.body.streamUrl);
    const welcome = await stream.waitFor(isBotMessage);
    assert.match(welcome.text ?? '', /compte électeur/i);
    assert.equal(welcome.conversation && (welcome.conversation as { id: string }).id, page.conversationId);
    // One conversationUpdate only: the welcome is said once.
    await stream.settle();
    const welcomes = stream.activities().filter((a) => a.text === welcome.text);
    assert.equal(welcomes.length, 1);
    for (const frame of stream.frames) assert.equal(typeof frame.watermark, 'string');
    // Starting again with the same token is the same conversation (200), not a second welcome.
    const again = await dl.start(page.token);
    assert.equal(again.status, 200);
    assert.equal(again.body.conversationId, page.conversationId);
    await stream.close();
  });

  it('echoes a message with the id given to the bot and its clientActivityID, then the replies in order', async () => {
    const page = await pageToken(bot.url);
    const started = await dl.start(page.token);
    const stream = await openStream(started.body.streamUrl);
    await stream.waitFor(isBotMessage);
    await stream.settle();
    const before = stream.frames.length;

    const posted = await dl.post(page.token, page.conversationId, { text: 'aide' });
    assert.equal(posted.status, 200);
    assert.match(posted.body.id, new RegExp(`^${page.conversationId}\\|\\d{7}$`));

    const echo = await stream.waitFor((a) => a.id === posted.body.id);
    assert.equal(echo.channelData?.clientActivityID, posted.clientActivityID);
    assert.equal(echo.text, 'aide');
    assert.equal(echo.from?.id, claimsOf(page.token).user, 'from.id comes from the token');
    assert.equal(echo.from?.role, 'user');
    assert.equal(echo.serviceUrl, undefined);

    const reply = await stream.waitFor((a) => isBotMessage(a) && a.replyToId === posted.body.id);
    assert.ok(reply.id && reply.id !== echo.id);
    await stream.settle();

    // The echo comes before the replies, each frame under a larger watermark, all of them strings.
    const frames = stream.frames.slice(before);
    const ids = frames.flatMap((f) => f.activities.map((a) => a.id));
    assert.equal(ids[0], posted.body.id);
    const marks = frames.map((f) => f.watermark);
    for (const mark of marks) assert.match(mark, /^\d+$/);
    for (let i = 1; i < marks.length; i++)
      assert.ok(Number(marks[i]) > Number(marks[i - 1]), marks.join(','));
    await stream.close();
  });

  it('polling: GET activities returns everything, then only what is newer than the watermark', async () => {
    const page = await pageToken(bot.url);
    await dl.start(page.token);
    let all = await dl.activities(page.token, page.conversationId);
    // The welcome is two messages (the introduction, then the choices): wait for the last one, or the
    // « nothing newer » check below would race the second.
    const welcomed = () =>
      all.body.activities.some(
        (a) => isBotMessage(a) && (a as { inputHint?: string }).inputHint === 'expectingInput',
      );
    for (let i = 0; i < 50 && !welcomed(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      all = await dl.activities(page.token, page.conversationId);
    }
    assert.equal(all.status, 200);
    assert.equal(typeof all.body.watermark, 'string');
    assert.ok(all.body.activities.some(isBotMessage), 'the welcome');

    const none = await dl.activities(page.token, page.conversationId, all.body.watermark);
    assert.deepEqual(none.body.activities, []);
    assert.equal(none.body.watermark, all.body.watermark);

    const posted = await dl.post(page.token, page.conversationId, { text: 'Quand se termine le vote ?' });
    assert.equal(posted.status, 200);
    const newer = await dl.activities(page.token, page.conversationId, all.body.watermark);
    assert.equal(newer.body.activities[0]?.id, posted.body.id);
    assert.ok(newer.body.activities.slice(1).some(isBotMessage));
    assert.ok(!newer.body.activities.some((a) => all.body.activities.some((old) => old.id === a.id)));
    assert.ok(Number(newer.body.watermark) > Number(all.body.watermark));
  });

  it('overwrites from.id with the token’s user: the client cannot speak as someone else', async () => {
    const page = await pageToken(bot.url);
    await dl.start(page.token);
    const posted = await dl.post(page.token, page.conversationId, {
      text: 'bonjour',
      from: { id: 'dl_someoneelse123', name: 'Usurpateur', role: 'bot' },
    });
    const { body } = await dl.activities(page.token, page.conversationId);
    const echo = body.activities.find((a) => a.id === posted.body.id);
    assert.equal(echo?.from?.id, claimsOf(page.token).user);
    assert.equal(echo?.from?.role, 'user');
  });

  it('brings the page’s time zone to the bot: « Quand se termine le vote ? » from La Réunion', async () => {
    const page = await pageToken(bot.url);
    const started = await dl.start(page.token);
    const stream = await openStream(started.body.streamUrl);
    await stream.waitFor(isBotMessage);
    const posted = await dl.post(page.token, page.conversationId, {
      text: 'Quand se termine le vote ?',
      localTimezone: 'Indian/Reunion',
    });
    const reply = await stream.waitFor((a) => isBotMessage(a) && a.replyToId === posted.body.id);
    await stream.settle();
    const texts = stream
      .activities()
      .filter((a) => isBotMessage(a) && a.replyToId === posted.body.id)
      .map((a) => a.text ?? '')
      .join('\n');
    assert.match(texts, /La Réunion/, reply.text);

    // The control: the same question from Paris says nothing of La Réunion.
    const paris = await dl.post(page.token, page.conversationId, {
      text: 'Quand se termine le vote ?',
      localTimezone: 'Europe/Paris',
    });
    await stream.waitFor((a) => isBotMessage(a) && a.replyToId === paris.body.id);
    await stream.settle();
    const parisTexts = stream
      .activities()
      .filter((a) => isBotMessage(a) && a.replyToId === paris.body.id)
      .map((a) => a.text ?? '')
      .join('\n');
    assert.match(parisTexts, /heure de Paris/);
    assert.doesNotMatch(parisTexts, /Réunion/);
    await stream.close();
  });

  it('refuses a token of another conversation (403), a forged one (401) and an expired one (403)', async () => {
    const mine = await pageToken(bot.url);
    const other = await pageToken(bot.url);
    await dl.start(mine.token);
    await dl.start(other.token);

    const crossed = await dl.activities(other.token, mine.conversationId);
    assert.equal(crossed.status, 403);
    assert.match(String(crossed.body.error?.message), /conversation/);
    assert.equal((await dl.post(other.token, mine.conversationId, { text: 'coucou' })).status, 403);
    assert.equal((await dl.reconnect(other.token, mine.conversationId)).status, 403);

    // Same payload, signed with another key.
    const [head, payload] = mine.token.split('.');
    const forged = `${head}.${payload}.${createHmac('sha256', 'not-the-key').update(`${head}.${payload}`).digest('base64url')}`;
    assert.equal((await dl.activities(forged, mine.conversationId)).status, 401);
    // Payload changed (another conversation), signature kept.
    const tampered = `${head}.${Buffer.from(
      JSON.stringify({ ...claimsOf(mine.token), conv: other.conversationId }),
    ).toString('base64url')}.${mine.token.split('.')[2]}`;
    assert.equal((await dl.activities(tampered, other.conversationId)).status, 401);
    // alg: none, no signature.
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    assert.equal((await dl.activities(none, mine.conversationId)).status, 401);
    assert.equal((await dl.activities(undefined as unknown as string, mine.conversationId)).status, 401);
    assert.equal((await dl.activities('not-a-token', mine.conversationId)).status, 401);

    // Expired: a genuine signature (the app's own key), an exp in the past.
    const secretKey = bot.app.config.secretKey as string;
    const expired = createTokenService(secretKey).issue(
      { user: String(claimsOf(mine.token).user), conv: mine.conversationId },
      { nowMs: Date.now() - 3 * 3600_000 },
    ).token;
    const refused = await dl.activities(expired, mine.conversationId);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, 'TokenExpired');
    assert.equal((await dl.refresh(expired)).status, 403);

    // A valid token of the same conversation but another user (minted with the key) is refused too.
    const stranger = createTokenService(secretKey).issue({
      user: 'dl_stranger12345',
      conv: mine.conversationId,
    });
    assert.equal((await dl.activities(stranger.token, mine.conversationId)).status, 403);
  });

  it('refreshes a token: a new token for the same conversation and user, and it works', async () => {
    const page = await pageToken(bot.url);
    await dl.start(page.token);
    await new Promise((r) => setTimeout(r, 1100)); // a new iat, so a different token
    const refreshed = await dl.refresh(page.token);
    assert.equal(refreshed.status, 200);
    const token = String(refreshed.body.token);
    assert.notEqual(token, page.token);
    assert.equal(refreshed.body.conversationId, page.conversationId);
    assert.equal(claimsOf(token).user, claimsOf(page.token).user);
    assert.equal(claimsOf(token).conv, page.conversationId);
    assert.ok(Number(claimsOf(token).exp) > Number(claimsOf(page.token).exp));
    assert.equal((await dl.activities(token, page.conversationId)).status, 200);
  });

  it('reconnects: GET the conversation gives a new streamUrl that replays from the watermark', async () => {
    const page = await pageToken(bot.url);
    const started = await dl.start(page.token);
    const first = await openStream(started.body.streamUrl);
    await first.waitFor(isBotMessage);
    await first.settle();
    const mark = first.frames.at(-1)?.watermark ?? '0';
    await first.close();

    const posted = await dl.post(page.token, page.conversationId, { text: 'aide' });
    const again = await dl.reconnect(page.token, page.conversationId, mark);
    assert.equal(again.status, 200);
    assert.notEqual(again.body.streamUrl, started.body.streamUrl);
    assert.match(again.body.token, /\./);
    const second = await openStream(again.body.streamUrl);
    const replayed = await second.waitFor((a) => a.id === posted.body.id);
    assert.equal(replayed.text, 'aide');
    assert.ok(!second.activities().some((a) => first.activities().some((old) => old.id === a.id)));
    await second.close();
  });

  it('a conversation given by id (Web Chat with conversationId) starts on its first GET', async () => {
    const page = await pageToken(bot.url);
    const reconnected = await dl.reconnect(page.token, page.conversationId);
    assert.equal(reconnected.status, 200);
    const stream = await openStream(reconnected.body.streamUrl);
    await stream.waitFor(isBotMessage);
    await stream.close();
  });

  it('guards the stream: its own short token, bound to its conversation', async () => {
    const page = await pageToken(bot.url);
    const started = await dl.start(page.token);
    const url = new URL(started.body.streamUrl);
    url.searchParams.set('t', page.token); // the conversation token is not a stream token
    assert.equal(await streamRefusal(url.toString()), 401);
    url.searchParams.set('t', 'forged.token.here');
    assert.equal(await streamRefusal(url.toString()), 401);

    const other = await pageToken(bot.url);
    const otherStarted = await dl.start(other.token);
    const crossed = new URL(otherStarted.body.streamUrl);
    crossed.pathname = crossed.pathname.replace(other.conversationId, page.conversationId);
    assert.equal(await streamRefusal(crossed.toString()), 403);
  });

  it('serves the connector routes the bot posts to; an unknown conversation is a 404', async () => {
    const page = await pageToken(bot.url);
    await dl.start(page.token);
    const stream = await openStream((await dl.reconnect(page.token, page.conversationId)).body.streamUrl);
    const posted = await fetch(`${bot.url}/v3/conversations/${page.conversationId}/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'Message proactif', from: { id: 'assistant-electeur' } }),
    });
    assert.equal(posted.status, 200);
    const { id } = (await posted.json()) as { id: string };
    const seen = await stream.waitFor((a) => a.id === id);
    assert.equal(seen.text, 'Message proactif');
    assert.equal(seen.from?.role, 'bot');
    assert.ok(seen.timestamp);

    const updated = await fetch(
      `${bot.url}/v3/conversations/${page.conversationId}/activities/${encodeURIComponent(id)}`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'Message modifié' }),
      },
    );
    assert.equal(updated.status, 200);
    await stream.waitFor((a) => a.id === id && a.text === 'Message modifié');

    const unknown = await fetch(`${bot.url}/v3/conversations/nosuchconversation/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x' }),
    });
    assert.equal(unknown.status, 404);
    await stream.close();
  });

  it('refuses what Web Chat never sends: other activity types, non-JSON bodies', async () => {
    const page = await pageToken(bot.url);
    await dl.start(page.token);
    const update = await dl.post(page.token, page.conversationId, { type: 'conversationUpdate' });
    assert.equal(update.status, 400);
    const text = await fetch(`${bot.url}/v3/directline/conversations/${page.conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${page.token}`, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    assert.equal(text.status, 400);
    assert.match(((await text.json()) as { error: { message: string } }).error.message, /mal formée/);
  });

  it('answers with no-store, and a card submission (value) reaches the bot', async () => {
    const page = await pageToken(bot.url);
    await dl.start(page.token);
    const posted = await dl.post(page.token, page.conversationId, {
      text: undefined,
      value: { choix: 'aide' },
    });
    assert.equal(posted.status, 200);
    assert.equal(posted.headers.get('cache-control'), 'no-store');
    const { body } = await dl.activities(page.token, page.conversationId);
    assert.deepEqual(body.activities.find((a) => a.id === posted.body.id)?.value, { choix: 'aide' });
  });
});
