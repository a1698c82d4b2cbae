import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { z } from 'zod';
import { LEAFLET_2014_POLICY, type PasswordPolicy, passwordPolicySchema } from '../accounts/password-policy';

export interface Window {
  readonly opens: Date;
  /** Exclusive: at this instant the window is already closed. */
  readonly closes: Date;
}

export interface ElectionCalendar {
  /** The election as the texts name it (« Élections professionnelles 2014 »): welcome, mail subject. */
  readonly name: string;
  /** IANA zone in which the file's local date-times are written (« heure de Paris »). */
  readonly timeZone: string;
  readonly accountCreation: Window;
  readonly vote: Window;
  readonly resultsFrom: Date;
  /** Last day the paper notice de vote (with the identifiant) is handed over at school, when known. */
  readonly voteNoticeBy?: Date;
  /**
   * Where teachers vote (2014: https://vote2014.education.gouv.fr/, domain.md §1.2). Optional: a file for
   * an election whose portal is not yet announced leaves it out, and the answers then send teachers to
   * the portal their académie gives.
   */
  readonly votingSite?: string;
  /**
   * The voter password rules of this election (`passwordPolicy`); a file without them gets the 2014
   * leaflet's. Every check and every text that states the rules follows this one value.
   */
  readonly passwordPolicy: PasswordPolicy;
}

export type WindowStatus = 'before' | 'open' | 'after';

/** Every problem of the file at once, each naming its field, so that the operator fixes them in one go. */
export class CalendarError extends Error {
  constructor(
    readonly issues: string[],
    source = 'calendrier',
  ) {
    super(`${source} invalide :\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'CalendarError';
  }
}

/** Local wall-clock time, deliberately without an offset: the offset follows from the zone and the date. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const localDateTime = z
  .string()
  .regex(LOCAL_DATE_TIME, 'date-heure locale attendue, sans décalage : AAAA-MM-JJTHH:MM[:SS]')
  .refine(isRealDateTime, 'date ou heure inexistante');

const timeZone = z.string().refine(isIanaZone, 'fuseau horaire IANA inconnu (ex. Europe/Paris)');

const windowSchema = z.strictObject({ opens: localDateTime, closes: localDateTime });

const calendarSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'nom obligatoire'),
    timeZone,
    accountCreation: windowSchema,
    vote: windowSchema,
    results: z.strictObject({ from: localDateTime }),
    voteNotice: z.strictObject({ deliveredBy: localDateTime }).optional(),
    votingSite: z
      .url({
        protocol: /^https$/,
        error: 'adresse https:// attendue (ex. https://vote2014.education.gouv.fr/)',
      })
      .optional(),
    passwordPolicy: passwordPolicySchema.optional(),
    /** For the operator (« exemple : heure d’ouverture non confirmée »); never shown to teachers. */
    note: z.string().optional(),
  })
  .transform((raw, ctx): ElectionCalendar => {
    const at = (value: string, path: string[]): Date => {
      const instant = fromZonedTime(value, raw.timeZone);
      // A time inside the spring-forward gap does not exist on the wall clock; refuse rather than shift it.
      if (formatInTimeZone(instant, raw.timeZone, "yyyy-MM-dd'T'HH:mm:ss") !== withSeconds(value)) {
        ctx.issues.push({
          code: 'custom',
          path,
          input: value,
          message: `heure inexistante dans ${raw.timeZone}`,
        });
      }
      return instant;
    };
    const calendar: ElectionCalendar = {
      name: raw.name,
      timeZone: raw.timeZone,
      accountCreation: {
        opens: at(raw.accountCreation.opens, ['accountCreation', 'opens']),
        closes: at(raw.accountCreation.closes, ['accountCreation', 'closes']),
      },
      vote: { opens: at(raw.vote.opens, ['vote', 'opens']), closes: at(raw.vote.closes, ['vote', 'closes']) },
      resultsFrom: at(raw.results.from, ['results', 'from']),
      ...(raw.voteNotice
        ? { voteNoticeBy: at(raw.voteNotice.deliveredBy, ['voteNotice', 'deliveredBy']) }
        : {}),
      ...(raw.votingSite ? { votingSite: raw.votingSite } : {}),
      passwordPolicy: raw.passwordPolicy ?? LEAFLET_2014_POLICY,
    };
    const rule = (holds: boolean, path: string[], message: string) => {
      if (!holds) ctx.issues.push({ code: 'custom', path, input: raw, message });
    };
    const { accountCreation: account, vote, resultsFrom } = calendar;
    rule(
      account.opens < account.closes,
      ['accountCreation', 'closes'],
      'doit être après accountCreation.opens',
    );
    rule(vote.opens < vote.closes, ['vote', 'closes'], 'doit être après vote.opens');
    rule(resultsFrom >= vote.closes, ['results', 'from'], 'ne peut pas précéder vote.closes');
    rule(account.closes <= vote.closes, ['accountCreation', 'closes'], 'ne peut pas suivre vote.closes');
    return calendar;
  });

/** Validates a parsed calendar file. Throws CalendarError; the result is frozen. */
export function parseCalendar(json: unknown, source?: string): ElectionCalendar {
  const parsed = calendarSchema.safeParse(json);
  if (!parsed.success) {
    throw new CalendarError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(racine)'} : ${i.message}`),
      source,
    );
  }
  const { accountCreation, vote } = parsed.data;
  return Object.freeze({
    ...parsed.data,
    accountCreation: Object.freeze(accountCreation),
    vote: Object.freeze(vote),
  });
}

export function windowStatus(w: Window, now: Date): WindowStatus {
  if (now.getTime() < w.opens.getTime()) return 'before';
  return now.getTime() < w.closes.getTime() ? 'open' : 'after';
}

/**
 * Elapsed time until `end`, in 24-hour days. Rounded down, so that the bot never promises a minute
 * that is not there; zero once `end` has passed.
 */
export function timeLeft(now: Date, end: Date): { days: number; hours: number; minutes: number } {
  const totalMinutes = Math.max(0, Math.floor((end.getTime() - now.getTime()) / 60_000));
  return {
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}

function withSeconds(value: string): string {
  return value.length === 16 ? `${value}:00` : value;
}

function isRealDateTime(value: string): boolean {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return true;
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as number[];
  const utc = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
  return (
    utc.getUTCFullYear() === year &&
    utc.getUTCMonth() === (month ?? 1) - 1 &&
    utc.getUTCDate() === day &&
    utc.getUTCHours() === hour &&
    utc.getUTCMinutes() === minute &&
    utc.getUTCSeconds() === second
  );
}

function isIanaZone(zone: string): boolean {
  // Intl also accepts offsets such as « +01:00 », which carry no daylight-saving rules.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
