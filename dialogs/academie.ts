import type { AcademieProfile } from '../src/domain/academies/profiles';
import { type AcademieSource, type ConversationMemory, memoryOf } from './memory';
import {
  ADDRESS_GIVEN,
  type DialogDeps,
  PROFILE_ADDRESS,
  type ProfileAddressLookup,
  type TurnContext,
} from './types';

/**
 * The teacher's académie drives the answers once known (issue 14): its local time, its webmail, its
 * helpdesk. Learnt from the address the teacher confirms, from the Teams profile's e-mail, or from a Web
 * Chat page configured for one académie; kept in the conversation's memory (its id only).
 */

type Deps = Pick<DialogDeps, 'academies'>;

/**
 * Which source may replace which: the address the teacher confirms is theirs and wins over anything; the
 * Teams profile over the page the chat was opened from (a teacher may browse another académie's site).
 */
const RANK: Record<AcademieSource, number> = { page: 1, teams: 2, address: 3 };

/** How long the Teams profile may take before the answer goes on without it. */
const PROFILE_TIMEOUT_MS = 3_000;

/** The académie of this conversation, when known and in force for this election. */
export function teacherAcademie(context: TurnContext, deps: Partial<Deps>): AcademieProfile | undefined {
  return deps.academies?.byId(memoryOf(context).academie);
}

/** Notes the académie learnt from `source`, unless a stronger source already gave one. */
export function rememberAcademie(
  memory: ConversationMemory,
  profile: AcademieProfile,
  source: AcademieSource,
): void {
  if (memory.academieFrom && RANK[memory.academieFrom] > RANK[source]) return;
  memory.academie = profile.id;
  memory.academieFrom = source;
}

/**
 * The teacher confirmed their professional address: the transcript is indexed by it (ADDRESS_GIVEN) and
 * its académie becomes the conversation's.
 */
export function addressGiven(context: TurnContext, deps: Partial<Deps>, email: string): void {
  context.turnState.set(ADDRESS_GIVEN, email);
  const profile = deps.academies?.ofAddress(email);
  if (profile) rememberAcademie(memoryOf(context), profile, 'address');
}

/**
 * The académie, looking it up in the Teams profile when nothing told it yet: once per conversation, and
 * only when an answer needs it (a Graph call on every first message would slow every conversation).
 */
export async function learnAcademie(
  context: TurnContext,
  deps: Partial<Deps>,
): Promise<AcademieProfile | undefined> {
  const known = teacherAcademie(context, deps);
  if (known) return known;
  const memory = memoryOf(context);
  const lookup = context.turnState.get(PROFILE_ADDRESS) as ProfileAddressLookup | undefined;
  if (!lookup || memory.profileLooked || !deps.academies) return undefined;
  memory.profileLooked = true;
  const email = await withTimeout(lookup(), PROFILE_TIMEOUT_MS).catch(() => undefined);
  const profile = email ? deps.academies.ofAddress(email) : undefined;
  if (profile) rememberAcademie(memory, profile, 'teams');
  return teacherAcademie(context, deps);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
