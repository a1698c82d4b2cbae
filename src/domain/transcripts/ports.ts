/**
 * What the helpdesk reads of the conversations. Activities are stored already redacted (passwords,
 * NUMEN, tokens and links masked), so nothing here can reveal a secret.
 */
export interface ConversationSummary {
  readonly channelId: string;
  readonly conversationId: string;
  /** ISO 8601 instants. */
  readonly created: string;
  readonly lastActivity: string;
  /** The professional address the teacher gave, once given. */
  readonly email?: string;
}

/** A stored activity, in the Bot Framework Emulator's .transcript shape (JSON-safe). */
export type StoredActivity = Readonly<Record<string, unknown>>;

export interface TranscriptArchive {
  findByEmail(email: string): Promise<ConversationSummary[]>;
  /** `day` is YYYY-MM-DD, Paris time. */
  findByDay(day: string): Promise<ConversationSummary[]>;
  summary(channelId: string, conversationId: string): Promise<ConversationSummary | null>;
  activities(channelId: string, conversationId: string): Promise<StoredActivity[]>;
  /** Deletes every transcript of one teacher (on request); returns how many conversations went. */
  deleteByEmail(email: string): Promise<number>;
}

/** One turn's worth of activities for one conversation, already redacted. */
export interface TranscriptEntry {
  readonly channelId: string;
  readonly conversationId: string;
  readonly activities: readonly StoredActivity[];
  /** The professional address confirmed during this turn, if any: the conversation is indexed by it. */
  readonly email?: string;
}

/** What the transcript middleware needs: one write per turn, so that a turn costs one round trip. */
export interface TranscriptWriter {
  append(entry: TranscriptEntry): Promise<void>;
}
