import type { DialogContext } from 'botbuilder-dialogs';
import type { Clock } from '../src/clock';
import type { Academies } from '../src/domain/academies/directory';
import type { AccountService } from '../src/domain/accounts/account-service';
import type { PasswordEntryService } from '../src/domain/accounts/password-entry';
import type { PasswordHasher } from '../src/domain/accounts/ports';
import type { ElectionCalendar } from '../src/domain/calendar/calendar';
import type { HandoffDesk } from '../src/domain/handoff/desk';
import type { RateLimiter } from '../src/domain/limits/rate-limiter';
import type { Reminders } from '../src/domain/reminders/reminders';
import type { StatsRecorder } from '../src/domain/stats/ports';
import type { Recognizer } from '../src/domain/understanding/recognizer';

/** The turn as dialogs see it, named through botbuilder-dialogs only (see README: SDK boundary). */
export type TurnContext = DialogContext['context'];
export type Reply = Partial<TurnContext['activity']>;

/** What the dialogs need from the domain; the composition root provides it. */
export interface DialogDeps {
  /** `resend` and `cancel` are only ever called with this conversation's reference (its own request). */
  readonly accounts: Pick<AccountService, 'request' | 'windowStatus' | 'resend' | 'cancel'>;
  readonly hasher: PasswordHasher;
  readonly calendar: ElectionCalendar;
  readonly domains: readonly string[];
  /** The académie profiles in force: the teacher's académie, once known, drives the answers. */
  readonly academies: Pick<Academies, 'byId' | 'ofAddress' | 'all'>;
  /** WEBMAIL_URL: one webmail for every teacher (single-académie deployment); absent: each académie's. */
  readonly webmailUrl?: string;
  /** The bot's public address, for links to its own pages (the privacy notice); absent: paths alone. */
  readonly baseUrl?: () => string;
  readonly clock: Clock;
  readonly recognizer: Pick<Recognizer, 'recognize'>;
  /** Campaign statistics (intents, misunderstood messages); absent in some tests. */
  readonly stats?: Pick<StatsRecorder, 'recognised' | 'misunderstood'>;
  /** PASSWORD_ENTRY=link: the password is typed on our page, not in the chat. Absent: in the chat. */
  readonly passwordEntry?: Pick<PasswordEntryService, 'open' | 'claim' | 'consume' | 'revoke'>;
  /** The helpdesk's live queue (issue 15). Absent: no agent to hand over to; the contact is given. */
  readonly handoff?: Pick<HandoffDesk, 'request' | 'leave' | 'teacherSaid' | 'hours' | 'status'>;
  /** The shared limiter: RULES.argon2PerConversation at the password prompt. Absent: unlimited (tests). */
  readonly limiter?: Pick<RateLimiter, 'consume'>;
  /** The conversation's reminders (issue 15): the vote's, « stop ». Absent: none offered (some tests). */
  readonly reminders?: Pick<Reminders, 'voteRequested' | 'voted' | 'stop'>;
}

/** Flags the middleware sets on the turn for the dialogs. */
export const NUMEN_DETECTED = Symbol('numenDetected');

/**
 * Where the teacher is, shared between the bot (which loads and saves it with the conversation state)
 * and the dialogs: the id of a remembered place (`Place.id`), and the time zone the channel sent.
 */
export const TEACHER_PLACE = Symbol('teacherPlace');
export const CHANNEL_TIME_ZONE = Symbol('channelTimeZone');
/** The place named in this turn's message (a `Place`), read once by the bot before the dialogs run. */
export const PLACE_NAMED = Symbol('placeNamed');

/**
 * The next-step hints already given in the conversation (a `Set` of locale keys), loaded and saved by
 * the bot like TEACHER_PLACE: « écrivez « créer mon compte » » is said once, not after every answer.
 */
export const HINTS_SHOWN = Symbol('hintsShown');

/**
 * On Teams, a lookup of the e-mail of the teacher's Teams profile (set by the bot, called by the address
 * step only when it needs it). Dialogs only see a function; the SDK call stays in src/bot.
 */
export const PROFILE_ADDRESS = Symbol('profileAddress');
export type ProfileAddressLookup = () => Promise<string | undefined>;

/**
 * Set when this turn's message answered a secret prompt (a password), so that the transcript keeps
 * « [masqué] » instead of the text.
 */
export const SECRET_ANSWER = Symbol('secretAnswer');

/**
 * Set when the password prompt takes a message of several words that reads like no sentence: maybe a
 * passphrase, so the teacher is asked whether it is the password (without it being repeated).
 */
export const PASSPHRASE = Symbol('passphrase');

/** Set when the teacher confirms their professional address: the transcript is indexed by it. */
export const ADDRESS_GIVEN = Symbol('addressGiven');

/**
 * The id of the conversation's académie at the end of the turn (set by the bot), for the transcript's
 * summary: the helpdesk sees and filters conversations by académie.
 */
export const ACADEMIE_OF_TURN = Symbol('academieOfTurn');

/**
 * The académie the Web Chat page or widget was opened for (`/?academie=…`, `data-academie`), as the page
 * sends it in each activity's channelData; read by the bot, which checks it against the profiles.
 */
export const PAGE_ACADEMIE_KEY = 'academie';

/**
 * What the parent receives: in the chat, the clear text, in memory only, in the same turn as the second
 * entry; with PASSWORD_ENTRY=link, the argon2id PHC that the page made (the clear text never came here).
 */
export type ChosenPassword =
  | { readonly password: string }
  | {
      readonly passwordHash: string;
      /** The page's entry: consumed once the account request succeeded, not before. */
      readonly entryId?: string;
    }
  /** The page's password was already used for the account (a later turn failed to say so): nothing to do. */
  | { readonly alreadyUsed: true };
