import type { AccountSnapshot, CancelOutcome, ResendOutcome } from '../../domain/accounts/ports';

/**
 * What the console may do, as written in the audit log. `stats.read` too: the statistics show
 * misunderstood messages, which are teachers' own words.
 */
export const AUDIT_ACTIONS = [
  'search',
  'transcript.read',
  'transcript.export',
  'account.resend',
  'account.cancel',
  'transcripts.delete',
  'audit.read',
  'stats.read',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** ISO 8601 instant, by the application clock. */
  readonly at: string;
  /** The helpdesk login that acted. */
  readonly login: string;
  readonly action: AuditAction;
  /** What was read or acted on: `email:…`, `day:…`, `channelId/conversationId`. */
  readonly target: string;
}

/** Who read what, when: written before the data is served, so a read that cannot be audited is refused. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}

/** The part of the account service the console uses; AccountService satisfies it. */
export interface HelpdeskAccounts {
  status(email: string): Promise<AccountSnapshot | null>;
  /** A new link for the newest pending request, same password; its previous link stops working. */
  resend(email: string): Promise<{ outcome: ResendOutcome; linkExpiresAt?: Date }>;
  /** Every pending request of the address stops working (its links then say « annulée »). */
  cancel(email: string): Promise<CancelOutcome>;
}
