/** One helpdesk account from HELPDESK_USERS. */
export interface HelpdeskUser {
  readonly login: string;
  /** argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  readonly phc: string;
}

const LOGIN = /^[A-Za-z0-9._-]{1,64}$/;
const PHC = /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * Parses HELPDESK_USERS: whitespace-separated `login:PHC` pairs. Whitespace, not commas, because a PHC
 * string holds commas. Empty or absent: no user, and the console is not mounted. Throws with a French
 * message naming the faulty entry by its position and login, never by its hash.
 */
export function parseHelpdeskUsers(raw: string | undefined): HelpdeskUser[] {
  const users: HelpdeskUser[] = [];
  const seen = new Set<string>();
  const entries = (raw ?? '').split(/\s+/).filter(Boolean);
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const login = colon > 0 ? entry.slice(0, colon) : '';
    const phc = colon > 0 ? entry.slice(colon + 1) : '';
    const where = `entrée n° ${index + 1}`;
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
    users.push({ login, phc });
  });
  return users;
}
