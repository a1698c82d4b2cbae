import { t } from '../../i18n';
import type { StoredActivity, TranscriptLine, TranscriptRole } from './ports';
import { type RedactionFlags, redactActivity } from './redaction';

/**
 * What one line may weigh, as JSON (UTF-8 bytes). Text is cut first, then what is least read (value,
 * choices, cards); past that only the type, the time and the sender are left.
 */
export const MAX_LINE_BYTES = 4 * 1024;
/** The message cap's default (MAX_MESSAGE_LENGTH): a teacher's longest message and every reply fit. */
export const MAX_TEXT_CHARS = 2_000;
/**
 * Per conversation: an honest long conversation (an activation with a few retries and a dozen questions)
 * is 60 to 150 lines of a few hundred bytes; 500 lines or 200 KB leaves room for three times that. Past
 * either bound the next lines are dropped and counted, behind one truncation marker.
 */
export const MAX_LINES_PER_CONVERSATION = 500;
export const MAX_BYTES_PER_CONVERSATION = 200 * 1024;
/** The type of the marker line; shown as a message of the transcript itself. */
export const TRUNCATED_LINE_TYPE = 'transcriptTruncated';

const MAX_ID_CHARS = 200;
const MAX_TYPE_CHARS = 32;
const MAX_NAME_CHARS = 64;
const MAX_CARDS = 5;
const MAX_CARD_CHARS = 300;
const MAX_CHOICES = 12;
const MAX_CHOICE_CHARS = 60;
const MAX_VALUES = 8;
const MAX_VALUE_KEY_CHARS = 60;
const MAX_VALUE_CHARS = 100;
const MAX_VALUE_DEPTH = 3;
const ELLIPSIS = ' […]';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const HERO = 'application/vnd.microsoft.card.hero';
const CARD_PREFIX = 'application/vnd.microsoft.card.';

/**
 * The fields a line is made from. Everything else (channelData, entities, Teams' HTML copy…) is left
 * out before redaction: it is never read, and redacting it would cost as much as the activity weighs.
 */
const READ_FIELDS = [
  'type',
  'id',
  'replyToId',
  'timestamp',
  'name',
  'text',
  'value',
  'attachments',
  'suggestedActions',
] as const;

/**
 * A redacted copy of what a line needs of an activity: the fields of READ_FIELDS only, deep-copied and
 * redacted (redaction.ts). Taken at once, since the activity may change later in the turn.
 */
export function readableCopy(activity: object, flags: RedactionFlags = {}): Record<string, unknown> {
  const source = activity as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of READ_FIELDS) if (source[key] !== undefined) picked[key] = source[key];
  return redactActivity(picked, flags);
}

/**
 * The line of an activity already redacted (readableCopy), bounded to MAX_LINE_BYTES. `now` is the time
 * given when the activity has none (or an unreadable one).
 */
export function lineOf(redacted: Record<string, unknown>, role: TranscriptRole, now: Date): TranscriptLine {
  let cut = false;
  const short = (value: unknown, max: number): string | undefined => {
    if (typeof value !== 'string' || value === '') return undefined;
    if (value.length <= max) return value;
    cut = true;
    return `${value.slice(0, max - ELLIPSIS.length)}${ELLIPSIS}`;
  };
  const type = short(redacted.type, MAX_TYPE_CHARS) ?? 'message';
  const line: Mutable<TranscriptLine> = {
    // A client may name its activity anything: never the marker, which only the stores write.
    type: type === TRUNCATED_LINE_TYPE ? 'event' : type,
    at: instantOf(redacted.timestamp, now),
    role,
  };
  const id = typeof redacted.id === 'string' && redacted.id.length <= MAX_ID_CHARS ? redacted.id : undefined;
  if (id) line.id = id;
  const replyToId = redacted.replyToId;
  if (typeof replyToId === 'string' && replyToId !== '' && replyToId.length <= MAX_ID_CHARS)
    line.replyToId = replyToId;
  const name = short(redacted.name, MAX_NAME_CHARS);
  if (name) line.name = name;
  const text = short(redacted.text, MAX_TEXT_CHARS);
  if (text) line.text = text;

  const attachments = Array.isArray(redacted.attachments) ? redacted.attachments : [];
  if (attachments.length > MAX_CARDS) cut = true;
  const cards = attachments.slice(0, MAX_CARDS).flatMap((a) => {
    const summary = attachmentSummary(a);
    if (!summary) return [];
    return [{ contentType: summary.contentType, summary: short(summary.summary, MAX_CARD_CHARS) ?? '' }];
  });
  if (cards.length > 0) line.attachments = cards;

  const actions = record(redacted.suggestedActions)?.actions;
  const titles = Array.isArray(actions)
    ? actions.flatMap((a) => {
        const title = short(record(a)?.title, MAX_CHOICE_CHARS);
        return title ? [title] : [];
      })
    : [];
  if (titles.length > MAX_CHOICES) cut = true;
  if (titles.length > 0) line.choices = titles.slice(0, MAX_CHOICES);

  if (redacted.value !== undefined && redacted.value !== null) {
    const { values, complete } = flatValues(redacted.value);
    if (!complete) cut = true;
    if (Object.keys(values).length > 0) line.value = values;
  }
  if (cut) line.truncated = true;
  return bounded(line);
}

