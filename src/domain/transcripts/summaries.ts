import { t } from '../../i18n';

/** What a card, a file or a card's submitted values come down to in a transcript line (lines.ts). */

export const MAX_CARD_CHARS = 300;
const MAX_VALUES = 8;
const MAX_VALUE_KEY_CHARS = 60;
const MAX_VALUE_CHARS = 100;
const MAX_VALUE_DEPTH = 3;
export const CARD_PREFIX = 'application/vnd.microsoft.card.';
/** What ends a cut string. */
export const ELLIPSIS = ' […]';

/**
 * What the teacher was shown on a card (its texts, fields and buttons) or sent as a file (its name and
 * type): never a URL, a data: URL or a field's value.
 */
export function attachmentSummary(value: unknown): { contentType: string; summary: string } | undefined {
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

export type ValueLeaf = string | number | boolean | null;

/**
 * A card's submitted values as at most MAX_VALUES `path: value` pairs (redacted already: secrets are the
 * mask), strings cut short, nesting flattened a few levels deep (`action.data.password`).
 */
export function flatValues(value: unknown): { values: Record<string, ValueLeaf>; complete: boolean } {
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

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
