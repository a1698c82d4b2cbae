/**
 * What the console may do, as written in the audit log. `stats.read` too: the statistics show
 * misunderstood messages, which are teachers' own words. `account.resend.limited`: a resend refused by
 * the address's budget, audited because the agent asked (and a loop of them is worth seeing).
 * `scope.refused`: a scoped agent asked for something outside its académies (its target says what).
 * `handoff.*`: who took, wrote in, or ended a live exchange, and when; the words live in the transcript.
 */
export const AUDIT_ACTIONS = [
  'search',
  'transcript.read',
  'transcript.export',
  'account.resend',
  'account.resend.limited',
  'account.cancel',
  'transcripts.delete',
  'audit.read',
  'stats.read',
  'scope.refused',
  'handoff.take',
  'handoff.message',
  'handoff.end',
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
  /**
   * The mail domains the agent served when it acted (HELPDESK_USERS' third field); absent: every académie
   * (as for every entry written before agents had scopes).
   */
  readonly scope?: readonly string[];
}

/**
 * Failed helpdesk logins from one client address during one hour: counts only. Neither the login tried
 * nor the password is kept (a password typed in the login field would otherwise be stored).
 */
export interface FailedLogins {
  readonly action: 'login.failed';
  /** Start of the hour (ISO 8601, a whole UTC hour: a whole Paris hour too). */
  readonly at: string;
  /** As clientNetwork() gives it (IPv4 as seen, IPv6 as its /64), or OTHER_ADDRESSES. */
  readonly address: string;
  /** Wrong credentials: each one cost a verification. */
  readonly failed: number;
  /** Attempts refused by the login budget before any verification. */
  readonly blocked: number;
}

export type AuditRecord = AuditEntry | FailedLogins;

export interface AuditPage {
  /** Newest first; failed-login counts sit at the start of their hour. */
  readonly records: AuditRecord[];
  /** Epoch ms to pass as `before` for the older records; absent when there are none. */
  readonly next?: number;
}

/** Failed logins of an hour beyond FAILED_ADDRESSES_PER_HOUR distinct addresses are counted under this. */
export const OTHER_ADDRESSES = '*';
/** A client address that is not an IP (a misconfigured proxy): counted, under this. */
export const UNKNOWN_ADDRESS = '?';

/**
 * Entries are kept by time, never by count: no amount of reading by an agent pushes another entry out.
 * A year of campaign plus a margin, so last year's vote can still be looked into when the next begins.
 */
export const AUDIT_RETENTION_MS = 400 * 24 * 3_600_000;
/**
 * Distinct client addresses counted one by one per hour; the rest are summed under OTHER_ADDRESSES. A
 * stranger with many addresses can thus add at most this many counters an hour: with the retention,
 * about 200 000 small counters at worst, whatever they send.
 */
export const FAILED_ADDRESSES_PER_HOUR = 20;

export const HOUR_MS = 3_600_000;

/** The start of the (UTC) hour `atMs` falls in. */
export function hourOf(atMs: number): number {
  return Math.floor(atMs / HOUR_MS) * HOUR_MS;
}

/**
 * Who read what, when: written before the data is served, so a read that cannot be audited is refused.
 * Nothing in it removes an entry but age (AUDIT_RETENTION_MS): reading never deletes.
 */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** One failed login (`failed`) or one attempt refused by the budget (`blocked`) from `address`. */
  countFailedLogin(address: string, kind: 'failed' | 'blocked', atMs: number): Promise<void>;
  /**
   * Records strictly older than `before` (epoch ms; absent: from the newest), newest first. A page
   * never splits one instant (or one hour's counts) between two pages, so it may hold a few more than
   * `limit`.
   */
  page(query: { readonly limit: number; readonly before?: number }): Promise<AuditPage>;
  /** The newest agent actions only, newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}

/** recent() from page(): pages until `limit` agent actions are found or the log ends. */
export async function newestEntries(log: Pick<AuditLog, 'page'>, limit: number): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  let before: number | undefined;
  while (found.length < limit) {
    const page = await log.page({ limit: Math.max(limit, 50), ...(before === undefined ? {} : { before }) });
    for (const record of page.records) if (record.action !== 'login.failed') found.push(record);
    if (page.next === undefined) break;
    before = page.next;
  }
  return found.slice(0, Math.max(0, limit));
}
