import { z } from 'zod';
import type { AccountSnapshot } from '../../domain/accounts/ports';
import type { AgentScope } from '../../domain/helpdesk/scope';
import type { ConversationSummary, TranscriptArchive } from '../../domain/transcripts/ports';
import type { HelpdeskAccounts } from './ports';

/** What the console shows of an account: its state and dates, never a hash nor a token. */
export interface AccountView {
  readonly accountStatus: 'none' | 'pending' | 'confirmed';
  /** ISO 8601 instants, present when they apply. */
  readonly pendingSince?: string;
  readonly confirmedAt?: string;
  readonly linkExpiresAt?: string;
  /** Requests waiting for a confirmation (several: from different conversations). */
  readonly pendingRequests?: number;
}

export interface ConversationRow extends AccountView {
  readonly channelId: string;
  readonly conversationId: string;
  readonly created: string;
  readonly lastActivity: string;
  readonly email: string | null;
}

/** Loose on purpose: the console must find what a teacher typed, even a malformed address. */
export const emailSchema = z
  .string({ error: 'helpdesk.errors.email' })
  .trim()
  .toLowerCase()
  .max(254, { error: 'helpdesk.errors.email' })
  .regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/, { error: 'helpdesk.errors.email' });

/** A real calendar day `YYYY-MM-DD`: 2014-02-30 parses as March 2nd, so only a date that prints back the same is. */
function isRealDay(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso);
}

/** The API's day: `YYYY-MM-DD` only, the machine format it documents. */
export const daySchema = z
  .string({ error: 'helpdesk.errors.day' })
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDay(v), { error: 'helpdesk.errors.day' });

const FRENCH_DAY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/**
 * The page's day, as an agent types it: « 20/11/2014 » (also with dots or dashes, « 3/2/2014 ») or
 * « 2014-11-20 » (a date pasted from a log or the API); always `YYYY-MM-DD` once parsed.
 */
export const frenchDaySchema = z
  .string({ error: 'helpdesk.errors.dayFr' })
  .trim()
  .transform((v, ctx) => {
    const french = FRENCH_DAY.exec(v);
    const iso = french
      ? `${french[3]}-${(french[2] ?? '').padStart(2, '0')}-${(french[1] ?? '').padStart(2, '0')}`
      : v;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && isRealDay(iso)) return iso;
    ctx.addIssue({ code: 'custom', message: 'helpdesk.errors.dayFr' });
    return z.NEVER;
  });

/** `YYYY-MM-DD` as the page shows it back in its field: « 20/11/2014 ». */
export function frenchDayInput(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

export const idSchema = z
  .string({ error: 'helpdesk.errors.conversation' })
  .min(1, { error: 'helpdesk.errors.conversation' })
  .max(512, { error: 'helpdesk.errors.conversation' });

export type SearchCriterion = { readonly email: string } | { readonly day: string };

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  /** The key of the French message (the schemas' messages are locale keys). */
  | { readonly ok: false; readonly messageKey: string };

/**
 * `?email=` or `?day=`, exactly one; `undefined` when neither is given (the page then shows its form). The
 * API takes the day as `YYYY-MM-DD`; the page (`days: 'french'`) also as the French « JJ/MM/AAAA ».
 */
export function parseSearch(
  query: Record<string, unknown>,
  options: { readonly days?: 'iso' | 'french' } = {},
): Parsed<SearchCriterion> | undefined {
  const email = query.email === '' ? undefined : query.email;
  const day = query.day === '' ? undefined : query.day;
  if (email === undefined && day === undefined) return undefined;
  if (email !== undefined && day !== undefined)
    return { ok: false, messageKey: 'helpdesk.errors.oneCriterion' };
  const days = options.days === 'french' ? frenchDaySchema : daySchema;
  const parsed = email !== undefined ? emailSchema.safeParse(email) : days.safeParse(day);
  if (!parsed.success)
    return { ok: false, messageKey: parsed.error.issues[0]?.message ?? 'helpdesk.errors.email' };
  return { ok: true, value: email !== undefined ? { email: parsed.data } : { day: parsed.data } };
}

export function accountView(snapshot: AccountSnapshot | null): AccountView {
  if (!snapshot) return { accountStatus: 'none' };
  const iso = (ms: number) => new Date(ms).toISOString();
  if (snapshot.status === 'confirmed')
    return {
      accountStatus: 'confirmed',
      ...(snapshot.confirmedAt !== undefined ? { confirmedAt: iso(snapshot.confirmedAt) } : {}),
    };
  return {
    accountStatus: 'pending',
    pendingSince: iso(snapshot.createdAt),
    ...(snapshot.tokenExpiresAt !== undefined ? { linkExpiresAt: iso(snapshot.tokenExpiresAt) } : {}),
    ...(snapshot.pendingRequests !== undefined ? { pendingRequests: snapshot.pendingRequests } : {}),
  };
}

/** Conversations with their account state, most recent first; one status look-up per distinct address. */
export async function describe(
  summaries: readonly ConversationSummary[],
  accounts: Pick<HelpdeskAccounts, 'status'>,
): Promise<ConversationRow[]> {
  const views = new Map<string, Promise<AccountView>>();
  const viewOf = (email: string) => {
    let view = views.get(email);
    if (!view) {
      view = accounts.status(email).then(accountView);
      views.set(email, view);
    }
    return view;
  };
  const rows = await Promise.all(
    summaries.map(async (s) => ({
      channelId: s.channelId,
      conversationId: s.conversationId,
      created: s.created,
      lastActivity: s.lastActivity,
      email: s.email ?? null,
      ...(s.email ? await viewOf(s.email) : { accountStatus: 'none' as const }),
    })),
  );
  return rows.sort((a, b) => Date.parse(b.lastActivity) - Date.parse(a.lastActivity));
}

/** What the agent's scope lets it see of the conversations found (nothing is said of the others). */
export async function search(
  criterion: SearchCriterion,
  transcripts: TranscriptArchive,
  accounts: Pick<HelpdeskAccounts, 'status'>,
  scope: AgentScope,
): Promise<ConversationRow[]> {
  const found =
    'email' in criterion
      ? await transcripts.findByEmail(criterion.email)
      : await transcripts.findByDay(criterion.day);
  return describe(scope.visible(found), accounts);
}
