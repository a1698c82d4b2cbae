import fs from 'node:fs';
import path from 'node:path';
import { parseTrainingSet, type TrainingSet } from '../../domain/understanding/training';
import { LOCALES_DIR } from './locales';

/** The phrases the recogniser learns from, written by the team (never the dev corpus). */
export const TRAINING_FILE = path.join(LOCALES_DIR, 'training.json');

/** Reads and validates locales/fr/training.json (or `file`); every intent must have phrases. */
export function loadTrainingSet(file: string = TRAINING_FILE): TrainingSet {
  return parseTrainingSet(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, { complete: true });
}
