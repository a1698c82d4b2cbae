import { t } from '../../i18n';
import { TRUNCATED_LINE_TYPE } from './lines';
import type { StoredActivity, TranscriptLine, TranscriptRole } from './ports';
import { CARD_PREFIX } from './summaries';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const HERO = 'application/vnd.microsoft.card.hero';

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
