import { readFileSync } from 'node:fs';
import { type AcademieProfile, AcademiesError, parseAcademies } from '../domain/academies/profiles';

/** Reads and validates the académie profiles file (ACADEMIES_FILE) at start-up; every error names the file. */
export function loadAcademies(filePath: string): readonly AcademieProfile[] {
  const source = `profils des académies ${filePath}`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new AcademiesError([error instanceof Error ? error.message : String(error)], source);
  }
  return parseAcademies(json, source);
}
