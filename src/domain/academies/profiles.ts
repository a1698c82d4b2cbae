import { fromZonedTime } from 'date-fns-tz';
import { z } from 'zod';
import { parseOpeningHours } from '../handoff/hours';

/**
 * An académie as the bot speaks of it (domain.md §4 and §5): its mail domains, its zone, its webmail and,
 * when the académie published them, its login rule and its helpdesk. Data, not code: a JSON file chosen
 * by ACADEMIES_FILE, validated at start-up by parseAcademies.
 */
export interface AcademieProfile {
  /** Stable identifier, kept in conversation state and statistics: « reunion », « paris ». */
  readonly id: string;
  /** « Académie de La Réunion », « Vice-rectorat de Mayotte ». */
  readonly name: string;
  /**
   * Other ways teachers name it, lowercase without accents (« noumea », « tahiti »), besides its name
   * without the title (« la reunion »): see names.ts.
   */
  readonly names?: readonly string[];
  /** Lowercase mail domains, the main one first. */
  readonly domains: readonly string[];
  /** IANA zone of the académie: its teachers' local time. */
  readonly timeZone: string;
  readonly webmail: Readonly<{
    url: string;
    /**
     * False for the common pattern `https://webmail.<domain>`, not checked académie by académie
     * (domain.md §4.2): the bot then says « probablement … (à vérifier) ».
     */
    confirmed: boolean;
  }>;
  /** The login rule the académie published (French, after « Identifiant : »); absent: general advice. */
  readonly login?: string;
  /** Sender of the mails sent to this académie's addresses (`Nom <adresse>`). */
  readonly mailFrom: string;
  /** The académie's helpdesk, given only when present: nothing is made up. */
  readonly contact?: AcademieContact;
  /** When its agents answer live in the chat (« lun-ven 08:00-17:00 », its own zone); absent: HELPDESK_HOURS. */
  readonly handoffHours?: string;
  /** In force from this day (Paris), inclusive; absent: always before. */
  readonly validFrom?: Date;
  /** In force until this day (Paris), exclusive; absent: still in force. */
  readonly validUntil?: Date;
}

export interface AcademieContact {
  /** An https page (a form, the assistance's page). */
  readonly site?: string;
  readonly email?: string;
  readonly phone?: string;
  /** « du lundi au vendredi, de 8 h à 17 h ». */
  readonly hours?: string;
}