/** The line of an activity as received (redacted here, without turn flags): botbuilder's logActivity. */
export function lineOfActivity(activity: object, now: Date): TranscriptLine {
  const from = record((activity as Record<string, unknown>).from);
  return lineOf(readableCopy(activity), from?.role === 'bot' ? 'bot' : 'user', now);
}

/** The marker that ends a truncated transcript; how many lines went is counted beside it. */
export function truncationMarker(now: Date): TranscriptLine {
  return { type: TRUNCATED_LINE_TYPE, at: now.toISOString(), role: 'bot' };
}

/**
 * A line within MAX_LINE_BYTES, whatever it holds: text cut to fit, then the optional parts dropped, the
 * least read first. Also applied by the stores to what they are given.
 */
export function bounded(line: TranscriptLine): TranscriptLine {
  if (byteLength(line) <= MAX_LINE_BYTES) return line;
  const smaller: Mutable<TranscriptLine> = { ...line, truncated: true };
  const text = smaller.text;
  delete smaller.text;
  // Room for the text first (up to half the line): what was said is what the helpdesk reads.
  const textRoom = text === undefined ? 0 : Math.min(byteLength(text), MAX_LINE_BYTES / 2);
  for (const key of ['value', 'choices', 'attachments', 'name', 'replyToId', 'id'] as const) {
    if (byteLength(smaller) + textRoom <= MAX_LINE_BYTES) break;
    delete smaller[key];
  }
  if (text !== undefined) {
    const room = MAX_LINE_BYTES - byteLength({ ...smaller, text: '' });
    if (room > 64) smaller.text = cutToBytes(text, room);
  }
  if (byteLength(smaller) <= MAX_LINE_BYTES) return smaller;
  return { type: 'message', at: line.at.slice(0, 40), role: line.role, truncated: true };
}

export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * A stored line, read back. Lines written before transcripts were compact were whole redacted activities:
 * they are made into lines on the way, so that a transcript kept from then still reads.
 */
export function parseLine(json: string, now: Date): TranscriptLine {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  if (typeof parsed.at === 'string' && (parsed.role === 'user' || parsed.role === 'bot'))
    return parsed as unknown as TranscriptLine;
  const from = record(parsed.from);
  return lineOf(parsed, from?.role === 'bot' ? 'bot' : 'user', now);
}

export interface LineContext {
  readonly channelId: string;
  readonly conversationId: string;
  /** Lines dropped past the conversation's bounds: the marker says how many. */
  readonly dropped: number;
}

/**
 * A line as a minimal activity, in the shape the Bot Framework Emulator opens as a `.transcript` and the
 * helpdesk page reads: sender and recipient by role (the Emulator tells the user from the bot by
 * `recipient.role`), cards as cards showing their summary, choices as suggested actions.
 */
export function activityOf(line: TranscriptLine, index: number, where: LineContext): StoredActivity {
  const other: TranscriptRole = line.role === 'bot' ? 'user' : 'bot';
  const base = {
    id: line.id ?? `ligne-${index + 1}`,
    timestamp: line.at,
    channelId: where.channelId,
    conversation: { id: where.conversationId },
    from: { id: line.role, role: line.role },
    recipient: { id: other, role: other },
  };
  if (line.type === TRUNCATED_LINE_TYPE)
    return { type: 'message', ...base, text: t('bot.transcript.truncated', { count: where.dropped }) };
  return {
    type: line.type,
    ...base,
    ...(line.replyToId ? { replyToId: line.replyToId } : {}),
    ...(line.name ? { name: line.name } : {}),
    ...(line.text ? { text: line.text } : {}),
    ...(line.attachments ? { attachments: line.attachments.map(attachmentOf) } : {}),
    ...(line.choices
      ? {
          suggestedActions: {
            actions: line.choices.map((title) => ({ type: 'imBack', title, value: title })),
          },
        }
      : {}),
    ...(line.value ? { value: line.value } : {}),
  };
}

/** Cards are shown as cards holding their summary (an Adaptive Card stays one); other files as text. */
function attachmentOf(a: { contentType: string; summary: string }): Record<string, unknown> {
  if (a.contentType === ADAPTIVE)
    return {
      contentType: ADAPTIVE,
      content: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: a.summary, wrap: true }],
        fallbackText: a.summary,
      },
    };
  if (a.contentType.startsWith(CARD_PREFIX)) return { contentType: HERO, content: { text: a.summary } };
  return { contentType: 'text/plain', content: a.summary };
}

/**
 * What the teacher was shown on a card (its texts, fields and buttons) or sent as a file (its name and
 * type): never a URL, a data: URL or a field's value.
 */
