import { z } from 'zod';

/**
 * The longest text an activity may carry at all (Teams caps a message at about 28 KB). The bot's own cap,
 * MAX_MESSAGE_LENGTH (2,000 by default, at most this), answers a longer text with a French « trop long »
 * before anything scans it; past this one the body is refused outright, so that a 100 KB text never
 * reaches a turn.
 */
export const MAX_TEXT_LENGTH = 32_000;

const account = z.object({ id: z.string().min(1).max(512) }).passthrough();

/**
 * The part of an activity the bot relies on, checked before botbuilder sees it, so that a malformed body
 * is a 400 rather than an exception deep in a turn. Unknown fields pass through untouched.
 */
export const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().min(1).max(2048),
    conversation: account,
    from: account.optional(),
    recipient: account.optional(),
    text: z.string().max(MAX_TEXT_LENGTH).optional(),
    locale: z.string().max(64).optional(),
    deliveryMode: z.string().max(32).optional(),
    membersAdded: z.array(account).max(1000).optional(),
    entities: z
      .array(z.object({ type: z.string().max(128) }).passthrough())
      .max(50)
      .optional(),
    attachments: z
      .array(z.object({ contentType: z.string().max(256) }).passthrough())
      .max(50)
      .optional(),
  })
  .passthrough();
