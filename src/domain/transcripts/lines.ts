import type { TranscriptLine, TranscriptRole } from './ports';
import { type RedactionFlags, redactActivity } from './redaction';
import { attachmentSummary, ELLIPSIS, flatValues, MAX_CARD_CHARS, record } from './summaries';

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
const MAX_CHOICES = 12;
const MAX_CHOICE_CHARS = 60;

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
  const fromBot = from?.role === 'bot';
  return lineOf(readableCopy(activity, { fromBot }), fromBot ? 'bot' : 'user', now);
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

/**
 * A line as the stores write it: its JSON, within MAX_LINE_BYTES (bounded). Serialised once when it fits,
 * as almost every line does (at most 3 bytes of UTF-8 per UTF-16 unit: short lines need no count).
 */
export function boundedJson(line: TranscriptLine): string {
  const json = JSON.stringify(line);
  if (json.length * 3 <= MAX_LINE_BYTES || Buffer.byteLength(json, 'utf8') <= MAX_LINE_BYTES) return json;
  return JSON.stringify(bounded(line));
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
