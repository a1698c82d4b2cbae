import path from 'node:path';
import { createRecognizer, type Recognizer } from '../../../src/domain/understanding/recognizer';
import { loadTrainingSet } from '../../../src/infra/files/training-file';

/** Project root, and the shared dev corpus beside it (measuring only: never training data). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEV_CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus', 'utterances-dev.tsv');
export const UNSEEN = path.join(ROOT, 'test', 'fixtures', 'nlu-unseen.tsv');

let shared: Recognizer | undefined;

/** One recognizer trained on locales/fr/training.json, shared by the test files (training is not free). */
export function recognizer(): Recognizer {
  shared ??= createRecognizer(loadTrainingSet());
  return shared;
}
