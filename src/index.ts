import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import type { Server } from 'restify';
import { MainDialog } from '../dialogs/main-dialog';
import { createAdapter } from './bot/adapter';
import { ElecteurBot } from './bot/bot';
import { frenchLocaleMiddleware } from './bot/middleware/french-locale';
import { messageLimitsMiddleware } from './bot/middleware/message-limits';
import { numenGuardMiddleware } from './bot/middleware/numen-guard';
import { teamsTenantMiddleware } from './bot/middleware/teams-tenant';
import { TranscriptMiddleware } from './bot/middleware/transcript';
import { turnGuardMiddleware } from './bot/middleware/turn-guard';
import { createDialogResumer, createProactiveTurn } from './bot/notifier';
import { TurnConversationState, TurnStorage } from './bot/turn-state';
import { SlowTurnLog } from './bot/turn-trace';
import { type Clock, shiftedClock, systemClock } from './clock';
import { type Config, ConfigError, loadConfig } from './config';
import { localDirectLineMount } from './dev/directline';
import { academiesFor } from './domain/academies/directory';
import { AccountService } from './domain/accounts/account-service';
import { PasswordEntryService } from './domain/accounts/password-entry';
import type { AccountRepository, ConversationRefJson, Outbox } from './domain/accounts/ports';
import { createTokenSealer } from './domain/accounts/tokens';
import { AUDIT_RETENTION_MS } from './domain/audit/ports';
import { HandoffDesk } from './domain/handoff/desk';
import { OpeningHours } from './domain/handoff/hours';
import { sweepHandoffs } from './domain/handoff/sweeper';
import { RULES } from './domain/limits/rules';
import { type Metrics, NO_METRICS } from './domain/metrics/ports';
import type { ClaimedReminder } from './domain/reminders/ports';
import { Reminders } from './domain/reminders/reminders';
import type { TranscriptArchive } from './domain/transcripts/ports';
import {
  ACCOUNT_CONFIRMED_EVENT,
  HANDOFF_EVENT,
  type HandoffEventValue,
  PASSWORD_ENTERED_EVENT,
  REMINDER_DUE_EVENT,
} from './domain/turns/activity-names';
import type { TurnGuard } from './domain/turns/ports';
import { createRecognizer } from './domain/understanding/recognizer';
import { AppError } from './errors';
import { confirmationMount } from './http/confirmation-route';
import { createTokenService, directLineMount } from './http/directline';
import { helpdeskMount } from './http/helpdesk';
import { setAccessibilityStatus } from './http/html';
import { legalPagesMount } from './http/legal';
import { closeServer, createBackgroundTasks, createRequestTracker } from './http/lifecycle';
import { activityReceiver, messagesHandler } from './http/messages-route';
import { metricsMount } from './http/metrics-route';
import { passwordEntryMount } from './http/password-entry';
import { createHttpServer } from './http/server';
import { webChatMount } from './http/webchat';
import { installCatalog, t } from './i18n';
import { loadAcademies } from './infra/academies-file';
import { createArgon2Hasher } from './infra/argon2-hasher';
import { loadCalendar } from './infra/files/calendar-file';
import { readCatalog } from './infra/files/locales';
import { loadTrainingSet } from './infra/files/training-file';
import { OutboxWorker } from './infra/mail/outbox-worker';
import { renderMail } from './infra/mail/templates';
import { createMailTransport } from './infra/mail/transport';
import { MemoryAccountStore } from './infra/memory-account-store';
import { MemoryAuditLog } from './infra/memory-audit';
import { MemoryClientDirectory } from './infra/memory-client-directory';
import { MemoryHandoffStore } from './infra/memory-handoff-store';
import { MemoryPasswordEntryStore } from './infra/memory-password-entry-store';
import { MemoryRateLimiter } from './infra/memory-rate-limiter';
import { MemoryReminderStore } from './infra/memory-reminder-store';
import { MemoryStats } from './infra/memory-stats';
import { MemoryTranscriptStore } from './infra/memory-transcript-store';
import { Interval } from './infra/periodic';
import { PrometheusMetrics } from './infra/prometheus-metrics';
import { DEFAULT_TOKEN_GRACE_MS, RedisAccountStore, RedisOutbox } from './infra/redis/account-store';
import { RedisAuditLog } from './infra/redis/audit';
import { createRedisClient, pingRedis, type RedisClient } from './infra/redis/client';
import { RedisClientDirectory } from './infra/redis/client-directory';
import { observeStoreCalls } from './infra/redis/errors';
import { RedisHandoffStore } from './infra/redis/handoff-store';
import { RedisPasswordEntryStore } from './infra/redis/password-entry-store';
import { RedisRateLimiter } from './infra/redis/rate-limiter';
import { RedisReminderStore } from './infra/redis/reminder-store';
import { RedisStats } from './infra/redis/stats';
import { DEFAULT_STATE_TTL_SECONDS, RedisStorage } from './infra/redis/storage';
import { RedisTranscriptStore } from './infra/redis/transcript-store';
import { RedisTurnGuard } from './infra/redis/turn-guard';
import { type Delivery, ReminderWorker } from './infra/reminder-worker';
import { MemoryTurnGuard } from './infra/turn-guard';
import { createLogger, type Logger } from './log';

