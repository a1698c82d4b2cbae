import path from 'node:path';
import { z } from 'zod';
import { parseOpeningHours } from './domain/handoff/hours';
import { type HelpdeskUser, parseHelpdeskUsers } from './domain/helpdesk/users';
import { parseIsoDuration } from './domain/reminders/duration';
import { MAX_TEXT_LENGTH } from './http/activity-schema';
import type { RedisTarget } from './infra/redis/client';

/**
 * Every domain of the shipped académie profiles (academies/academies.json), of every period, Paris first:
 * for tests and tools. The bot itself accepts the domains of the profiles in force for the election
 * (src/domain/academies), or ACADEMIE_DOMAINS when set.
 */
export const DEFAULT_ACADEMIE_DOMAINS = [
  'ac-paris.fr',
  'ac-aix-marseille.fr',
  'ac-amiens.fr',
  'ac-besancon.fr',
  'ac-bordeaux.fr',
  'ac-caen.fr',
  'ac-clermont.fr',
  'ac-corse.fr',
  'ac-creteil.fr',
  'ac-dijon.fr',
  'ac-grenoble.fr',
  'ac-lille.fr',
  'ac-limoges.fr',
  'ac-lyon.fr',
  'ac-montpellier.fr',
  'ac-nancy-metz.fr',
  'ac-nantes.fr',
  'ac-nice.fr',
  'ac-normandie.fr',
  'ac-orleans-tours.fr',
  'ac-poitiers.fr',
  'ac-reims.fr',
  'ac-rennes.fr',
  'ac-rouen.fr',
  'ac-strasbourg.fr',
  'ac-toulouse.fr',
  'ac-versailles.fr',
  'ac-guadeloupe.fr',
  'ac-martinique.fr',
  'ac-guyane.fr',
  'ac-reunion.fr',
  'ac-mayotte.fr',
  'ac-noumea.nc',
  'ac-polynesie.pf',
  'monvr.pf',
  'ac-wf.wf',
  'ac-spm.fr',
] as const;

const PROJECT_ROOT = path.resolve(__dirname, '..');

// Start-up messages in French, like the rest of the product.
z.config(z.locales.fr());

/** Date, hours and minutes, optional seconds, and an offset: an instant, not a local time. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `doit être une URL (${protocols.join(', ')})`,
    );

const domainList = z
  .string()
  .trim()
  .transform((v) =>
    v
      .split(/[\s,]+/)
      .map((d) => d.toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'domaine invalide'))
      .min(1, 'au moins un domaine'),
  );

/** Microsoft 365 tenant ids (GUIDs) separated by commas or spaces, lower-cased as Teams sends them. */
const tenantList = z
  .string()
  .transform((v) =>
    v
      .split(/[\s,]+/)
      .map((id) => id.toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
            'un identifiant de tenant Microsoft 365 (GUID, par exemple 11111111-2222-4333-8444-555555555555)',
          ),
      )
      .min(1, 'au moins un identifiant de tenant'),
  );

/** Where to write: an e-mail address, or an https page (a form). */
const contact = z
  .string()
  .max(300)
  .refine((v) => {
    if (/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(v)) return true;
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'une adresse e-mail ou une adresse https://');

/** `host:port` pairs separated by commas or spaces, as Sentinel and Cluster seed lists are written. */
const hostPortList = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'une liste hôte:port séparée par des virgules')
          .transform((v) => {
            const at = v.lastIndexOf(':');
            return { host: v.slice(0, at), port: Number(v.slice(at + 1)) };
          })
          .refine((v) => v.port > 0 && v.port <= 65535, 'un numéro de port (1 à 65535)'),
      )
      .min(1, 'au moins un hôte:port'),
  );

