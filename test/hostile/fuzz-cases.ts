/**
 * Random and malformed requests for POST /api/messages, drawn from a seeded generator so that a failing
 * case can be replayed alone: case `i` of seed `s` depends only on (s, i).
 */

/** The server's body limit (src/index.ts MAX_BODY_BYTES) and the default MAX_MESSAGE_LENGTH. */
export const BODY_LIMIT = 256 * 1024;
export const MAX_MESSAGE_LENGTH = 2000;

/** A marker put in bodies, that no error response may echo. */
export const ECHO_MARKER = 'Fuzz-Echo-Marker-7Qz';

export interface FuzzCase {
  /** What the case does, for a failure message. */
  readonly label: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  /** Sent in pieces with Transfer-Encoding: chunked and no Content-Length. */
  readonly chunked: boolean;
  /** True when the bot should run a turn and answer with replies (a well-formed expectReplies message). */
  readonly expectsTurn: boolean;
}

/** mulberry32: small, fast, good enough to draw test cases. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** The generator of case `index`: independent of every other case, so one case replays alone. */
export function caseRng(seed: number, index: number): Rng {
  return new Rng((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

const TEXTS = [
  'bonjour',
  'Créer mon compte électeur',
  'c quand la date limite ?',
  'Puis-je encore voter le 4 décembre à 17 h 30 ?',
  'aide',
  'annuler',
  'recommencer',
  'oui',
  'non',
  '1',
  '4',
  'je reviendrai plus tard',
  'jean.martin@ac-paris.fr',
  'jean.martin@ac-paris.fr\r\nBcc: evil@x.fr',
  'MonMotDePasse2014',
  'mon numen 12 AB 123 456 XYZ',
  'je suis à Nouméa',
];

/** Pieces of hostile text: controls, lone surrogates, emoji, RTL and bidi overrides, zero-width, markup. */
const PIECES = [
  '\u0000',
  '\u0007\u0008\u001b[31m',
  '\r\n',
  '\u2028\u2029',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '😀',
  '👩🏽‍🏫',
  '🇫🇷',
  'مرحبا بكم في الانتخابات',
  'שלום עולם',
  '\u202eRLO\u202c',
  '\u2066isolate\u2069',
  '\u200b\u200c\u200d\ufeff',
  'e\u0301le\u0300ve',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("return 1")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose.
  '${process.exit(1)}',
  '%s%n%x',
  '../../etc/passwd',
  '*',
  ':',
  '{tag}',
  'KEYS *',
  '\\u0000',
  ECHO_MARKER,
];

function hostileText(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(TEXTS);
    case 1: {
      const parts: string[] = [];
      for (let i = rng.between(1, 8); i > 0; i--)
        parts.push(rng.chance(0.5) ? rng.pick(PIECES) : rng.pick(TEXTS));
      return parts.join(rng.pick(['', ' ', '\n']));
    }
    case 2:
      // Around MAX_MESSAGE_LENGTH: just under, at, just over, far over.
      return 'a'.repeat(
        rng.pick([MAX_MESSAGE_LENGTH - 1, MAX_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH + 1, 20_000]),
      );
    case 3:
      // Random code units, surrogates included.
      return String.fromCharCode(...Array.from({ length: rng.between(1, 64) }, () => rng.int(0x10000)));
    case 4:
      return rng.pick(PIECES).repeat(rng.between(1, 500));
    default:
      return '';
  }
}

/** Any JSON value, `depth` levels deep at most. */
function randomJson(rng: Rng, depth: number): unknown {
  const kind = depth <= 0 ? rng.int(5) : rng.int(7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, 2 ** 53]);
    case 3:
      return hostileText(rng);
    case 4:
      return rng.pick(['', 'password', 'webmail', 'address', 'confirm', 'oui']);
    case 5:
      return Array.from({ length: rng.int(6) }, () => randomJson(rng, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(6); i > 0; i--) {
        const key = rng.pick([
          'action',
          'password',
          'confirmation',
          'data',
          'value',
          'text',
          'type',
          'id',
          'x',
          '',
        ]);
        out[key] = randomJson(rng, depth - 1);
      }
      return out;
    }
  }
}

/** Values an Adaptive Card submit or a Teams invoke could carry, well-formed or not. */
function cardValue(rng: Rng): unknown {
  switch (rng.int(6)) {
    case 0:
      return { action: 'password', password: hostileText(rng), confirmation: hostileText(rng) };
    case 1:
      return { action: 'password', password: 'Germain1776', confirmation: 'Germain1776' };
    case 2:
      return { action: { type: 'Action.Submit', data: randomJson(rng, 4) } };
    case 3:
      return { action: randomJson(rng, 2), password: randomJson(rng, 2), confirmation: randomJson(rng, 2) };
    case 4:
      return rng.pick([null, 0, 'texte', [], [1, 2], true]);
    default:
      return randomJson(rng, 6);
  }
}