export class AcademiesError extends Error {
  constructor(
    readonly issues: string[],
    source = 'profils des académies',
  ) {
    super(`${source} invalides :\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'AcademiesError';
  }
}

const ID = /^[a-z][a-z0-9-]{0,39}$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** `Nom <adresse>` or a bare address, on one line: it becomes a mail header. */
const MAIL_FROM = /^(?:[^<>\r\n]{1,80} <[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;
/** Prose shown to teachers: one line, no markup that a channel would render. */
const TEXT = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((v) => !/[\r\n<>]/.test(v), 'une ligne, sans « < » ni « > »');

const https = z.url({ protocol: /^https$/, error: 'adresse https:// attendue' });

const day = z
  .string()
  .regex(DAY, 'jour attendu : AAAA-MM-JJ')
  .refine((v) => {
    const date = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
  }, 'jour inexistant');

const profileSchema = z
  .strictObject({
    id: z.string().regex(ID, 'minuscules, chiffres et tirets (ex. reunion)'),
    name: TEXT,
    names: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9]+(?: [a-z0-9]+){0,4}$/, 'minuscules sans accents, mots séparés par une espace'),
      )
      .optional(),
    domains: z
      .array(
        z
          .string()
          .transform((d) => d.trim().toLowerCase())
          .pipe(z.string().regex(DOMAIN, 'domaine invalide')),
      )
      .min(1, 'au moins un domaine'),
    timeZone: z.string().refine(isIanaZone, 'fuseau horaire IANA inconnu (ex. Indian/Reunion)'),
    webmail: z.strictObject({ url: https, confirmed: z.boolean().default(false) }),
    login: TEXT.optional(),
    mailFrom: z.string().trim().regex(MAIL_FROM, 'une adresse, ou « Nom <adresse> »'),
    contact: z
      .strictObject({
        site: https.optional(),
        email: z
          .string()
          .regex(/^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/, 'adresse e-mail invalide')
          .optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9][0-9 .\u00a0\u202f-]{5,24}$/, 'numéro de téléphone invalide')
          .optional(),
        hours: TEXT.optional(),
      })
      .refine((c) => Object.values(c).some((v) => v !== undefined), 'au moins un moyen de contact')
      .optional(),
    handoffHours: z
      .string()
      .trim()
      .superRefine((raw, ctx) => {
        const parsed = parseOpeningHours(raw);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
      })
      .optional(),
    validFrom: day.optional(),
    validUntil: day.optional(),
    /** For the people who maintain the file (sources, doubts); never shown. */
    note: z.string().optional(),
  })
  .refine((p) => !p.validFrom || !p.validUntil || p.validFrom < p.validUntil, {
    message: 'validUntil doit suivre validFrom',
    path: ['validUntil'],
  });

const fileSchema = z.strictObject({
  about: z.string().optional(),
  academies: z.array(profileSchema).min(1, 'au moins une académie'),
});

/** Days of validity are Paris days: the elections' reference time. */
const PARIS = 'Europe/Paris';

/**
 * Validates a parsed profiles file. Two profiles may share an id or a domain only if their periods do not
 * overlap (ac-caen.fr until 2020, ac-normandie.fr after): at any date, an id and a domain name one académie.
 * Throws AcademiesError naming every problem; the result is frozen, in the file's order.
 */
export function parseAcademies(json: unknown, source?: string): readonly AcademieProfile[] {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AcademiesError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(racine)'} : ${i.message}`),
      source,
    );
  }
  const profiles = parsed.data.academies.map((raw): AcademieProfile => {
    const { note: _note, validFrom, validUntil, login, contact, names, ...rest } = raw;
    return Object.freeze({
      ...rest,
      ...(names?.length ? { names: Object.freeze(names) } : {}),
      domains: Object.freeze([...new Set(rest.domains)]),
      webmail: Object.freeze(rest.webmail),
      ...(login ? { login } : {}),
      ...(contact ? { contact: Object.freeze(withoutUndefined(contact)) } : {}),
      ...(validFrom ? { validFrom: fromZonedTime(`${validFrom}T00:00:00`, PARIS) } : {}),
      ...(validUntil ? { validUntil: fromZonedTime(`${validUntil}T00:00:00`, PARIS) } : {}),
    });
  });
  const issues: string[] = [];
  profiles.forEach((a, i) => {
    profiles.slice(0, i).forEach((b, j) => {
      if (!overlap(a, b)) return;
      if (a.id === b.id)
        issues.push(`academies.${i}.id : « ${a.id} » déjà pris (academies.${j}) sur la même période`);
      for (const domain of a.domains)
        if (b.domains.includes(domain))
          issues.push(`academies.${i}.domains : « ${domain} » déjà pris par « ${b.id} » sur la même période`);
    });
  });
  if (issues.length > 0) throw new AcademiesError(issues, source);
  return Object.freeze(profiles);
}

/** Whether a profile's validity meets the span [from, to). */
export function inForceDuring(profile: AcademieProfile, from: Date, to: Date): boolean {
  return (
    (profile.validFrom === undefined || profile.validFrom.getTime() < to.getTime()) &&
    (profile.validUntil === undefined || profile.validUntil.getTime() > from.getTime())
  );
}

function overlap(a: AcademieProfile, b: AcademieProfile): boolean {
  const from = Math.max(a.validFrom?.getTime() ?? -Infinity, b.validFrom?.getTime() ?? -Infinity);
  const to = Math.min(a.validUntil?.getTime() ?? Infinity, b.validUntil?.getTime() ?? Infinity);
  return from < to;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function isIanaZone(zone: string): boolean {
  // Intl also accepts offsets such as « +04:00 », which are not places.
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