/** Activities are small; 256 KB leaves room for Teams' HTML attachments and card values. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Shutdown budget for the turns in flight: channels give up on a turn after about 15 s, so waiting longer
 * would only delay the restart. The outbox gets a budget of its own to send what is due.
 */
const SHUTDOWN_TURNS_MS = 10_000;
const SHUTDOWN_OUTBOX_MS = 5_000;
const SHUTDOWN_CLOSE_MS = 2_000;
/** Statistics are written at most this often (summed in between). */
const STATS_BATCH_MS = 1_000;

export interface App {
  readonly config: Config;
  readonly server: Server;
  readonly clock: Clock;
  readonly accounts: AccountService;
  readonly worker: OutboxWorker;
  /** The conversations' reminders (issue 15), and the worker that says them when due. */
  readonly reminders: Reminders;
  readonly reminderWorker: ReminderWorker;
  readonly redis: RedisClient | undefined;
  /** Redacted conversation transcripts, for the helpdesk. */
  readonly transcripts: TranscriptArchive;
  /** One pass of the handoff timers now (they also run every 30 s): silent agents, untaken requests. */
  sweepHandoffs(): Promise<void>;
  /** Listens and returns the base URL (port 0 picks a free port, for tests). */
  start(): Promise<string>;
  /**
   * Graceful shutdown: /healthz turns 503, no new connections, the turns in flight and the proactive
   * messages they started finish, due mails are sent, transcripts written, then Redis is closed.
   */
  stop(options?: { turnsMs?: number; outboxMs?: number }): Promise<void>;
}

/**
 * The composition root: config → logger → Redis → stores → mail → adapter → bot → server.
 * The only place that constructs infrastructure; tests build the same app with their own config.
 */
