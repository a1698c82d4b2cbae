import fs from 'node:fs';
import type { LabelledPhrase } from '../../domain/understanding/evaluation';
import { isIntent } from '../../domain/understanding/intents';

/** Reads a labelled TSV; a wrong header, a missing column or an unknown intent is an error, not a skip. */
export function readLabelledTsv(file: string): LabelledPhrase[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  if (lines[0]?.trim() !== 'text\tintent') throw new Error(`${file} : en-tête « text\\tintent » attendu`);
  return lines.slice(1).flatMap((line, i): LabelledPhrase[] => {
    if (line.trim() === '') return [];
    const [text, label] = line.split('\t');
    const intent = label?.trim() ?? '';
    if (!text?.trim() || !isIntent(intent)) throw new Error(`${file}:${i + 2} : ligne invalide « ${line} »`);
    return [{ text: text.trim(), intent }];
  });
}
