import { isClassToken } from './features';

/**
 * The polite frame of a message — « Bonjour madame, petite question : … », « … merci d’avance, bonne
 * journée » — says nothing about what is asked. Left in, its words pull a question towards `greeting` or
 * `smalltalk` (issue 14: « Bonjour, est-on tenu de voter ? » read as a greeting). So the recogniser reads
 * a message without its frame, in training as in use — unless the frame is all there is: « Bonjour »,
 * « merci beaucoup » keep their words.
 *
 * Works on folded tokens (features.ts): class tokens (`_salut_`…) follow their word and go with it.
 */

/** A frame is one of these sequences, repeated: « bonjour a tous », « re bonjour », « petite question ». */
const OPENERS: ReadonlyArray<readonly string[]> = phrases(
  'bonjour|bonsoir|salut|coucou|hello|hey|hi|yo|rebonjour|re|salutations|bien le bonjour|' +
    'madame|monsieur|mesdames|messieurs|mme|mr|cher|chere|chers|a vous|a tous|a toutes|a toi|' +
    'a toute le equipe|tout le monde|a tout le monde|le equipe|la equipe|le assistant|le bot|le robot|a vous tous|' +
    'excusez moi|excuse moi|pardon|desole de vous deranger|desole|' +
    'une petite question|petite question|une question|question|je ai une question|je ai une petite question|' +
    'je ai une petite question rapide|question rapide|petite question rapide|' +
    'je me permets de vous ecrire|je vous ecris|je me permets|' +
    'alors|euh|ben|dites moi|dis moi|au fait|sinon|autre question',
);

const CLOSERS: ReadonlyArray<readonly string[]> = phrases(
  'merci|merci beaucoup|merci bien|merci de avance|merci par avance|merci davance|par avance|' +
    'merci pour votre aide|merci pour votre reponse|merci de votre aide|merci de votre reponse|' +
    'merci de me repondre|merci de me aider|' +
    'cordialement|bien cordialement|bien a vous|bonne journee|bonne soiree|bonne nuit|belle journee|' +
    'se il vous plait|se il te plait|please|a bientot|a plus',
);

function phrases(list: string): string[][] {
  // Longest first: « merci de avance » before « merci ».
  return list
    .split('|')
    .map((p) => p.split(' '))
    .sort((a, b) => b.length - a.length);
}

/** Words that ask nothing on their own: a frame around them only is kept whole. */
const EMPTY = new Set(['?', 'je', 'vous', 'a', 'le', 'la', 'les', 'de', 'et', 'me', 'se', 'il', 'ce', 'est']);

/** `tokens` without their polite opening and closing, when something else remains. */
export function withoutPoliteness(tokens: readonly string[]): readonly string[] {
  const words: Array<{ word: string; from: number; to: number }> = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (isClassToken(token)) {
      const last = words[words.length - 1];
      if (last) last.to = i + 1;
      continue;
    }
    words.push({ word: token, from: i, to: i + 1 });
  }
  let start = 0;
  for (;;) {
    const n = matchAt(words, start, OPENERS);
    if (n === 0) break;
    start += n;
  }
  let end = words.length;
  // A closing « ? » (« …merci d’avance ? ») stays: the question mark carries meaning, the thanks do not.
  const question = end > start && words[end - 1]?.word === '?';
  if (question) end -= 1;
  for (;;) {
    const n = matchBefore(words, end, start, CLOSERS);
    if (n === 0) break;
    end -= n;
  }
  if (start === 0 && end === words.length - (question ? 1 : 0)) return tokens;
  const kept = words.slice(start, end);
  if (!kept.some((w) => !EMPTY.has(w.word))) return tokens;
  const first = kept[0]?.from ?? 0;
  const last = kept[kept.length - 1]?.to ?? 0;
  const tail = question ? tokens.slice(words[words.length - 1]?.from ?? tokens.length) : [];
  return [...tokens.slice(first, last), ...tail];
}

function matchAt(
  words: ReadonlyArray<{ word: string }>,
  at: number,
  list: ReadonlyArray<readonly string[]>,
): number {
  for (const phrase of list)
    if (at + phrase.length <= words.length && phrase.every((w, j) => words[at + j]?.word === w))
      return phrase.length;
  return 0;
}

function matchBefore(
  words: ReadonlyArray<{ word: string }>,
  end: number,
  floor: number,
  list: ReadonlyArray<readonly string[]>,
): number {
  for (const phrase of list) {
    const at = end - phrase.length;
    if (at >= floor && phrase.every((w, j) => words[at + j]?.word === w)) return phrase.length;
  }
  return 0;
}