const envSchema = z
  .object({
    // No default: an unset NODE_ENV must not open /api/messages to unauthenticated activities.
    NODE_ENV: optionalString.pipe(z.enum(['development', 'production', 'test']).optional()),
    PORT: optionalString
      .pipe(
        z
          .string()
          .regex(/^\d{1,5}$/, 'un numéro de port (0 à 65535)')
          .optional(),
      )
      .transform((v) => (v === undefined ? 3978 : Number(v)))
      .pipe(z.number().max(65535, 'un numéro de port (0 à 65535)')),
    REDIS_URL: optionalString.pipe(url(['redis:', 'rediss:']).optional()),
    REDIS_SENTINELS: optionalString.pipe(hostPortList.optional()),
    REDIS_SENTINEL_NAME: optionalString,
    REDIS_CLUSTER_NODES: optionalString.pipe(hostPortList.optional()),
    REDIS_PASSWORD: optionalString,
    REDIS_PREFIX: z
      .string()
      .trim()
      .regex(/^[\w:.-]{0,64}$/, 'lettres, chiffres, « : », « . », « - » ou « _ », 64 au plus')
      .default(''),
    SMTP_URL: optionalString.pipe(url(['smtp:', 'smtps:']).optional()),
    // Absent: each mail's sender is its académie's (`mailFrom` of the profiles); set: one sender for all.
    MAIL_FROM: optionalString.pipe(z.string().min(3).optional()),
    MAIL_OUTBOX_DIR: z.string().trim().default(path.join(PROJECT_ROOT, '.mail-outbox')),
    PUBLIC_BASE_URL: optionalString.pipe(url(['http:', 'https:']).optional()),
    ELECTION_CALENDAR: z
      .string()
      .trim()
      .default(path.join(PROJECT_ROOT, 'calendars', 'elections-2014.json')),
    CLOCK_NOW: optionalString.pipe(
      z
        .string()
        .refine(
          (v) => ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v)),
          'un instant ISO 8601 avec fuseau, par exemple 2014-11-20T09:00+01:00',
        )
        .optional(),
    ),
    // Overrides for a deployment that serves one académie; absent: the académie profiles decide.
    WEBMAIL_URL: optionalString.pipe(url(['https:', 'http:']).optional()),
    ACADEMIE_DOMAINS: optionalString.pipe(domainList.optional()),
    ACADEMIES_FILE: z
      .string()
      .trim()
      .default(path.join(PROJECT_ROOT, 'academies', 'academies.json')),
    PASSWORD_ENTRY: z.enum(['chat', 'link'], { message: '« chat » ou « link »' }).default('chat'),
    CONFIRMATION_LINK_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(48),
    // A request still unconfirmed after this ISO 8601 duration gets one reminder, in the chat and by mail.
    REMINDER_UNCONFIRMED_AFTER: optionalString.transform((raw, ctx) => {
      const ms = parseIsoDuration(raw ?? 'PT24H');
      if (ms !== undefined && ms >= 60_000 && ms <= 30 * 86_400_000) return ms;
      ctx.addIssue({
        code: 'custom',
        message: 'une durée ISO 8601 d’une minute à 30 jours, par exemple PT24H ou P1DT12H',
      });
      return z.NEVER;
    }),
    SECRET_KEY: optionalString.pipe(z.string().min(32, 'au moins 32 caractères').optional()),
    LOCAL_DIRECTLINE: z
      .enum(['', '0', '1', 'true', 'false'], { message: '1 ou 0' })
      .default('')
      .transform((v) => v === '1' || v === 'true'),
    DIRECTLINE_SECRET: optionalString,
    DIRECTLINE_DOMAIN: url(['https:', 'http:']).default(
      'https://europe.directline.botframework.com/v3/directline',
    ),
    WEBCHAT_ORIGINS: z
      .string()
      .trim()
      .default('')
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(url(['https:', 'http:']))),
    ACADEMIE_NAME: z.string().trim().min(2).default('Académie de Paris'),
    HELPDESK_USERS: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        try {
          return parseHelpdeskUsers(raw);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: (error as Error).message.replace(/^HELPDESK_USERS, /, ''),
          });
          return z.NEVER;
        }
      }),
    HELPDESK_HOURS: z
      .string()
      .trim()
      .default('lun-ven 08:00-18:00')
      .superRefine((raw, ctx) => {
        const parsed = parseOpeningHours(raw);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
      }),
    TRUST_PROXY: z
      .enum(['', '0', '1', 'true', 'false'], { message: '1 ou 0' })
      .default('')
      .transform((v) => v === '1' || v === 'true'),
    MAX_MESSAGE_LENGTH: z.coerce.number().int().min(100).max(MAX_TEXT_LENGTH).default(2000),
    TRANSCRIPT_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // The operators' figures: /metrics (Prometheus) answers only with this bearer token; absent, no route.
    METRICS_TOKEN: optionalString.pipe(
      z
        .string()
        .min(32, 'au moins 32 caractères')
        .regex(/^[\x21-\x7e]+$/, 'des caractères ASCII visibles, sans espace')
        .optional(),
    ),
    // Turns slower than this many milliseconds are logged with where they waited (lock, Redis, the bot's
    // own work, the event loop); 0: none.
    TURN_TRACE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalString,
    TEAMS_TENANTS: optionalString.pipe(tenantList.optional()),
    // What the privacy notice and the accessibility statement must say of the operator (RGPD art. 13,
    // RGAA): its name and contacts come from the académie or the ministry, never from the code.
    DATA_CONTROLLER: optionalString.pipe(z.string().max(300).optional()),
    DPO_CONTACT: optionalString.pipe(contact.optional()),
    RIGHTS_CONTACT: optionalString.pipe(contact.optional()),
    ACCESSIBILITY_STATUS: z
      .enum(['non-conforme', 'partiellement-conforme', 'totalement-conforme'], {
        message: 'non-conforme, partiellement-conforme ou totalement-conforme',
      })
      .default('non-conforme'),
    ACCESSIBILITY_AUDIT: optionalString.pipe(z.string().max(500).optional()),
    ACCESSIBILITY_CONTACT: optionalString.pipe(contact.optional()),
  })
  .superRefine((env, ctx) => {
    if (env.LOCAL_DIRECTLINE && env.MicrosoftAppId) {
      // The emulation delivers unauthenticated activities: an authenticated bot would refuse them all.
      ctx.addIssue({
        code: 'custom',
        path: ['LOCAL_DIRECTLINE'],
        message:
          'incompatible avec MicrosoftAppId (le Direct Line local n’envoie pas de jeton Bot Framework)',
      });
    }
    const redisModes = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter(
      (key) => env[key] !== undefined,
    );
    if (redisModes.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [redisModes[1] as string],
        message: `un seul mode Redis à la fois (REDIS_URL, REDIS_SENTINELS ou REDIS_CLUSTER_NODES), pas aussi ${redisModes[0]}`,
      });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_NAME'],
        message: 'obligatoire avec REDIS_SENTINELS (le nom du maître surveillé, par exemple mymaster)',
      });
    }
    if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_NAME'],
        message: 'sans effet sans REDIS_SENTINELS',
      });
    }
    if (env.REDIS_PASSWORD && env.REDIS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_PASSWORD'],
        message: 'avec REDIS_URL, le mot de passe s’écrit dans l’URL (redis://:motdepasse@hôte:port)',
      });
    }
    const authenticated = env.NODE_ENV !== 'development' && env.NODE_ENV !== 'test';
    if (authenticated && env.NODE_ENV === undefined && !env.MicrosoftAppId) {
      // Unauthenticated activities are a development convenience: the environment must ask for it.
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message:
          'obligatoire, avec MicrosoftAppPassword (identifiants Bot Framework), quand NODE_ENV n’est pas défini. Pour accepter des activités non authentifiées (développement), lancez avec NODE_ENV=development',
      });
    }
    if (
      authenticated &&
      env.MicrosoftAppId &&
      !env.MicrosoftAppPassword &&
      env.MicrosoftAppType !== 'UserAssignedMSI'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'obligatoire avec MicrosoftAppId',
      });
    }
    if (env.ACCESSIBILITY_STATUS !== 'non-conforme' && !env.ACCESSIBILITY_AUDIT) {
      // A service never audited declares itself « non conforme » (RGAA): a level needs its audit.
      ctx.addIssue({
        code: 'custom',
        path: ['ACCESSIBILITY_AUDIT'],
        message: `obligatoire avec ACCESSIBILITY_STATUS=${env.ACCESSIBILITY_STATUS} (date, auditeur et périmètre de l’audit)`,
      });
    }
    if (env.NODE_ENV !== 'production') return;
    if (redisModes.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message:
          'Redis est obligatoire en production (pas d’état en mémoire) : REDIS_URL, REDIS_SENTINELS ou REDIS_CLUSTER_NODES',
      });
    }
    const required: Array<[keyof typeof env, string]> = [
      ['MicrosoftAppId', 'les identifiants Bot Framework sont obligatoires en production'],
      ['SMTP_URL', 'un serveur SMTP est obligatoire en production (pas de mails dans un dossier)'],
      ['PUBLIC_BASE_URL', 'l’adresse publique est obligatoire en production (liens des mails)'],
      ['SECRET_KEY', 'une clé secrète est obligatoire en production'],
      [
        'DATA_CONTROLLER',
        'le responsable du traitement (l’académie ou le ministère) est obligatoire en production : la page « Données personnelles » le nomme',
      ],
      ['DPO_CONTACT', 'le contact du délégué à la protection des données est obligatoire en production'],
      [
        'RIGHTS_CONTACT',
        'le contact où les enseignants exercent leurs droits (RGPD) est obligatoire en production',
      ],
      [
        'ACCESSIBILITY_CONTACT',
        'le contact pour signaler un défaut d’accessibilité est obligatoire en production',
      ],
    ];
    for (const [key, message] of required) {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message });
    }
    if (env.PUBLIC_BASE_URL && new URL(env.PUBLIC_BASE_URL).protocol === 'http:') {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        message:
          'https:// obligatoire en production (les liens des mails et les identifiants de la console passeraient en clair)',
      });
    }
    if (env.CLOCK_NOW !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['CLOCK_NOW'], message: 'interdit en production' });
    }
    if (env.LOCAL_DIRECTLINE) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOCAL_DIRECTLINE'],
        message: 'Direct Line local interdit en production',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** Undefined when NODE_ENV is not set: then Bot Framework credentials are required. */
  readonly env: Env['NODE_ENV'];
  readonly production: boolean;
  readonly port: number;
  /** Single-node mode only; see `redis` for the three modes. */
  readonly redisUrl: string | undefined;
  /** Where Redis is (one node, Sentinel or Cluster); none: embedded mode, state in memory. */
  readonly redis: RedisTarget | undefined;
  /** Prepended to every Redis key, so that several deployments (or test runs) can share one Redis. */
  readonly redisPrefix: string;
  readonly smtpUrl: string | undefined;
  /** One sender for every mail; undefined: the sender of each recipient's académie (profiles). */
  readonly mailFrom: string | undefined;
  readonly mailOutboxDir: string;
  /** Without a trailing slash. */
  readonly publicBaseUrl: string | undefined;
  readonly calendarPath: string;
  readonly clockNow: Date | undefined;
  /** The académie profiles file (ACADEMIES_FILE). */
  readonly academiesPath: string;
  /** One webmail for every teacher (a single-académie deployment); undefined: each académie's own. */
  readonly webmailUrl: string | undefined;
  /** The accepted address domains; undefined: those of the académie profiles in force. */
  readonly academieDomains: readonly string[] | undefined;
  readonly confirmationLinkTtlMs: number;
  /** REMINDER_UNCONFIRMED_AFTER: when a request still unconfirmed gets its reminder (application clock). */
  readonly reminderUnconfirmedAfterMs: number;
  /** Where the voter password is typed: in the chat, or on a page of ours opened from a one-time link. */
  readonly passwordEntry: Env['PASSWORD_ENTRY'];
  readonly secretKey: string | undefined;
  readonly maxMessageLength: number;
  /** Helpdesk console accounts; none: the console is not mounted. */
  readonly helpdeskUsers: readonly HelpdeskUser[];
  /**
   * When agents answer live (issue 15), in the académie's zone: « lun-ven 08:00-18:00 ». An académie
   * profile's `handoffHours` wins for its teachers.
   */
  readonly helpdeskHours: string;
  /** Retention of the redacted transcripts, refreshed by each write of a conversation. */
  readonly transcriptTtlDays: number;
  readonly webChat: Readonly<{
    /** Mounts the offline Direct Line 3.0 emulation (development and tests only). */
    localDirectLine: boolean;
    /** Server-side only: exchanged for tokens by POST /api/directline/token. */
    directLineSecret: string | undefined;
    /** Without a trailing slash, e.g. https://europe.directline.botframework.com/v3/directline. */
    directLineDomain: string;
    /** Origins allowed to call the token route from another site (the widget on an académie's site). */
    allowedOrigins: readonly string[];
    academieName: string;
    /** Behind a reverse proxy (Azure App Service): the client address is the last X-Forwarded-For hop. */
    trustProxy: boolean;
  }>;
  readonly logLevel: Env['LOG_LEVEL'];
  /** The bearer token of /metrics; undefined: the route does not exist. */
  readonly metricsToken: string | undefined;
  /** Turns slower than this are logged with their phases; undefined: none. */
  readonly turnTraceMs: number | undefined;
  readonly bot: Readonly<{
    appId: string | undefined;
    appPassword: string | undefined;
    appType: Env['MicrosoftAppType'];
    tenantId: string | undefined;
  }>;
  /** Microsoft 365 tenants whose Teams activities are served; undefined: any tenant. */
  readonly teamsTenants: readonly string[] | undefined;
  /** What the privacy notice and the accessibility statement say of the operator (placeholders outside production). */
  readonly legal: LegalNotice;
}