const TYPES = [
  'message',
  'message',
  'message',
  'conversationUpdate',
  'event',
  'invoke',
  'typing',
  'endOfConversation',
  'messageReaction',
  'installationUpdate',
  'messageUpdate',
  'messageDelete',
  'command',
  'trace',
  'handoff',
  'delay',
  'suggestion',
  'contactRelationUpdate',
  'unknownType',
  'MESSAGE',
];

const WRONG_VALUES: readonly unknown[] = [null, 42, -1, true, false, [], [1], {}, { id: 1 }, '', 'x'];

export interface ActivityContext {
  readonly serviceUrl: string;
  /** A fresh conversation id for the case (so that memory growth per conversation would show). */
  readonly conversationId: string;
}

/** A well-formed activity of its own conversation, before mutation. */
function baseActivity(rng: Rng, ctx: ActivityContext): Record<string, unknown> {
  return {
    type: 'message',
    id: `fuzz-${ctx.conversationId}`,
    channelId: rng.pick(['webchat', 'webchat', 'msteams', 'emulator', 'directline', 'cli', 'test']),
    serviceUrl: ctx.serviceUrl,
    conversation: { id: ctx.conversationId },
    from: { id: `user-${ctx.conversationId}`, name: 'Jeanne Martin' },
    recipient: { id: 'assistant-electeur', name: 'Assistant électeur' },
    deliveryMode: 'expectReplies',
    locale: 'fr-FR',
    timestamp: '2014-11-20T08:00:00.000Z',
    text: rng.pick(TEXTS),
  };
}

