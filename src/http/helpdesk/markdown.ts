import { escapeHtml } from '../html';

/**
 * The little Markdown the bot writes (what Web Chat and Teams render for the teacher), as safe HTML for the
 * console: `code`, **bold**, numbered and bulleted lists, paragraphs and line breaks. Everything else is
 * text: each piece is escaped before a tag is put around it, and no attribute is ever written, so nothing
 * in a message (a teacher's `<script>` quoted back, a link) can become markup.
 */
export function renderMarkdown(text: string): string {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .filter((block) => block.trim() !== '');
  return blocks.map(renderBlock).join('');
}

const ORDERED = /^\s{0,3}(\d{1,3})[.)]\s+(.*)$/;
const BULLET = /^\s{0,3}[-*•]\s+(.*)$/;

/** A block: runs of list items become lists, other lines a paragraph with line breaks. */
function renderBlock(block: string): string {
  const out: string[] = [];
  let lines: string[] = [];
  let list: { kind: 'ol' | 'ul'; start: number; items: string[] } | undefined;
  const flushLines = () => {
    if (lines.length > 0) out.push(`<p>${lines.map(renderInline).join('<br>')}</p>`);
    lines = [];
  };
  const flushList = () => {
    if (!list) return;
    const start = list.kind === 'ol' && list.start !== 1 ? ` start="${list.start}"` : '';
    out.push(
      `<${list.kind}${start}>${list.items.map((i) => `<li>${renderInline(i)}</li>`).join('')}</${list.kind}>`,
    );
    list = undefined;
  };
  for (const line of block.split('\n')) {
    const ordered = ORDERED.exec(line);
    const bullet = ordered ? undefined : BULLET.exec(line);
    const kind = ordered ? 'ol' : bullet ? 'ul' : undefined;
    if (!kind) {
      flushList();
      lines.push(line);
      continue;
    }
    flushLines();
    if (list?.kind !== kind) {
      flushList();
      list = { kind, start: ordered ? Number(ordered[1]) : 1, items: [] };
    }
    list.items.push((ordered ? ordered[2] : bullet?.[1]) ?? '');
  }
  flushList();
  flushLines();
  return out.join('');
}

/** `code` spans first (nothing inside them is Markdown), then **bold** in the escaped text between them. */
export function renderInline(text: string): string {
  let html = '';
  let rest = text;
  for (let match = /`([^`\n]+)`/.exec(rest); match; match = /`([^`\n]+)`/.exec(rest)) {
    html += emphasis(escapeHtml(rest.slice(0, match.index)));
    html += `<code>${escapeHtml(match[1] ?? '')}</code>`;
    rest = rest.slice(match.index + match[0].length);
  }
  return html + emphasis(escapeHtml(rest));
}

/** Runs on escaped text, which holds no `<` or `>`: the only tags are the ones added here. */
function emphasis(escaped: string): string {
  return escaped.replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '<strong>$1</strong>');
}
