import type { AuditRecord } from '../../domain/audit/ports';
import type { AgentScope } from '../../domain/helpdesk/scope';
import { mailDomain } from '../../domain/mail-domain';

/**
 * What a scoped agent reads of the audit: the entries of agents whose scope lies within its own, and of
 * those only the ones whose address, when they name one, is in its domains. Such an agent can only have
 * read what this one may read, so the journal reveals nothing outside its académies. The rest is left
 * out, silently, like a search outside: agents of every académie, attempts refused for being outside a
 * scope (they name what lies outside), failed logins per client address. An agent of every académie
 * reads everything.
 */
export function visibleRecords(scope: AgentScope, records: readonly AuditRecord[]): AuditRecord[] {
  if (!scope.restricted) return [...records];
  return records.filter((record) => {
    if (record.action === 'login.failed' || record.action === 'scope.refused') return false;
    if (!record.scope || !scope.covers(record.scope)) return false;
    const email = /(?:^|\s)email:(\S+)/.exec(record.target)?.[1];
    return email === undefined || scope.allowsDomain(mailDomain(email) ?? '');
  });
}
