import type { AcademieProfile } from '../../src/domain/academies/profiles';
import type { ElectionCalendar } from '../../src/domain/calendar/calendar';
import type { Place } from '../../src/domain/calendar/places';

/** What an answer depends on besides the message; the caller (main dialog) builds it for each turn. */
export interface AnswerContext {
  readonly calendar: ElectionCalendar;
  /** The app clock's now (CLOCK_NOW in tests and demos). */
  readonly now: Date;
  /**
   * Where the teacher is: named in this message, remembered from an earlier one, or from the channel's
   * time zone, in that order of preference; the caller decides. Absent: answers in Paris time only.
   */
  readonly place?: Place;
  /** The teacher's académie, once known: its webmail, login rule and helpdesk. */
  readonly academie?: AcademieProfile;
  /** The académies in force, for a question that names one (« le webmail de Lyon ? »). */
  readonly academies?: readonly AcademieProfile[];
  /** WEBMAIL_URL, one webmail for every teacher; absent: the académie's, else general advice. */
  readonly webmailUrl?: string;
  /** The bot's public address (no trailing slash), for links to its own pages; absent: the path alone. */
  readonly baseUrl?: string;
  /**
   * The next-step hints (« écrivez « créer mon compte » … ») already given in this conversation: each is
   * said once, not after every answer. Absent: every answer carries its hint (unit tests, one-off calls).
   */
  readonly hints?: HintLedger;
}

/** Which hints (locale keys) the conversation has already shown; the caller keeps it between turns. */
export interface HintLedger {
  has(key: string): boolean;
  add(key: string): void;
  /** Told the text of each hint given, so that the caller can tell an answer from its hint. */
  said?(text: string): void;
}