/** A contact as configured: an e-mail address or an https URL; undefined shows a placeholder. */
export interface LegalNotice {
  readonly controller: string | undefined;
  readonly dpoContact: string | undefined;
  readonly rightsContact: string | undefined;
  readonly accessibility: Readonly<{
    status: Env['ACCESSIBILITY_STATUS'];
    audit: string | undefined;
    contact: string | undefined;
  }>;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Configuration invalide :\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once. Every error names the variable so that start-up says what to fix. */
export function loadConfig(source: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environnement)'} : ${i.message}`),
    );
  }
  const env = parsed.data;
  return deepFreeze({
    env: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    redisUrl: env.REDIS_URL,
    redis: redisTarget(env),
    redisPrefix: env.REDIS_PREFIX,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    mailOutboxDir: env.MAIL_OUTBOX_DIR,
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    calendarPath: env.ELECTION_CALENDAR,
    clockNow: env.CLOCK_NOW ? new Date(env.CLOCK_NOW) : undefined,
    academiesPath: env.ACADEMIES_FILE,
    webmailUrl: env.WEBMAIL_URL,
    academieDomains: env.ACADEMIE_DOMAINS,
    confirmationLinkTtlMs: env.CONFIRMATION_LINK_TTL_HOURS * 3_600_000,
    reminderUnconfirmedAfterMs: env.REMINDER_UNCONFIRMED_AFTER,
    passwordEntry: env.PASSWORD_ENTRY,
    secretKey: env.SECRET_KEY,
    maxMessageLength: env.MAX_MESSAGE_LENGTH,
    helpdeskUsers: env.HELPDESK_USERS,
    helpdeskHours: env.HELPDESK_HOURS,
    transcriptTtlDays: env.TRANSCRIPT_TTL_DAYS,
    webChat: {
      localDirectLine: env.LOCAL_DIRECTLINE,
      directLineSecret: env.DIRECTLINE_SECRET,
      directLineDomain: env.DIRECTLINE_DOMAIN.replace(/\/+$/, ''),
      allowedOrigins: env.WEBCHAT_ORIGINS.map((o) => new URL(o).origin),
      academieName: env.ACADEMIE_NAME,
      trustProxy: env.TRUST_PROXY,
    },
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
    turnTraceMs: env.TURN_TRACE_MS > 0 ? env.TURN_TRACE_MS : undefined,
    bot: {
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword,
      appType: env.MicrosoftAppType,
      tenantId: env.MicrosoftAppTenantId,
    },
    teamsTenants: env.TEAMS_TENANTS,
    legal: {
      controller: env.DATA_CONTROLLER,
      dpoContact: env.DPO_CONTACT,
      rightsContact: env.RIGHTS_CONTACT,
      accessibility: {
        status: env.ACCESSIBILITY_STATUS,
        audit: env.ACCESSIBILITY_AUDIT,
        contact: env.ACCESSIBILITY_CONTACT,
      },
    },
  });
}

function redisTarget(env: Env): RedisTarget | undefined {
  if (env.REDIS_URL) return { mode: 'single', url: env.REDIS_URL };
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) {
    return {
      mode: 'sentinel',
      sentinels: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME,
      password: env.REDIS_PASSWORD,
    };
  }
  if (env.REDIS_CLUSTER_NODES) {
    return { mode: 'cluster', nodes: env.REDIS_CLUSTER_NODES, password: env.REDIS_PASSWORD };
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
