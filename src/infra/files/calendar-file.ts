import { readFileSync } from 'node:fs';
import { CalendarError, type ElectionCalendar, parseCalendar } from '../../domain/calendar/calendar';

/** Reads and validates a calendar file at start-up; every error names the file. */
export function loadCalendar(filePath: string): ElectionCalendar {
  const source = `calendrier ${filePath}`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new CalendarError([error instanceof Error ? error.message : String(error)], source);
  }
  return parseCalendar(json, source);
}
