/**
 * What the helpdesk reads of the conversations. Each activity is stored as one compact line (lines.ts),
 * already redacted (passwords, NUMEN, tokens and links masked), so nothing here can reveal a secret.
 */
export interface ConversationSummary {
  readonly channelId: string;
  readonly conversationId: string;
  /** ISO 8601 instants. */
  readonly created: string;
  readonly lastActivity: string;
  /** The professional address the teacher gave, once given. */
  readonly email?: string;
  /** The id of the teacher's académie (its profile), once the conversation knows it. */
  readonly academie?: string;
}

/**
 * A line rebuilt as a minimal activity (lines.ts, activityOf), in the Bot Framework Emulator's .transcript
 * shape (JSON-safe): what the helpdesk page shows and the export gives.
 */
export type StoredActivity = Readonly<Record<string, unknown>>;

/** Who sent an activity: the teacher (or whoever writes in the chat), or the assistant. */
export type TranscriptRole = 'user' | 'bot';

/**
 * One activity as kept: what the helpdesk reads and nothing else (no channelData, entities or URLs), at
 * most MAX_LINE_BYTES as JSON. Conversations keep at most MAX_LINES_PER_CONVERSATION lines and
 * MAX_BYTES_PER_CONVERSATION, then one truncation marker.
 */
export interface TranscriptLine {
  /** The activity's type (message, conversationUpdate, event, messageUpdate…), or the marker's. */
  readonly type: string;
  /** ISO 8601 instant. */
  readonly at: string;
  readonly role: TranscriptRole;
  readonly id?: string;
  readonly replyToId?: string;
  /** An event's or an invoke's name. */
  readonly name?: string;
  /** Redacted, at most MAX_TEXT_CHARS, cut with « […] ». */
  readonly text?: string;
  /** Cards as their texts, fields and buttons; files as their name and type. */
  readonly attachments?: ReadonlyArray<{ readonly contentType: string; readonly summary: string }>;
  /** The titles of the suggested actions. */
  readonly choices?: readonly string[];
  /** A card's submitted values, flattened and cut short, secrets already the mask. */
  readonly value?: Readonly<Record<string, string | number | boolean | null>>;
  /** Something was cut or left out to stay within the bounds. */
  readonly truncated?: true;
}

export interface TranscriptArchive {
  findByEmail(email: string): Promise<ConversationSummary[]>;
  /** `day` is YYYY-MM-DD, Paris time. */
  findByDay(day: string): Promise<ConversationSummary[]>;
  summary(channelId: string, conversationId: string): Promise<ConversationSummary | null>;
  activities(channelId: string, conversationId: string): Promise<StoredActivity[]>;
  /** Deletes every transcript of one teacher (on request); returns how many conversations went. */
  deleteByEmail(email: string): Promise<number>;
}

/** One turn's worth of lines for one conversation, already redacted and bounded. */
export interface TranscriptEntry {
  readonly channelId: string;
  readonly conversationId: string;
  readonly lines: readonly TranscriptLine[];
  /** The professional address confirmed during this turn, if any: the conversation is indexed by it. */
  readonly email?: string;
  /** The académie the conversation knows at the end of this turn (a profile id), if any. */
  readonly academie?: string;
}

/** What the transcript middleware needs: one write per turn, so that a turn costs one round trip. */
export interface TranscriptWriter {
  append(entry: TranscriptEntry): Promise<void>;
}