/** One change to an activity; returns its label. */
function mutate(rng: Rng, a: Record<string, unknown>): string {
  switch (rng.int(22)) {
    case 0: {
      const type = rng.pick<unknown>([...TYPES, 42, null, true, [], {}, '', 'x'.repeat(65)]);
      a.type = type;
      if (type === 'conversationUpdate') a.membersAdded = [a.recipient, a.from];
      if (type === 'invoke')
        a.name = rng.pick(['adaptiveCard/action', 'signin/verifyState', 'task/fetch', 'x', '']);
      return `type=${JSON.stringify(type)}`;
    }
    case 1: {
      const field = rng.pick([
        'conversation',
        'from',
        'channelId',
        'serviceUrl',
        'recipient',
        'id',
        'type',
        'text',
      ]);
      delete a[field];
      return `no ${field}`;
    }
    case 2: {
      const field = rng.pick([
        'conversation',
        'from',
        'recipient',
        'channelId',
        'serviceUrl',
        'id',
        'text',
        'locale',
        'deliveryMode',
        'timestamp',
        'localTimezone',
        'value',
        'entities',
        'attachments',
        'membersAdded',
        'channelData',
        'replyToId',
        'name',
        'textFormat',
        'speak',
        'inputHint',
      ]);
      const value = rng.pick(WRONG_VALUES);
      a[field] = value;
      return `${field}=${JSON.stringify(value)}`;
    }
    case 3:
    case 4:
    case 5:
      a.text = hostileText(rng);
      return `text(${String(a.text).length})`;
    case 6:
      a.value = cardValue(rng);
      if (rng.chance(0.5)) delete a.text;
      return 'card value';
    case 7: {
      const n = rng.pick([0, 1, 50, 51, 2000]);
      // A long array of small items (its length is the point), or a short one of hostile items.
      a.entities =
        n > 51
          ? Array.from({ length: n }, (_, i) => ({ type: 'mention', text: `@${i}` }))
          : Array.from({ length: n }, () =>
              rng.pick<Record<string, unknown>>([
                { type: 'ClientCapabilities', requiresBotState: true },
                { type: 'clientInfo', timezone: hostileText(rng), locale: hostileText(rng) },
                { type: 'mention', text: hostileText(rng), mentioned: randomJson(rng, 2) },
                { type: randomJson(rng, 1) as string },
                { type: 'x'.repeat(129) },
              ]),
            );
      return `entities(${n})`;
    }
    case 8: {
      const n = rng.pick([0, 1, 50, 51, 2000]);
      a.attachments =
        n > 51
          ? Array.from({ length: n }, () => ({ contentType: 'image/png', contentUrl: 'x' }))
          : Array.from({ length: n }, () =>
              rng.pick<Record<string, unknown>>([
                { contentType: 'application/vnd.microsoft.card.adaptive', content: randomJson(rng, 5) },
                {
                  contentType: 'image/png',
                  contentUrl: rng.pick(['javascript:alert(1)', 'file:///etc/passwd']),
                },
                { contentType: randomJson(rng, 1) as string },
                { name: 'no content type' },
              ]),
            );
      return `attachments(${n})`;
    }
    case 9: {
      const n = rng.pick([0, 1, 1000, 1001, 5000]);
      a.type = 'conversationUpdate';
      a.membersAdded = Array.from({ length: n }, (_, i) => ({
        id: rng.chance(0.9) ? `m${i}` : rng.pick(WRONG_VALUES),
      }));
      return `membersAdded(${n})`;
    }
    case 10:
      a.conversation = {
        id: rng.pick([
          `${a.conversation && (a.conversation as { id?: string }).id}:*{x}\n y`,
          `${'c'.repeat(512)}`,
          `${'c'.repeat(513)}`,
          'conv with spaces',
          '#hashed-looking',
          hostileText(rng),
        ]),
        ...(rng.chance(0.3) ? { isGroup: randomJson(rng, 1), tenantId: hostileText(rng) } : {}),
      };
      return 'hostile conversation id';
    case 11:
      a.from = {
        id: rng.chance(0.5) ? hostileText(rng) : 'u',
        name: hostileText(rng),
        role: randomJson(rng, 1),
      };
      return 'hostile from';
    case 12:
      a.channelData = rng.pick<unknown>([
        { clientActivityID: hostileText(rng), tenant: { id: hostileText(rng) } },
        { postBack: true },
        { filler: 'x'.repeat(rng.pick([1000, 100_000])) },
        randomJson(rng, 6),
      ]);
      return 'channelData';
    case 13:
      a.locale = rng.pick(['en-US', 'ar-SA', 'he-IL', 'xx', '', 'fr-FR\n', 'fr'.repeat(40), 'zh-Hans-CN']);
      return `locale=${JSON.stringify(a.locale)}`;
    case 14:
      a.localTimezone = rng.pick([
        'Europe/Paris',
        'Pacific/Noumea',
        'Mars/Olympus',
        '',
        'UTC+25',
        '../../etc',
      ]);
      a.localTimestamp = rng.pick(['2014-11-20T09:00:00+11:00', 'not-a-date', '9999-99-99T99:99:99Z']);
      return 'local time zone';
    case 15:
      a.timestamp = rng.pick(['not-a-date', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '']);
      return `timestamp=${JSON.stringify(a.timestamp)}`;
    case 16:
      a.deliveryMode = rng.pick(['normal', 'normal', 'notification', 'stream', 'expectreplies', 'x', '']);
      return `deliveryMode=${JSON.stringify(a.deliveryMode)}`;
    case 17:
      // No refused port (http://127.0.0.1:1/): the connector retries it for about 11 s, which tells
      // nothing more and would hold a batch. Production checks the serviceUrl through the JWT anyway.
      a.serviceUrl = rng.pick(['not a url', 'ftp://x/', 'javascript:alert(1)', '/relative']);
      a.deliveryMode = rng.pick(['normal', 'expectReplies']);
      return `serviceUrl=${JSON.stringify(a.serviceUrl)}`;
    case 18:
      a.replyToId = hostileText(rng);
      a.id = hostileText(rng).slice(0, 512);
      return 'hostile ids';
    case 19:
      a.recipient = { id: hostileText(rng) || 'r', name: hostileText(rng) };
      return 'hostile recipient';
    case 20:
      a.value = nestedValue(rng.pick([60, 62, 63, 64, 100]));
      return 'nested value';
    default:
      a.text = `${ECHO_MARKER} ${hostileText(rng)}`;
      return 'marker text';
  }
}

function nestedValue(depth: number): unknown {
  let v: unknown = 'fond';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Keys that would pollute Object.prototype if some code merged the body with a plain assignment. */
const POLLUTION = `"__proto__":{"polluted":"fuzz","isAdmin":true,"type":"event"},"constructor":{"prototype":{"polluted":"fuzz"}},`;

/** Raw-text changes that JSON.stringify cannot make: pollution keys, duplicates, bad UTF-8. */
function rawMutate(rng: Rng, json: string): { bytes: Buffer; label: string } {
  switch (rng.int(6)) {
    case 0: {
      // At the top and inside nested objects.
      const text = json.replace(/\{/g, (m) => (rng.chance(0.4) ? `{${POLLUTION}` : m));
      return {
        bytes: Buffer.from(text.replace(/^\{(?!")/, `{${POLLUTION}`), 'utf8'),
        label: 'prototype pollution keys',
      };
    }
    case 1: {
      const dup = rng.pick([
        '"type":"event",',
        '"conversation":{"id":"autre"},',
        '"text":"dupliqué",',
        '"deliveryMode":"normal",',
        '"channelId":"msteams",',
      ]);
      const text = rng.chance(0.5)
        ? json.replace(/^\{/, `{${dup}`)
        : json.replace(/\}$/, `,${dup.slice(0, -1)}}`);
      return { bytes: Buffer.from(text, 'utf8'), label: `duplicate key ${dup}` };
    }
    case 2: {
      // Invalid UTF-8 inside a string: a lone continuation byte, an overlong '/', a CESU surrogate, 0xff.
      const bad = rng.pick([
        [0x80],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xff],
        [0xf4, 0x90, 0x80, 0x80],
        [0xe2, 0x82],
      ]);
      const at = json.indexOf('"text":"');
      const bytes = Buffer.from(json, 'utf8');
      const cut = at >= 0 ? Buffer.byteLength(json.slice(0, at + 8)) : bytes.length - 1;
      return {
        bytes: Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]),
        label: `invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')}`,
      };
    }
    case 3:
      return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]), label: 'BOM' };
    case 4: {
      const cut = rng.int(json.length);
      return { bytes: Buffer.from(json.slice(0, cut)), label: `truncated at ${cut}` };
    }
    default:
      return { bytes: Buffer.from(` \n\t${json}\n `), label: 'whitespace around' };
  }
}

