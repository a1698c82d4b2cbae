import type { Clock } from '../../clock';
import { AppError } from '../../errors';
import { type ElectionCalendar, windowStatus } from '../calendar/calendar';
import type { ClientDirectory } from '../limits/clients';
import type { RateLimiter, RateRule } from '../limits/rate-limiter';
import { RULES } from '../limits/rules';
import { checkAddress, normaliseAddress } from './address';
import { checkPassword, PASSWORD_LENGTH_CAP } from './password-policy';
import type {
  AccountRepository,
  AccountRequestOutcome,
  AccountSnapshot,
  CancelOutcome,
  ConfirmOutcome,
  ConversationRefJson,
  LinkInspection,
  PasswordHasher,
  ResendOutcome,
  TokenSealer,
} from './ports';
import { compactReference, conversationKeyOf, conversationTag } from './requests';
import { hashToken, newToken } from './tokens';

export interface AccountServiceDeps {
  repo: AccountRepository;
  /** The account window, and the password policy the request is checked against. */
  calendar: ElectionCalendar;
  clock: Clock;
  hasher: PasswordHasher;
  sealer: TokenSealer;
  /** Accepted académie domains, the preferred one first (it wins near-miss ties). */
  domains: readonly string[];
  /** Confirmation link lifetime; the link never outlives the account-creation window. */
  linkTtlMs: number;
  /** Where a channel user came from, when the token route saw it (RULES.accountPerClient). */
  clients?: Pick<ClientDirectory, 'clientOf'>;
  /** Budgets per requester and per conversation (RULES). Absent: no limit (some unit tests). */
  limiter?: RateLimiter;
  /**
   * When a confirmed account may be forgotten (its Redis TTL): the vote's close plus the transcript
   * retention, from the composition root. Absent: the vote's close plus 90 days.
   */
  confirmedAccountsExpireAt?: Date;
}

const DAY_MS = 86_400_000;
const DEFAULT_CONFIRMED_RETENTION_MS = 90 * DAY_MS;

export type AccountRequestInput = {
  email: string;
  conversation?: ConversationRefJson;
  /**
   * Who asked, across conversations: « channel:user id » (the activity's from.id; on Web Chat the `dl_…`
   * id our token route chose). Budgeted by RULES.accountPerRequester.
   */
  requester?: string;
} & (
  | { password: string }
  /** Already checked against the policy and hashed (argon2id PHC), by the password-entry page. */
  | { passwordHash: string }
);

/** What a hasher of ours produces; anything else is a programming error, never stored. */
const ARGON2ID_PHC = /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export interface AccountRequestResult {
  outcome: Exclude<AccountRequestOutcome, 'full'>;
  /** The normalised address the account was requested for. */
  email: string;
  /** Meaningless for 'already-confirmed', where no link is sent. */
  linkExpiresAt: Date;
}

/** newToken() output: 32 bytes in base64url. Anything else cannot be ours, so no store round-trip. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Creation and confirmation of voter accounts (the leaflet's « créer mon compte » then the mailed link). */
export class AccountService {
  private readonly deps: AccountServiceDeps;

  constructor(deps: AccountServiceDeps) {
    if (!Number.isFinite(deps.linkTtlMs) || deps.linkTtlMs <= 0) {
      throw new RangeError('linkTtlMs must be a positive number of milliseconds');
    }
    this.deps = deps;
  }

  /**
   * Checks everything cheap first and hashes last: argon2 is the expensive step. The plaintext token
   * lives only in this call and, encrypted, in the outbox; stores keep its hash.
   */
  async request(input: AccountRequestInput): Promise<AccountRequestResult> {
    const { repo, calendar, clock, hasher, sealer, domains, linkTtlMs } = this.deps;
    const address = checkAddress(input.email, domains);
    if (!address.ok) {
      throw new AppError('INVALID_ADDRESS', address.reason, {
        reason: address.reason,
        ...(address.suggestion ? { suggestion: address.suggestion } : {}),
      });
    }
    const password = 'password' in input ? input.password.normalize('NFC') : undefined;
    if (password !== undefined) {
      const policy = checkPassword(password, calendar.passwordPolicy);
      if (!policy.ok) throw new AppError('WEAK_PASSWORD', undefined, { unmet: policy.unmet });
    } else if (!('passwordHash' in input) || !ARGON2ID_PHC.test(input.passwordHash)) {
      throw new AppError('BAD_REQUEST', 'not an argon2id PHC');
    }

    const now = clock.now();
    const status = windowStatus(calendar.accountCreation, now);
    if (status !== 'open') throw new AppError('ACCOUNT_WINDOW_CLOSED', status, { status });
    // After the cheap checks (a typo costs no budget), before argon2 and the mail (what a flood costs).
    // Nothing is counted per address: a stranger typing a colleague's address would spend the colleague's
    // budget. The address is protected by the mail budget (at sending) and the cap on pending requests.
    if (input.requester) {
      await this.spend(RULES.accountPerRequester, input.requester, now);
      const client = await this.deps.clients?.clientOf(userIdOf(input.requester));
      if (client) await this.spend(RULES.accountPerClient, client, now);
    }
    const conversationKey = conversationKeyOf(input.conversation);
    if (conversationKey) await this.spend(RULES.accountPerConversation, conversationKey, now);

    const passwordHash =
      password !== undefined ? await hasher.hash(password) : (input as { passwordHash: string }).passwordHash;
    const token = newToken();
    const tokenExpiresAt = Math.min(now.getTime() + linkTtlMs, calendar.accountCreation.closes.getTime());
    const tag = conversationTag(input.conversation);
    const channel = input.conversation?.channelId;
    const outcome = await repo.requestAccount({
      email: address.email,
      passwordHash,
      tokenHash: hashToken(token),
      sealedToken: sealer.seal(token),
      tokenExpiresAt,
      now: now.getTime(),
      ...(input.conversation ? { conversation: compactReference(input.conversation) } : {}),
      ...(tag ? { conversationTag: tag } : {}),
      ...(typeof channel === 'string' ? { channel } : {}),
    });
    if (outcome === 'full') throw new AppError('TOO_MANY_PENDING', 'pending requests for one address');
    return { outcome, email: address.email, linkExpiresAt: new Date(tokenExpiresAt) };
  }

