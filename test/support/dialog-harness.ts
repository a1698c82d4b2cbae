import path from 'node:path';
import { type Activity, ConversationState, MemoryStorage, type Middleware, TestAdapter } from 'botbuilder';
import { MainDialog } from '../../dialogs/main-dialog';
import type { DialogDeps } from '../../dialogs/types';
import { ElecteurBot } from '../../src/bot/bot';
import { frenchLocaleMiddleware } from '../../src/bot/middleware/french-locale';
import { messageLimitsMiddleware } from '../../src/bot/middleware/message-limits';
import { numenGuardMiddleware } from '../../src/bot/middleware/numen-guard';
import type { Clock } from '../../src/clock';
import { DEFAULT_ACADEMIE_DOMAINS } from '../../src/config';
import { type Academies, academiesFor } from '../../src/domain/academies/directory';
import { AccountService } from '../../src/domain/accounts/account-service';
import type { PasswordHasher } from '../../src/domain/accounts/ports';
import { createTokenSealer } from '../../src/domain/accounts/tokens';
import type { ElectionCalendar } from '../../src/domain/calendar/calendar';
import type { RateLimiter } from '../../src/domain/limits/rate-limiter';
import { createRecognizer, type Recognizer } from '../../src/domain/understanding/recognizer';
import { loadAcademies } from '../../src/infra/academies-file';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { loadCalendar } from '../../src/infra/files/calendar-file';
import { loadTrainingSet } from '../../src/infra/files/training-file';
import { MemoryAccountStore } from '../../src/infra/memory-account-store';

/** Inside the 2014 account window (Paris time), as the demo uses. */
export const IN_WINDOW = '2014-11-20T09:00:00+01:00';
export const WEBMAIL_URL = 'https://webmail.ac-paris.fr';
export const LINK_TTL_MS = 48 * 3_600_000;
export const SECRET = 'dialog-tests-secret-key-0123456789abcdef';

/** The real 2014 calendar file, as production loads it. */
export const CALENDAR: ElectionCalendar = loadCalendar(
  path.resolve(__dirname, '..', '..', 'calendars', 'elections-2014.json'),
);

/** The shipped académie profiles in force for the 2014 calendar, as production loads them. */
export const ACADEMIES: Academies = academiesFor(
  loadAcademies(path.resolve(__dirname, '..', '..', 'academies', 'academies.json')),
  CALENDAR.vote,
);

/** argon2id with tiny costs: the dialogs only need a hash that verifies. */
export const testHasher: PasswordHasher = createArgon2Hasher({
  memoryCost: 256,
  timeCost: 1,
  parallelism: 1,
});

/** A clock that stays where the test puts it. */
export class FixedClock implements Clock {
  private current: Date;
  constructor(start: string | Date) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: string | Date): void {
    this.current = new Date(instant);
  }
}

export interface DialogHarnessOptions {
  /** 'test' renders text only; 'webchat' renders cards and suggested actions. Default 'test'. */
  readonly channelId?: string;
  /** Default IN_WINDOW. */
  readonly now?: string | Date;
  /** Locale of the user's activities. Default fr-FR. */
  readonly locale?: string;
  /** Production middleware (message limits, NUMEN guard, French locale). Default true. */
  readonly middleware?: boolean;
  /**
   * The storage contents to start from: pass another harness's `memory` to play a restart of the bot
   * (new process, same Redis) in the middle of a conversation.
   */
  readonly memory?: Record<string, string>;
  /** Share the account store too, for the same reason. */
  readonly store?: MemoryAccountStore;
  /** The account budgets (RULES); absent: unlimited, as most dialog tests need. */
  readonly limiter?: RateLimiter;
  /**
   * The dialogs' own budget (RULES.argon2PerConversation at the password prompt), apart from the account
   * budgets so that each can be tested alone; production passes the same limiter to both.
   */
  readonly argon2Limiter?: RateLimiter;
  /** Another election file's calendar (its name, dates and password policy). Default CALENDAR (2014). */
  readonly calendar?: ElectionCalendar;
  /** WEBMAIL_URL, one webmail for everyone; absent: each académie's, as production without the setting. */
  readonly webmailUrl?: string;
  /** The bot's académie profiles; default ACADEMIES (the shipped file, 2014). */
  readonly academies?: Academies;
}

export type Reply = Partial<Activity>;

let recognizer: Recognizer | undefined;
/** Trained once for the whole test run: training is deterministic, so sharing changes nothing. */
function sharedRecognizer(): Recognizer {
  recognizer ??= createRecognizer(loadTrainingSet());
  return recognizer;
}

/**
 * The bot as production runs it, minus HTTP and Redis: ElecteurBot over ConversationState(MemoryStorage)
 * with MainDialog, real domain objects (AccountService over MemoryAccountStore, argon2, token sealer,
 * the 2014 calendar) and the adapter middleware, driven turn by turn through botbuilder's TestAdapter.
 */