const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'json',
  'application/xml',
  'APPLICATION/JSON',
  'application/json; charset=iso-8859-1',
  'application/ld+json',
  'application/json\u0000',
];

/** Bodies that are not an activity at all. */
function rawBody(rng: Rng, json: string): { bytes: Buffer; label: string } {
  switch (rng.int(10)) {
    case 0:
      return { bytes: Buffer.alloc(0), label: 'empty' };
    case 1:
      return {
        bytes: Buffer.from(Array.from({ length: rng.between(1, 2048) }, () => rng.int(256))),
        label: 'random bytes',
      };
    case 2:
      return {
        bytes: Buffer.from(rng.pick(['null', 'true', '0', '""', '[]', '{}', '"message"', '[{}]', '1e999'])),
        label: 'scalar JSON',
      };
    case 3: {
      const depth = rng.pick([65, 1000, 10_000]);
      const [open, close] = rng.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
      return { bytes: Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`), label: `nested ${depth}` };
    }
    case 4: {
      const depth = 10_000;
      return {
        bytes: Buffer.from(json.replace(/\}$/, `,"value":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
        label: 'activity with value nested 10k',
      };
    }
    case 5:
      return { bytes: Buffer.from(`${json}${json}`), label: 'two activities' };
    case 6:
      return { bytes: Buffer.from(`[${json}]`), label: 'array of one activity' };
    case 7:
      return {
        bytes: Buffer.from(
          rng.pick(['<xml/>', 'type=message&text=bonjour', 'bonjour', '{"type":', "{'type':'message'}"]),
        ),
        label: 'not JSON',
      };
    case 8: {
      // Over the body limit by a little or a lot, or just under it.
      const size = rng.pick([BODY_LIMIT + 1, BODY_LIMIT + 1000, 2 * BODY_LIMIT, 0]);
      const filler = size
        ? 'x'.repeat(size)
        : 'y'.repeat(Math.max(0, BODY_LIMIT - Buffer.byteLength(json) - 100));
      return {
        bytes: Buffer.from(json.replace(/\}$/, `,"filler":"${filler}"}`)),
        label: size ? `over the limit (${size})` : 'just under the limit',
      };
    }
    default:
      return {
        bytes: Buffer.from(json.replace(/\}$/, ',"filler":"\\ud800\\udc00\\u0000"}')),
        label: 'escapes',
      };
  }
}

/** Case `index` of the run. */
export function fuzzCase(rng: Rng, ctx: ActivityContext): FuzzCase {
  const activity = baseActivity(rng, ctx);
  const labels: string[] = [];
  const mutations = rng.pick([0, 1, 1, 2, 3]);
  for (let i = 0; i < mutations; i++) labels.push(mutate(rng, activity));
  const json = JSON.stringify(activity);

  let body: Buffer;
  const mode = rng.int(10);
  if (mode < 3) {
    body = Buffer.from(json, 'utf8');
  } else if (mode < 6) {
    const raw = rawMutate(rng, json);
    labels.push(raw.label);
    body = raw.bytes;
  } else {
    const raw = rawBody(rng, json);
    labels.push(raw.label);
    body = raw.bytes;
  }

  const headers: Record<string, string> = {};
  if (rng.chance(0.9)) headers['Content-Type'] = 'application/json';
  else if (rng.chance(0.8)) {
    headers['Content-Type'] = rng.pick(WRONG_TYPES).replace('\u0000', '');
    labels.push(`content-type ${headers['Content-Type']}`);
  } else labels.push('no content-type');
  const chunked = rng.chance(0.15);
  if (chunked) labels.push('chunked');

  const expectsTurn =
    mutations === 0 &&
    mode < 3 &&
    headers['Content-Type'] === 'application/json' &&
    activity.type === 'message';
  return { label: labels.join(' · ') || 'well-formed', body, headers, chunked, expectsTurn };
}
