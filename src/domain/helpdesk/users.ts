import { isMailDomain } from '../mail-domain';

/** One helpdesk account from HELPDESK_USERS. */
export interface HelpdeskUser {
  readonly login: string;
  /** argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  readonly phc: string;
  /** The mail domains of the académies the agent serves, lower case, sorted; absent: every académie. */
  readonly domains?: readonly string[];
}

const LOGIN = /^[A-Za-z0-9._-]{1,64}$/;
const PHC = /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
/**
 * What a third field looks like, before each domain is checked: empty, or with a `.`, `,` or `-` and none
 * of `$ = + /`. A PHC never holds a colon; should one be pasted in, what follows it is base64 (letters,
 * digits, `+`, `/`) or parameters (`=`), never this: it is then reported as a bad hash, and no piece of
 * a hash is ever quoted back as a « domain ».
 */
const SCOPE_LIKE = /^(?:[^$=+/]*[.,-][^$=+/]*)?$/;
/** Past this, a scope is a pasted list gone wrong: an académie has a few domains, France about thirty. */
const MAX_DOMAINS = 100;

/**
 * Parses HELPDESK_USERS: whitespace-separated `login:PHC` or `login:PHC:domain,domain` entries. Whitespace,
 * not commas, between entries, because a PHC string holds commas; the third field (after the last colon)
 * lists the mail domains of the académies the agent serves, without it every académie. Empty or absent:
 * no user, and the console is not mounted. Throws with a French message naming the faulty entry by its
 * position and login, never by its hash.
 */
export function parseHelpdeskUsers(raw: string | undefined): HelpdeskUser[] {
  const users: HelpdeskUser[] = [];
  const seen = new Set<string>();
  const entries = (raw ?? '').split(/\s+/).filter(Boolean);
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const login = colon > 0 ? entry.slice(0, colon) : '';
    const rest = colon > 0 ? entry.slice(colon + 1) : '';
    const last = rest.lastIndexOf(':');
    const scoped = last >= 0 && SCOPE_LIKE.test(rest.slice(last + 1));
    const phc = scoped ? rest.slice(0, last) : rest;
    const where = `entrée n° ${index + 1}`;
    if (colon < 0 && entry.split(',').every(isMailDomain))
      throw new Error(
        `HELPDESK_USERS, ${where} : « ${entry.slice(0, 60)} » est un domaine seul ; les domaines d’un agent suivent son empreinte, séparés par des virgules sans espace (identifiant:empreinte:ac-paris.fr,ac-creteil.fr)`,
      );
    if (!LOGIN.test(login))
      throw new Error(
        `HELPDESK_USERS, ${where} : un identifiant (lettres, chiffres, « . », « _ », « - ») puis « : » et l’empreinte`,
      );
    if (!PHC.test(phc))
      throw new Error(
        `HELPDESK_USERS, ${where} (${login}) : l’empreinte doit être une chaîne argon2id (npm run --silent helpdesk:hash -- '<mot de passe>')`,
      );
    if (seen.has(login)) throw new Error(`HELPDESK_USERS, ${where} : l’identifiant ${login} est en double`);
    seen.add(login);
    users.push(
      scoped
        ? { login, phc, domains: parseScope(rest.slice(last + 1), `${where} (${login})`) }
        : { login, phc },
    );
  });
  return users;
}

/** `ac-paris.fr,ac-creteil.fr`: lower-cased, sorted, each one a domain. */
function parseScope(field: string, where: string): string[] {
  const domains = field
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  if (domains.length === 0)
    throw new Error(
      `HELPDESK_USERS, ${where} : après le second « : », indiquez les domaines servis séparés par des virgules (par exemple ac-paris.fr,ac-creteil.fr), ou retirez ce « : » pour toutes les académies`,
    );
  const wrong = domains.find((d) => !isMailDomain(d));
  if (wrong !== undefined)
    throw new Error(
      `HELPDESK_USERS, ${where} : « ${wrong.slice(0, 60)} » n’est pas un domaine de messagerie (par exemple ac-paris.fr ; les domaines se séparent par des virgules, sans espace)`,
    );
  if (domains.length > MAX_DOMAINS)
    throw new Error(`HELPDESK_USERS, ${where} : au plus ${MAX_DOMAINS} domaines par agent`);
  return [...new Set(domains)].sort();
}
