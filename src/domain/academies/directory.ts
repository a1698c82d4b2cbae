import { type AcademieProfile, AcademiesError, inForceDuring } from './profiles';

/**
 * The académies of one election: the profiles in force over its vote (2014: Caen and Rouen, not
 * Normandie), looked up by id, by domain or by address. Built once at start-up from the profiles file and
 * the election file.
 */
export interface Academies {
  /** In the file's order (Paris first in the shipped file: near-miss ties go to it). */
  readonly all: readonly AcademieProfile[];
  byId(id: string | undefined): AcademieProfile | undefined;
  byDomain(domain: string): AcademieProfile | undefined;
  /** The académie of a professional address (its domain), or undefined. */
  ofAddress(email: string): AcademieProfile | undefined;
  /** Every domain in force, in the profiles' order: the accepted address domains. */
  readonly domains: readonly string[];
}

/**
 * The profiles whose validity meets the vote's window. Throws AcademiesError when none is in force: a
 * profiles file with nothing for this election is a configuration mistake, said at start-up.
 */
export function academiesFor(
  profiles: readonly AcademieProfile[],
  vote: { readonly opens: Date; readonly closes: Date },
  source?: string,
): Academies {
  const all = Object.freeze(profiles.filter((p) => inForceDuring(p, vote.opens, vote.closes)));
  if (all.length === 0) {
    throw new AcademiesError(
      [`aucune académie en vigueur aux dates du vote (${vote.opens.toISOString().slice(0, 10)})`],
      source,
    );
  }
  return directoryOf(all);
}

/** A directory of exactly these profiles (tests, and academiesFor). */
export function directoryOf(all: readonly AcademieProfile[]): Academies {
  const ids = new Map(all.map((p) => [p.id, p]));
  const byDomain = new Map<string, AcademieProfile>();
  for (const profile of all) for (const domain of profile.domains) byDomain.set(domain, profile);
  const domains = Object.freeze([...byDomain.keys()]);
  return Object.freeze({
    all,
    domains,
    byId: (id: string | undefined) => (id === undefined ? undefined : ids.get(id)),
    byDomain: (domain: string) => byDomain.get(domain.trim().toLowerCase().replace(/\.$/, '')),
    ofAddress(email: string) {
      const at = email.lastIndexOf('@');
      return at < 0
        ? undefined
        : byDomain.get(
            email
              .slice(at + 1)
              .trim()
              .toLowerCase()
              .replace(/\.$/, ''),
          );
    },
  });
}