export function createDialogHarness(options: DialogHarnessOptions = {}) {
  const channelId = options.channelId ?? 'test';
  const locale = options.locale ?? 'fr-FR';
  const clock = new FixedClock(options.now ?? IN_WINDOW);
  const store = options.store ?? new MemoryAccountStore();
  const calendar = options.calendar ?? CALENDAR;
  const sealer = createTokenSealer(SECRET);
  const accounts = new AccountService({
    repo: store,
    calendar,
    clock,
    hasher: testHasher,
    sealer,
    domains: DEFAULT_ACADEMIE_DOMAINS,
    linkTtlMs: LINK_TTL_MS,
    ...(options.limiter ? { limiter: options.limiter } : {}),
  });
  const deps: DialogDeps = {
    accounts,
    hasher: testHasher,
    calendar,
    domains: DEFAULT_ACADEMIE_DOMAINS,
    academies: options.academies ?? ACADEMIES,
    ...(options.webmailUrl ? { webmailUrl: options.webmailUrl } : {}),
    clock,
    recognizer: sharedRecognizer(),
    ...(options.argon2Limiter ? { limiter: options.argon2Limiter } : {}),
  };
  /** The raw MemoryStorage contents: key → JSON string, exactly what would be written to Redis. */
  const memory: Record<string, string> = options.memory ?? {};
  const storage = new MemoryStorage(memory);
  const conversationState = new ConversationState(storage);
  const dialog = new MainDialog(deps);
  const bot = new ElecteurBot(conversationState, dialog, {}, { academies: options.academies ?? ACADEMIES });
  const adapter = new TestAdapter(async (context) => bot.run(context), { channelId });
  const middleware: Middleware[] =
    options.middleware === false
      ? []
      : [messageLimitsMiddleware(2000), numenGuardMiddleware(), frenchLocaleMiddleware()];
  for (const m of middleware) adapter.use(m);

  const user = { id: 'user-1', name: 'Jeanne Martin' };
  const botAccount = { id: 'assistant-electeur', name: 'Assistant électeur' };
  const conversation = { id: 'conv-1', name: '', isGroup: false, conversationType: 'personal' };

  /** One turn: the replies the bot sent during it, in order. */
  const send = async (activity: Partial<Activity>): Promise<Reply[]> => {
    adapter.activeQueue.splice(0);
    await adapter.processActivity({
      type: 'message',
      locale,
      from: user,
      recipient: botAccount,
      conversation: { ...conversation },
      ...activity,
    });
    return adapter.activeQueue.splice(0);
  };

  return {
    channelId,
    clock,
    store,
    sealer,
    accounts,
    deps,
    storage,
    memory,
    adapter,
    send,
    say: (text: string, extra: Partial<Activity> = {}) => send({ type: 'message', text, ...extra }),
    /** An Adaptive Card submit: no text, the inputs in `value`. */
    submit: (value: Record<string, unknown>) => send({ type: 'message', value }),
    join: () => send({ type: 'conversationUpdate', membersAdded: [botAccount, user] }),
    /** Everything the conversation state holds, serialised as the storage keeps it. */
    stateJson: (): string => JSON.stringify(memory),
    /** Ids of the dialogs on the stack, outermost first, through component dialogs. */
    activeDialogs: (): string[] => dialogIdsIn(memory),
  };
}

export type DialogHarness = ReturnType<typeof createDialogHarness>;

function dialogIdsIn(memory: Record<string, string>): string[] {
  const ids: string[] = [];
  const walk = (stack: unknown) => {
    if (!Array.isArray(stack)) return;
    for (const instance of stack as Array<{ id?: string; state?: { dialogs?: { dialogStack?: unknown } } }>) {
      if (instance.id) ids.push(instance.id);
      walk(instance.state?.dialogs?.dialogStack);
    }
  };
  for (const raw of Object.values(memory)) {
    const item = JSON.parse(raw) as { dialogState?: { dialogStack?: unknown } };
    walk(item.dialogState?.dialogStack);
  }
  return ids;
}

/** The texts of the replies, joined by line breaks, for readable assertions. */
export function textOf(replies: readonly Reply[]): string {
  return replies.map((r) => r.text ?? '').join('\n');
}

/** The titles of the suggested actions of the replies. */
export function suggestedTitles(replies: readonly Reply[]): string[] {
  return replies.flatMap((r) => (r.suggestedActions?.actions ?? []).map((a) => String(a.title)));
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCardOf(replies: readonly Reply[]): Record<string, unknown> | undefined {
  const attachment = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === ADAPTIVE_CARD);
  return attachment?.content as Record<string, unknown> | undefined;
}

/** Valid for the 2014 policy (≥ 8 characters, upper, lower, digit). */
export const STRONG_PASSWORD = 'Electeur2014';
export const TEACHER_EMAIL = 'jean.dupont@ac-paris.fr';

/**
 * Takes a fresh conversation to the address question: « Créer mon compte électeur », then « oui », the
 * webmail is already active.
 */
export async function toAddressStep(h: DialogHarness): Promise<Reply[]> {
  await h.say('Créer mon compte électeur');
  return h.say('oui');
}

/** Takes a fresh conversation to the password question with TEACHER_EMAIL confirmed. */
export async function toPasswordStep(h: DialogHarness, email = TEACHER_EMAIL): Promise<Reply[]> {
  await toAddressStep(h);
  await h.say(email);
  return h.say('oui');
}