  /**
   * A new confirmation link for the newest pending request (helpdesk « renvoyer le mail »), or for the
   * request of one conversation (the teacher whose mail never came), inside the account window; its
   * previous link then answers « replaced ». The request's password is kept.
   */
  async resend(
    email: string,
    conversation?: ConversationRefJson,
  ): Promise<{ outcome: ResendOutcome; linkExpiresAt?: Date }> {
    const address = normaliseAddress(email);
    const { calendar, clock, sealer, linkTtlMs, repo } = this.deps;
    const now = clock.now();
    const status = windowStatus(calendar.accountCreation, now);
    if (status !== 'open') throw new AppError('ACCOUNT_WINDOW_CLOSED', status, { status });
    await this.spend(RULES.resendPerAddress, address, now);
    const token = newToken();
    const expiresAt = Math.min(now.getTime() + linkTtlMs, calendar.accountCreation.closes.getTime());
    const tag = conversation ? conversationTag(conversation) : undefined;
    if (conversation && !tag) return { outcome: 'none' };
    const outcome = await repo.resendConfirmation({
      email: address,
      ...(tag ? { tag } : {}),
      tokenHash: hashToken(token),
      sealedToken: sealer.seal(token),
      tokenExpiresAt: expiresAt,
      now: now.getTime(),
    });
    return outcome === 'resent' ? { outcome, linkExpiresAt: new Date(expiresAt) } : { outcome };
  }

  /** What the link's page shows; changes nothing (a GET, a mail scanner's prefetch). */
  async inspect(token: string): Promise<LinkInspection> {
    if (!TOKEN_SHAPE.test(token)) return { status: 'unknown' };
    return this.deps.repo.inspectLink(hashToken(token), this.deps.clock.now().getTime());
  }

  /**
   * Confirms the account with the password chosen in the chat for this link's request. One attempt is
   * taken from the link before argon2 runs, so that parallel submits get no more tries than sequential
   * ones; a wrong password on the last one spends the link.
   */
  async confirm(token: string, password: string): Promise<ConfirmOutcome> {
    if (!TOKEN_SHAPE.test(token)) return { status: 'unknown' };
    const { repo, hasher, clock } = this.deps;
    const tokenHash = hashToken(token);
    const grant = await repo.takeAttempt(tokenHash, clock.now().getTime());
    if (grant.status !== 'open') return grant;
    const typed = password.normalize('NFC');
    // Longer than any policy accepts: it cannot match, and argon2 need not run on it. The cap, not this
    // election's maxLength: a request made before the file changed keeps the password it was made with.
    const fits = typed.length > 0 && [...typed].length <= PASSWORD_LENGTH_CAP;
    if (!fits || !(await hasher.verify(grant.passwordHash, typed)))
      return { status: 'wrong-password', attemptsLeft: grant.attemptsLeft };
    return repo.confirm({
      tokenHash,
      now: clock.now().getTime(),
      accountExpiresAt: this.confirmedAccountsExpireAt().getTime(),
    });
  }

  /**
   * Every pending request of the address stops working (helpdesk); with a conversation, only the requests
   * it made (a teacher who gave the wrong address: another conversation's request is not theirs to cancel).
   */
  async cancel(email: string, conversation?: ConversationRefJson): Promise<CancelOutcome> {
    const tag = conversation ? conversationTag(conversation) : undefined;
    if (conversation && !tag) return { outcome: 'none' };
    return this.deps.repo.cancelPending(normaliseAddress(email), this.deps.clock.now().getTime(), tag);
  }

  async status(email: string): Promise<AccountSnapshot | null> {
    return this.deps.repo.find(normaliseAddress(email));
  }

  windowStatus(): 'before' | 'open' | 'after' {
    return windowStatus(this.deps.calendar.accountCreation, this.deps.clock.now());
  }

  private confirmedAccountsExpireAt(): Date {
    return (
      this.deps.confirmedAccountsExpireAt ??
      new Date(this.deps.calendar.vote.closes.getTime() + DEFAULT_CONFIRMED_RETENTION_MS)
    );
  }

  /** Takes one action from the budget or throws RATE_LIMITED (data: rule, retryAfterMs). */
  private async spend(rule: RateRule, subject: string, now: Date): Promise<void> {
    const verdict = await this.deps.limiter?.consume(rule, subject, now.getTime());
    if (verdict && !verdict.allowed)
      throw new AppError('RATE_LIMITED', rule.name, { rule: rule.name, retryAfterMs: verdict.retryAfterMs });
  }
}

/** The user id of a « channel:user id » requester key (user ids may hold colons; channel ids do not). */
function userIdOf(requester: string): string {
  return requester.slice(requester.indexOf(':') + 1);
}
