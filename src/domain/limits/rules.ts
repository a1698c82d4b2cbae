import type { RateRule } from './rate-limiter';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/**
 * Every budget of the product, in one place. Each one is sized so that an honest teacher never meets it
 * (a mistyped password, a mail that is slow to come, a second try the next day) while a script looping
 * on one address, one conversation or one IP is stopped after a handful of tries and then slowed to a
 * trickle. Schools put a whole staff room behind one IP (NAT): per-IP budgets are the loosest.
 *
 * `whenStoreDown` is decided per rule: `refuse` where the guarded action needs Redis anyway (it would
 * fail with the same « service momentanément indisponible ») or where an open door is the attack itself
 * (logins); `allow` only where the action works without Redis and costs us little.
 */
export const RULES = {
  /**
   * Account requests from one channel user, across conversations (the activity's channel and from.id; on
   * Web Chat the `dl_…` id our token route chose): 5, then 5 an hour. A teacher retries once or twice (a
   * password to change, a mail not seen); the fifth quick try means a loop, or someone typing colleagues'
   * addresses. There is no budget per address any more: a stranger could spend it and lock the teacher
   * out. The address is protected by `mailsPerAddress` and by the cap on its pending requests.
   */
  accountPerRequester: {
    name: 'acct-user',
    burst: 5,
    intervalMs: 12 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: true,
  },
  /**
   * Account requests from one client address, across its users and conversations, where the address is
   * known (Web Chat: the token route remembers which address each `dl_…` user came from). A staff room
   * behind one NAT may create thirty accounts in a morning; a script minting tokens to get fresh users is
   * held to that, then one every two minutes.
   */
  accountPerClient: {
    name: 'acct-client',
    burst: 30,
    intervalMs: 2 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Reminders said in one conversation (issue 15): an unconfirmed account, the vote opening, its last
   * hours — three in an election, then one a day. What a stranger schedules can never flood a chat.
   */
  remindersPerConversation: {
    name: 'remind-conv',
    burst: 3,
    intervalMs: 24 * 60 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Account requests from one conversation, whatever the address: 10, then 10 an hour. Enough for a
   * teacher who mistyped the address twice and retried each; not enough to spray mails at a list of
   * colleagues from one chat.
   */
  accountPerConversation: {
    name: 'acct-conv',
    burst: 10,
    intervalMs: 6 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Every mail to one address, whatever its kind (confirmation, « already confirmed », helpdesk resend),
   * counted when the outbox sends it: 5, then one every 4 hours (6 a day). A teacher gets one to three;
   * the mailbox of someone whose address strangers type is not bombed. A mail over budget is held in the
   * outbox until the budget allows it, never dropped, and the request is never refused for it: a stranger
   * can delay the teacher's mail by hours, not lock the teacher out. Redis down: the outbox is down too.
   */
  mailsPerAddress: {
    name: 'mail-addr',
    burst: 5,
    intervalMs: 4 * 60 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: true,
  },
  /** New confirmation links for one address (helpdesk « renvoyer le mail »): 3, then 3 an hour. */
  resendPerAddress: {
    name: 'resend-addr',
    burst: 3,
    intervalMs: 20 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: true,
  },
  /**
   * Unknown confirmation links opened from one client IP: 30, then 30 every 10 minutes. A teacher opens
   * a valid link (not counted) or, at worst, a link a mail client cut in two; only someone guessing
   * tokens opens dozens of unknown ones. The page needs Redis to confirm anyway.
   */
  confirmationFailuresPerIp: {
    name: 'confirm-ip',
    burst: 30,
    intervalMs: 20 * SECOND,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Confirmation forms posted from one client IP, right password or not: 30, then one every 20 s. Each
   * one runs argon2; a staff room behind one NAT confirms a few accounts each, not dozens. The link's own
   * attempts (MAX_CONFIRM_ATTEMPTS) bound a guess at one request; this bounds the cost to us.
   */
  confirmationSubmitsPerIp: {
    name: 'confirm-post-ip',
    burst: 30,
    intervalMs: 20 * SECOND,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Direct Line tokens per client IP: a burst of 20 for a staff room opening the page together, then one
   * every 3 s. Allowed when Redis is down: the token comes from Azure (or the local emulation), not from
   * Redis, and the page should load and say what is wrong rather than fail blank.
   */
  directLineTokenPerIp: {
    name: 'dl-token-ip',
    burst: 20,
    intervalMs: 3 * SECOND,
    whenStoreDown: 'allow',
    hashSubject: false,
  },
  /**
   * Failed helpdesk logins from one IP (an IPv6 client: its /64), whatever the login: 10, then 10 every
   * 15 minutes. An agent mistypes a password two or three times; ten failures from one place is
   * guessing. Every attempt pays before argon2; a valid login gets back its own attempt and nothing
   * more, so an agent logging in from the same staff room never wipes a stranger's failures.
   */
  helpdeskFailuresPerIp: {
    name: 'hd-fail-ip',
    burst: 10,
    intervalMs: 90 * SECOND,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Failed logins for one login from one IP: 5, then 5 every 15 minutes; a success refunds its own
   * attempt only (failures before it stay counted, and age out at this rate). Keyed by
   * the pair, never by the login alone: a stranger who knows an agent's login can only lock out their
   * own IP, not the agent. A guess from many IPs is slowed by each IP's own budget and by argon2.
   */
  helpdeskFailuresPerLoginIp: {
    name: 'hd-fail-login-ip',
    burst: 5,
    intervalMs: 3 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: true,
  },
  /**
   * Password-entry links sent in one conversation (PASSWORD_ENTRY=link; the first one and each
   * « renvoyer »): 5, then 5 an hour. A teacher asks again once or twice (a link that expired, a page
   * closed); each link is a record kept for its life and a grace, so a loop must stop early.
   */
  passwordLinksPerConversation: {
    name: 'pw-link-conv',
    burst: 5,
    intervalMs: 12 * MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * Password pages submitted from one client IP (PASSWORD_ENTRY=link), valid or not: 30, then one every
   * 20 s. Each submit may run argon2; a staff room behind one NAT submits a few each, not dozens.
   */
  passwordEntrySubmitsPerIp: {
    name: 'pw-submit-ip',
    burst: 30,
    intervalMs: 20 * SECOND,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
  /**
   * argon2 operations at the chat's password prompt, per conversation: 10, then one a minute. Typed twice,
   * a password costs two (the first entry hashed, the second verified against it); the masked card costs
   * one (the account request hashes it). Ten is five typed attempts, four mismatches included, before the
   * teacher is asked to wait a minute; each operation is tens of milliseconds of a core and 19 MiB, which
   * a stranger looping on one conversation no longer gets for free.
   */
  argon2PerConversation: {
    name: 'pw-hash-conv',
    burst: 10,
    intervalMs: MINUTE,
    whenStoreDown: 'refuse',
    hashSubject: false,
  },
} as const satisfies Record<string, RateRule>;

export type RuleName = keyof typeof RULES;