function attachmentSummary(value: unknown): { contentType: string; summary: string } | undefined {
  const attachment = record(value);
  if (!attachment) return undefined;
  const contentType =
    typeof attachment.contentType === 'string' ? attachment.contentType.slice(0, 100) : 'inconnu';
  const content = record(attachment.content);
  if (!contentType.startsWith(CARD_PREFIX)) {
    const name = typeof attachment.name === 'string' ? attachment.name.slice(0, 100) : '';
    return { contentType, summary: name ? `${name} (${contentType})` : contentType };
  }
  if (!content) return undefined;
  const found = { texts: [] as string[], fields: [] as string[], buttons: [] as string[] };
  collectCard(content, found, 0, false);
  const { fields, buttons } = found;
  const parts = [...found.texts];
  if (fields.length > 0) parts.push(t('bot.transcript.fields', { labels: fields.join(', ') }));
  if (buttons.length > 0) parts.push(t('bot.transcript.buttons', { titles: buttons.join(', ') }));
  return parts.length > 0 ? { contentType, summary: parts.join(' — ') } : undefined;
}

/**
 * Walks a card (Adaptive Card elements and containers, hero card fields and buttons), a few levels deep.
 * Under `actions` and `buttons` a title is a button's; elsewhere titles and texts are what the card says.
 */
function collectCard(
  node: Record<string, unknown>,
  found: { texts: string[]; fields: string[]; buttons: string[] },
  depth: number,
  asButton: boolean,
): void {
  if (depth > 6 || found.texts.length + found.fields.length + found.buttons.length > 40) return;
  for (const key of ['title', 'subtitle', 'text']) {
    const text = node[key];
    if (typeof text !== 'string' || text === '') continue;
    if (asButton && key === 'title') found.buttons.push(text);
    else found.texts.push(text);
  }
  const type = typeof node.type === 'string' ? node.type : '';
  if (type.startsWith('Input.')) {
    const label = [node.label, node.placeholder, node.id].find((v) => typeof v === 'string' && v !== '');
    if (typeof label === 'string') found.fields.push(label);
  }
  for (const key of ['body', 'items', 'columns', 'actions', 'buttons', 'facts', 'inlines']) {
    const children = node[key];
    if (!Array.isArray(children)) continue;
    for (const child of children.slice(0, 20)) {
      const element = record(child);
      if (element) collectCard(element, found, depth + 1, key === 'actions' || key === 'buttons');
    }
  }
}

type ValueLeaf = string | number | boolean | null;

/**
 * A card's submitted values as at most MAX_VALUES `path: value` pairs (redacted already: secrets are the
 * mask), strings cut short, nesting flattened a few levels deep (`action.data.password`).
 */
function flatValues(value: unknown): { values: Record<string, ValueLeaf>; complete: boolean } {
  const values: Record<string, ValueLeaf> = {};
  let complete = true;
  const add = (path: string, leaf: ValueLeaf) => {
    if (Object.keys(values).length >= MAX_VALUES) {
      complete = false;
      return;
    }
    let key = path.slice(0, MAX_VALUE_KEY_CHARS);
    if (key !== path) complete = false;
    while (key in values) key = `${key}'`;
    if (typeof leaf === 'string' && leaf.length > MAX_VALUE_CHARS) {
      complete = false;
      values[key] = `${leaf.slice(0, MAX_VALUE_CHARS - ELLIPSIS.length)}${ELLIPSIS}`;
    } else values[key] = leaf;
  };
  const walk = (node: unknown, path: string, depth: number) => {
    if (Object.keys(values).length >= MAX_VALUES) {
      complete = false;
      return;
    }
    if (node === null || typeof node === 'string' || typeof node === 'boolean') add(path, node);
    else if (typeof node === 'number') add(path, Number.isFinite(node) ? node : null);
    else if (typeof node === 'object' && depth < MAX_VALUE_DEPTH) {
      const entries = Array.isArray(node)
        ? node.map((v, i) => [String(i), v] as const)
        : Object.entries(node);
      for (const [key, child] of entries) walk(child, path ? `${path}.${key}` : key, depth + 1);
    } else if (typeof node === 'object') {
      complete = false;
      add(path, '…');
    }
  };
  walk(value, '', 0);
  // A bare scalar (a value that is not an object) is kept under « valeur ».
  if ('' in values) {
    values.valeur = values[''] ?? null;
    delete values[''];
  }
  return { values, complete };
}

function instantOf(value: unknown, now: Date): string {
  const at = typeof value === 'string' && value.length <= 40 ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? now.toISOString() : new Date(at).toISOString();
}

/** The start of `text` within `maxBytes` of UTF-8, ellipsis included, never splitting a character. */
function cutToBytes(text: string, maxBytes: number): string {
  const room = maxBytes - Buffer.byteLength(ELLIPSIS, 'utf8');
  let used = 0;
  let end = 0;
  for (const char of text) {
    // As written in the JSON: quotes, backslashes and control characters are escaped.
    const size = Buffer.byteLength(JSON.stringify(char), 'utf8') - 2;
    if (used + size > room) break;
    used += size;
    end += char.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
