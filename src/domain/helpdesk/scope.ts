import { AppError } from '../../errors';
import { mailDomain } from '../mail-domain';

/**
 * What a scope is asked about: an address, or a conversation by what is known of its académie — the
 * address the teacher gave, and the académie profile id when the channel told it (a Web Chat page or a
 * Teams profile set for one académie). A transcript summary is one.
 */
export interface ScopeSubject {
  readonly email?: string | null;
  readonly academie?: string;
}

/** An académie profile id → its mail domains (empty for an id no profile has). */
export type DomainsOfAcademie = (academie: string) => readonly string[];

const noAcademies: DomainsOfAcademie = () => [];

/**
 * The académies a helpdesk agent serves, as mail domains (HELPDESK_USERS' third field), or every académie.
 * The one check every console feature goes through — search, transcripts, account actions, statistics,
 * audit, and what comes next: a feature asks `allows` (or `require`) before it shows or touches anything.
 *
 * A conversation belongs to the domain of its address and to the domains of its académie profile; a scoped
 * agent sees it when one of them is theirs (a teacher of Créteil writing on Paris's page concerns both
 * helpdesks). A conversation of no known académie is seen by agents of every académie only.
 */
export class AgentScope {
  private readonly set: ReadonlySet<string> | undefined;

  private constructor(
    /** Sorted, without duplicates; undefined: every académie. */
    readonly domains: readonly string[] | undefined,
    private readonly domainsOfAcademie: DomainsOfAcademie,
  ) {
    this.set = domains ? new Set(domains) : undefined;
  }

  static everywhere(domainsOfAcademie: DomainsOfAcademie = noAcademies): AgentScope {
    return new AgentScope(undefined, domainsOfAcademie);
  }

  /** `domains` lower-case (isMailDomain); an empty list serves nothing. */
  static within(domains: readonly string[], domainsOfAcademie: DomainsOfAcademie = noAcademies): AgentScope {
    return new AgentScope([...new Set(domains)].sort(), domainsOfAcademie);
  }

  get restricted(): boolean {
    return this.domains !== undefined;
  }

  /** An address, or a conversation. */
  allows(subject: string | ScopeSubject): boolean {
    if (!this.set) return true;
    const set = this.set;
    return this.domainsOf(typeof subject === 'string' ? { email: subject } : subject).some((d) => set.has(d));
  }

  allowsDomain(domain: string): boolean {
    return !this.set || this.set.has(domain.toLowerCase());
  }

  /** True when every one of `domains` is served (a colleague's scope, a statistics filter). */
  covers(domains: readonly string[]): boolean {
    return domains.every((d) => this.allowsDomain(d));
  }

  /** The subjects this agent may see, in their order: what a search shows. */
  visible<T extends ScopeSubject>(subjects: readonly T[]): T[] {
    return subjects.filter((s) => this.allows(s));
  }

  /**
   * Throws OUT_OF_SCOPE (403) unless the subject is served. `target` is what the audit writes of the refused
   * request (`email:…`, `<channel>/<conversation>`, `domain:…`).
   */
  require(subject: string | ScopeSubject, target: string): void {
    if (!this.allows(subject)) throw outOfScope(this, target);
  }

  /** The domains a subject belongs to; none when its académie is not known. */
  domainsOf(subject: ScopeSubject): string[] {
    const found = new Set<string>();
    const own = subject.email ? mailDomain(subject.email) : undefined;
    if (own) found.add(own);
    if (subject.academie)
      for (const d of this.domainsOfAcademie(subject.academie)) found.add(d.toLowerCase());
    return [...found];
  }
}

export function outOfScope(scope: AgentScope, target: string): AppError {
  return new AppError(
    'OUT_OF_SCOPE',
    target,
    { target },
    { key: 'helpdesk.errors.outOfScope', params: { domains: (scope.domains ?? []).join(', ') } },
  );
}