export function buildApp(config: Config, logger: Logger = createLogger(config.logLevel)): App {
  // The French texts, read once: the domain and the dialogs use them without reading a file themselves.
  installCatalog(readCatalog());
  // Every page's footer states it (RGAA), whatever surface renders the page.
  setAccessibilityStatus(config.legal.accessibility.status);
  const clock = config.clockNow ? shiftedClock(config.clockNow) : systemClock;
  const calendar = loadCalendar(config.calendarPath);
  // The académies of this election: the profiles in force over its vote (issue 14).
  const academies = academiesFor(
    loadAcademies(config.academiesPath),
    calendar.vote,
    `profils des académies ${config.academiesPath}`,
  );
  // ACADEMIE_DOMAINS narrows a deployment to some académies; absent, every académie in force.
  const domains = config.academieDomains ?? academies.domains;
  const academieOf = (email: string) => academies.ofAddress(email)?.id;
  // Trained once at start-up from locales/fr/training.json (offline, deterministic).
  const recognizer = createRecognizer(loadTrainingSet());

  // The operators' figures, only when something may read them (METRICS_TOKEN): otherwise nothing is kept.
  const prometheus = config.metricsToken ? new PrometheusMetrics() : undefined;
  const metrics: Metrics = prometheus ?? NO_METRICS;
  if (prometheus)
    observeStoreCalls((operation, seconds, failed) => metrics.storeCall(operation, seconds, failed));
  const slowTurns = config.turnTraceMs ? new SlowTurnLog(config.turnTraceMs, logger) : undefined;

  const redis = config.redis ? createRedisClient(config.redis, logger) : undefined;
  let storage: Storage;
  let repo: AccountRepository;
  let outbox: Outbox;
  let guard: TurnGuard;
  let transcripts: RedisTranscriptStore | MemoryTranscriptStore;
  if (redis) {
    const prefix = config.redisPrefix;
    storage = new RedisStorage(redis, { prefix });
    repo = new RedisAccountStore(redis, { prefix });
    outbox = new RedisOutbox(redis, { prefix });
    transcripts = new RedisTranscriptStore(redis, { prefix, clock, ttlDays: config.transcriptTtlDays });
    guard = new RedisTurnGuard(redis, {
      prefix,
      transcripts,
      clock,
      observer: metrics,
      onTranscriptFailure: (error) => transcriptLog.failed(error),
    });
  } else {
    logger.warn('REDIS_URL absent : état en mémoire, rien ne sera conservé au redémarrage (mode découverte)');
    const memory = new MemoryAccountStore();
    storage = new MemoryStorage();
    repo = memory;
    outbox = memory;
    transcripts = new MemoryTranscriptStore({ clock, ttlDays: config.transcriptTtlDays });
    guard = new MemoryTurnGuard({
      storage,
      transcripts,
      onTranscriptFailure: (error) => transcriptLog.failed(error),
    });
  }

  // Campaign figures for the helpdesk; writes never fail a turn (the recorder swallows its errors).
  const stats = redis
    ? new RedisStats(redis, {
        prefix: config.redisPrefix,
        clock,
        timeZone: calendar.timeZone,
        logger,
        // Summed in memory, written once a second: a turn sends nothing for its statistics.
        batchMs: STATS_BATCH_MS,
      })
    : new MemoryStats(clock, calendar.timeZone);
  // One limiter for every budget (src/domain/limits/rules.ts), shared by all instances through Redis.
  const limiter = redis
    ? new RedisRateLimiter(redis, { prefix: config.redisPrefix, logger })
    : new MemoryRateLimiter();
  const nowMs = () => clock.now().getTime();
  // Which client address each Web Chat user came from (seen at the token route), for the account budget.
  const clients = redis
    ? new RedisClientDirectory(redis, { prefix: config.redisPrefix })
    : new MemoryClientDirectory(clock);

  if (!config.secretKey)
    logger.warn('SECRET_KEY absent : clé éphémère, les mails en attente ne survivront pas à un redémarrage');
  const secret = config.secretKey ?? randomBytes(32).toString('base64url');
  const sealer = createTokenSealer(secret);
  const hasher = createArgon2Hasher();
  // A confirmed account is kept while the helpdesk may need it: until the vote closes, then as long as
  // the transcripts that mention it.
  const confirmedUntil = new Date(calendar.vote.closes.getTime() + config.transcriptTtlDays * DAY_MS);
  const accounts = new AccountService({
    repo,
    calendar,
    clock,
    hasher,
    sealer,
    domains,
    linkTtlMs: config.confirmationLinkTtlMs,
    limiter,
    clients,
    // A confirmed account is kept while the helpdesk may need it: until the vote closes, then as long
    // as the transcripts that mention it.
    confirmedAccountsExpireAt: confirmedUntil,
  });

  // Reminders (issue 15): scheduled in Redis on the application clock, said by whichever instance claims them.
  const reminderStore = redis
    ? new RedisReminderStore(redis, { prefix: config.redisPrefix })
    : new MemoryReminderStore();
  const reminders = new Reminders({
    store: reminderStore,
    calendar,
    clock,
    unconfirmedAfterMs: config.reminderUnconfirmedAfterMs,
  });
  // Scheduling follows a request that already succeeded: a failure is logged, never the teacher's.
  const remindLater = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'rappel non programmé');
    }
  };

  let baseUrl = config.publicBaseUrl ?? `http://localhost:${config.port}`;
  /** Where this process itself listens, for the local Direct Line's deliveries to /api/messages. */
  let localUrl = `http://127.0.0.1:${config.port}`;
  const transport = createMailTransport({
    smtpUrl: config.smtpUrl,
    outboxDir: config.mailOutboxDir,
    from: config.mailFrom ?? DEFAULT_MAIL_FROM,
    logger,
  });
  if (transport.kind === 'file')
    logger.warn(
      { dir: config.mailOutboxDir },
      'SMTP_URL absent : les mails sont écrits dans un dossier local',
    );
  const worker = new OutboxWorker({
    outbox,
    transport,
    // Each mail speaks its recipient's académie: its sender (MAIL_FROM overrides) and its local time.
    render: (mail) => {
      const academie = academies.ofAddress(mail.to);
      const timeZone = academie?.timeZone ?? calendar.timeZone;
      const from = config.mailFrom ?? academie?.mailFrom;
      const rendered = renderMail(mail, {
        publicBaseUrl: baseUrl,
        sealer,
        timeZone,
        electionName: calendar.name,
      });
      return { ...rendered, ...(from ? { from } : {}) };
    },
    clock,
    logger,
    // Every mail to one address counts (RULES.mailsPerAddress); one over budget waits in the outbox.
    budget: async (mail, now) => {
      const verdict = await limiter.consume(RULES.mailsPerAddress, mail.to, now);
      return verdict.allowed ? 0 : verdict.retryAfterMs;
    },
    // Only mails given up on count as failed: retries would inflate the figure.
    onFailed: ({ givenUp, to }) => {
      if (!givenUp) return;
      void stats.mailFailed(clock.now(), academieOf(to));
      metrics.mailFailed();
    },
    onSent: ({ link, to }) => {
      void stats.mailSent(clock.now(), academieOf(to));
      metrics.mailSent();
      // Embedded mode only (refused in production): the newcomer has no mailbox, so the link is shown.
      if (transport.kind === 'file' && link)
        process.stderr.write(`\n${t('pages.devMailNotice', { dir: config.mailOutboxDir, link })}\n\n`);
    },
  });

  metrics.outboxBacklog(async () => (await outbox.counts()).queued);

  const tracker = createRequestTracker();
  const background = createBackgroundTasks();

  if (!config.teamsTenants)
    // Without credentials Teams cannot reach the bot at all: the warning matters once it can.
    logger[config.bot.appId ? 'warn' : 'info'](
      'TEAMS_TENANTS absent : les activités Teams de tout tenant Microsoft 365 sont acceptées',
    );
  const transcriptLog = new TranscriptMiddleware({ writer: transcripts, logger });
  // The state of a turn is the one its guard read, and is written with the turn's end (src/bot/turn-state.ts).
  const turnStorage = new TurnStorage(storage);
  const adapter = createAdapter(
    config.bot,
    [
      // First: a refused tenant leaves nothing behind, not even a turn guard key.
      teamsTenantMiddleware(config.teamsTenants, logger),
      turnGuardMiddleware(guard, turnStorage),
      frenchLocaleMiddleware(),
      messageLimitsMiddleware(config.maxMessageLength),
      numenGuardMiddleware(),
      // Last: it stores what the turn ended up with, NUMEN already masked, and nothing of refused turns.
      transcriptLog,
    ],
    logger,
  );
  // PASSWORD_ENTRY=link: the password is typed on our page, opened from a one-time link sent in the chat.
  const passwordEntry =
    config.passwordEntry === 'link'
      ? new PasswordEntryService({
          store: redis
            ? new RedisPasswordEntryStore(redis, { prefix: config.redisPrefix })
            : new MemoryPasswordEntryStore(),
          clock,
          hasher,
          calendar,
          baseUrl: () => baseUrl,
          limiter,
        })
      : undefined;
  // Issue 15: a person from the helpdesk, live in the conversation, when the console has agents.
  const handoffStore = redis
    ? new RedisHandoffStore(redis, { prefix: config.redisPrefix })
    : new MemoryHandoffStore();
  const defaultHours = OpeningHours.parse(config.helpdeskHours, calendar.timeZone);
  const handoffDesk =
    config.helpdeskUsers.length > 0
      ? new HandoffDesk(handoffStore, (id) => {
          const profile = academies.byId(id);
          if (!profile) return defaultHours;
          return OpeningHours.parse(profile.handoffHours ?? config.helpdeskHours, profile.timeZone);
        })
      : undefined;
  if (handoffDesk)
    metrics.handoffQueue(async () => {
      const queued = await handoffStore.list();
      const waiting = queued.filter((h) => h.status === 'waiting').length;
      return { waiting, taken: queued.length - waiting };
    });
  const dialog = new MainDialog({
    accounts: {
      request: async (input) => {
        const requestedAt = clock.now();
        const result = await accounts.request(input);
        worker.kick();
        // Still unconfirmed after REMINDER_UNCONFIRMED_AFTER: one reminder, in this conversation and by mail.
        if (result.outcome !== 'already-confirmed')
          await remindLater(
            reminders.accountRequested({
              conversation: input.conversation,
              email: result.email,
              requestedAt,
              linkExpiresAt: result.linkExpiresAt,
            }),
          );
        // For the statistics a request beside another conversation's is like a replaced one: a fresh
        // link for an address already pending, not a new account.
        const counted = result.outcome === 'added' ? 'replaced' : result.outcome;
        void stats.accountRequested(counted, result.email, clock.now(), academieOf(result.email));
        return result;
      },
      windowStatus: () => accounts.windowStatus(),
      resend: async (email, conversation) => {
        const result = await accounts.resend(email, conversation);
        worker.kick();
        return result;
      },
      cancel: async (email, conversation) => {
        const outcome = await accounts.cancel(email, conversation);
        if (outcome.outcome === 'cancelled') await remindLater(reminders.accountSettled(conversation));
        return outcome;
      },
    },
    reminders,
    hasher,
    calendar,
    domains,
    academies,
    ...(config.webmailUrl ? { webmailUrl: config.webmailUrl } : {}),
    baseUrl: () => baseUrl,
    clock,
    recognizer,
    stats,
    limiter,
    ...(passwordEntry ? { passwordEntry } : {}),
    ...(handoffDesk ? { handoff: handoffDesk } : {}),
  });
  const bot = new ElecteurBot(
    new TurnConversationState(turnStorage),
    dialog,
    {
      accountConfirmed: (context) => dialog.accountConfirmed(context),
      duringHandoff: (dc) => dialog.duringHandoff(dc),
      handoff: (dc, value) => dialog.handoffEvent(dc, value),
      reminderDue: (context) => dialog.reminderDue(context),
    },
    { academies },
  );
  const resume = createDialogResumer(adapter, config.bot.appId, bot, logger);
  const proactive = createProactiveTurn(adapter, config.bot.appId, bot, logger, { atMostOnce: true });
  /**
   * A due reminder, said in its conversation by a proactive turn (turn guard, transcript, NUMEN guard).
   * The unconfirmed account's is checked first (confirmed, cancelled or expired meanwhile: nothing to
   * say) and also goes by mail, queued once (not again when the chat's delivery is retried).
   */
  const deliverReminder = async (reminder: ClaimedReminder): Promise<Delivery> => {
    if (reminder.kind === 'unconfirmed') {
      const now = clock.now().getTime();
      const account = reminder.email ? await accounts.status(reminder.email) : null;
      if (account?.status !== 'pending' || (reminder.until !== undefined && reminder.until <= now))
        return 'skipped';
      if (reminder.email && reminder.attempts === 0 && reminder.until !== undefined) {
        await outbox.enqueue(
          {
            kind: 'reminder',
            to: reminder.email,
            expiresAt: reminder.until,
            ...(reminder.requestedAt !== undefined ? { requestedAt: reminder.requestedAt } : {}),
          },
          now,
        );
        worker.kick();
      }
    }
    return proactive(reminder.conversation, {
      name: REMINDER_DUE_EVENT,
      value: { kind: reminder.kind, ...(reminder.until !== undefined ? { until: reminder.until } : {}) },
    });
  };
  const reminderWorker = new ReminderWorker({
    store: reminderStore,
    deliver: deliverReminder,
    // The application clock: CLOCK_NOW in the demo moves the reminders with it.
    clock,
    logger,
    // RULES.remindersPerConversation, shared by every instance.
    limiter,
  });
  /** The helpdesk's side, said in the teacher's conversation by a proactive turn (lock, transcript). */
  const tellHandoff = async (conversation: ConversationRefJson, value: HandoffEventValue) => {
    // Once at most, like the reminders: an agent's message said twice is worse than a retry by the agent.
    if ((await proactive(conversation, { name: HANDOFF_EVENT, value })) !== 'sent')
      throw new AppError('CHANNEL_UNAVAILABLE', 'the handoff event could not reach the conversation');
  };
  const handoffSweeper = handoffDesk
    ? new Interval(
        HANDOFF_SWEEP_MS,
        async () => {
          await sweepHandoffs(handoffStore, clock.now().getTime(), (handoff, event) =>
            tellHandoff(handoff.conversation, { kind: event }).catch((error: unknown) =>
              logger.warn(
                { err: { message: (error as Error).message } },
                'file d’assistance : conversation non prévenue',
              ),
            ),
          );
        },
        logger,
      )
    : undefined;

  const receive = activityReceiver({
    adapter,
    bot,
    logger,
    ...(prometheus ? { metrics } : {}),
    ...(slowTurns ? { slowTurns } : {}),
  });
  // Development only (config.ts refuses LOCAL_DIRECTLINE in production); its tokens derive from SECRET_KEY.
  const localTokens = config.webChat.localDirectLine ? createTokenService(secret) : undefined;

  const server = createHttpServer(
    {
      messages: messagesHandler({ receive, maxBodyBytes: MAX_BODY_BYTES, logger }),
      healthy: async () => (redis ? pingRedis(redis, 1_000) : true),
      tracker,
      hsts: config.publicBaseUrl?.startsWith('https://') === true,
    },
    logger,
    [
      confirmationMount({
        accounts,
        calendar,
        logger,
        limiter,
        trustProxy: config.webChat.trustProxy,
        now: nowMs,
        onConfirmed: (outcome) => {
          background.run(stats.accountConfirmed(outcome.email, clock.now(), academieOf(outcome.email)));
          if (!outcome.conversation) return;
          // Nothing left to remind this conversation of.
          background.run(remindLater(reminders.accountSettled(outcome.conversation)));
          // A turn of its own in the conversation that asked: it says so and remembers it.
          background.run(resume(outcome.conversation, { name: ACCOUNT_CONFIRMED_EVENT, value: {} }));
        },
      }),
      webChatMount({
        academieName: config.webChat.academieName,
        academies,
        webChat: config.webChat,
        logger,
      }),
      legalPagesMount({
        legal: config.legal,
        version: productVersion(),
        retention: {
          transcriptDays: config.transcriptTtlDays,
          stateDays: DEFAULT_STATE_TTL_SECONDS / 86_400,
          linkHours: config.confirmationLinkTtlMs / 3_600_000,
          graceDays: DEFAULT_TOKEN_GRACE_MS / DAY_MS,
          confirmedUntil,
          auditDays: AUDIT_RETENTION_MS / DAY_MS,
          timeZone: calendar.timeZone,
        },
      }),
      ...(passwordEntry
        ? [
            passwordEntryMount({
              entries: passwordEntry,
              logger,
              limiter,
              trustProxy: config.webChat.trustProxy,
              now: nowMs,
              onSaved: async (saved) => {
                await resume(saved.conversation, {
                  name: PASSWORD_ENTERED_EVENT,
                  value: { entryId: saved.id },
                });
              },
            }),
          ]
        : []),
      helpdeskMount({
        users: config.helpdeskUsers,
        transcripts,
        // A conversation known by its académie only (a page configured for it) is placed by its domains.
        domainsOfAcademie: (id) => academies.byId(id)?.domains ?? [],
        clock,
        logger,
        accounts: {
          status: (email) => accounts.status(email),
          resend: async (email) => {
            const result = await accounts.resend(email);
            worker.kick();
            return result;
          },
          cancel: (email) => accounts.cancel(email),
        },
        audit: redis ? new RedisAuditLog(redis, { prefix: config.redisPrefix }) : new MemoryAuditLog(),
        timeZone: calendar.timeZone,
        trustProxy: config.webChat.trustProxy,
        publicBaseUrl: config.publicBaseUrl,
        csrfKey: purposeKey(secret, 'helpdesk-csrf'),
        limiter,
        stats,
        ...(handoffDesk ? { handoffs: { store: handoffStore, tell: tellHandoff } } : {}),
      }),
      ...(prometheus && config.metricsToken
        ? [metricsMount({ token: config.metricsToken, exposition: prometheus })]
        : []),
      ...(localTokens
        ? [
            localDirectLineMount({
              webChat: config.webChat,
              tokens: localTokens,
              runTurn: async (activity) => {
                const answer = await receive(activity, '');
                if (answer.status >= 400) throw new Error(`the bot answered ${answer.status}`);
                const body = answer.body as { activities?: unknown[] } | undefined;
                return body?.activities ?? [];
              },
              localBaseUrl: () => localUrl,
              ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
              logger,
            }),
          ]
        : []),
      directLineMount({
        webChat: config.webChat,
        ...(localTokens ? { localTokens } : {}),
        localBaseUrl: () => localUrl,
        publicBaseUrl: config.publicBaseUrl,
        logger,
        trustProxy: config.webChat.trustProxy,
        limiter,
        clients,
        now: nowMs,
      }),
    ],
  );

  return {
    config,
    server,
    clock,
    accounts,
    worker,
    reminders,
    reminderWorker,
    redis,
    transcripts,
    sweepHandoffs: () => handoffSweeper?.tick() ?? Promise.resolve(),
    async start() {
      await new Promise<void>((resolve) => server.listen(config.port, resolve));
      const { port } = server.address() as AddressInfo;
      if (!config.publicBaseUrl) baseUrl = `http://localhost:${port}`;
      localUrl = `http://127.0.0.1:${port}`;
      worker.start();
      handoffSweeper?.start();
      reminderWorker.start();
      return localUrl;
    },
    async stop(options = {}) {
      // One budget per phase, all well inside main()'s hard exit: turns (and the proactive messages they
      // started), then the outbox, then a short close.
      const turnsMs = options.turnsMs ?? SHUTDOWN_TURNS_MS;
      const turnsDeadline = performance.now() + turnsMs;
      const left = () => Math.max(0, turnsDeadline - performance.now());
      tracker.beginDrain();
      await handoffSweeper?.stop();
      // No new reminder is claimed; the batch in flight finishes with the turns (a claimed reminder that
      // is not said is lost rather than said twice).
      const remindersStopped = reminderWorker.stop();
      const closed = closeServer(server.server, turnsMs);
      if (!(await tracker.idle(turnsMs)))
        logger.warn({ inFlight: tracker.inFlight }, 'arrêt : des requêtes étaient encore en cours');
      await closed;
      await Promise.race([remindersStopped, new Promise((resolve) => setTimeout(resolve, left()).unref())]);
      await background.settled(left());
      // Mails enqueued by the last turns are sent now rather than after the restart.
      if ((await worker.flush(options.outboxMs ?? SHUTDOWN_OUTBOX_MS)) === 'timeout')
        logger.warn('arrêt : envoi des mails interrompu, ils partiront d’une autre instance');
      await transport.close();
      // A send cut by the transport's closing is recorded as a failure (retried elsewhere), not lost.
      await worker.settled(SHUTDOWN_CLOSE_MS);
      // The last turns' transcripts are written after their turn: let them land before Redis closes.
      await transcriptLog.drain();
      await stats.flush();
      slowTurns?.close();
      if (prometheus) observeStoreCalls(undefined);
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

const DAY_MS = 86_400_000;
/** How often each instance looks for silent agents and untaken requests (each move is one script). */
const HANDOFF_SWEEP_MS = 30_000;

/** The sender when neither MAIL_FROM nor the recipient's académie gives one (a domain of ACADEMIE_DOMAINS). */
const DEFAULT_MAIL_FROM = 'Assistant électeur <ne-pas-repondre@ac-paris.fr>';

/** The product's version (package.json), found from the source tree or the compiled one. */
function productVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file))
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  }
  return '?';
}

/** One key per purpose from SECRET_KEY, so that a key leaked from one use does not open the others. */
function purposeKey(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(purpose).digest('base64url');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = buildApp(config, logger);
  const url = await app.start();
  if (config.clockNow)
    logger.warn({ now: app.clock.now().toISOString() }, 'CLOCK_NOW : horloge de démonstration');
  logger.info(
    { url, redis: config.redis?.mode ?? false, smtp: Boolean(config.smtpUrl) },
    'Assistant électeur prêt',
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second signal means the operator will not wait: leave now (the outbox lease covers the rest).
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'arrêt en cours');
      // Past this, something hangs (a dependency that never answers): better a restart than a zombie.
      setTimeout(
        () => process.exit(1),
        SHUTDOWN_TURNS_MS + SHUTDOWN_OUTBOX_MS + 4 * SHUTDOWN_CLOSE_MS,
      ).unref();
      app.stop().then(
        () => {
          logger.info('arrêt terminé');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: { message: (error as Error).message } }, 'arrêt en erreur');
          process.exit(1);
        },
      );
    });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Échec du démarrage : ${(error as Error).message}\n`);
    process.exit(1);
  });
}
