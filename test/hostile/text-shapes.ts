/**
 * Texts shaped to make a careless pattern backtrack: long runs of what a scanner skips or retries from
 * (spaces, punctuation, quotes, apostrophes, digits with separators, repeated words, « @ », emoji, RTL
 * script), each exactly `length` UTF-16 code units. Shared by test/hostile/linear-time.test.ts and
 * bench/hostile-text.ts.
 */
export interface TextShape {
  readonly name: string;
  build(length: number): string;
}

/** `unit` repeated to exactly `length` code units, between `head` and `tail`. */
function run(unit: string, head = '', tail = ''): (length: number) => string {
  return (length) => {
    const body = length - head.length - tail.length;
    const times = Math.ceil(body / unit.length);
    return head + unit.repeat(times).slice(0, body) + tail;
  };
}

export const TEXT_SHAPES: readonly TextShape[] = [
  // The reproduction: a run of spaces and dots between two letters.
  { name: 'space-dot run « a . . . x »', build: run(' .', 'a', 'x') },
  { name: 'spaces « a      x »', build: run(' ', 'a', 'x') },
  { name: 'no-break spaces and tabs', build: run('\u00a0\u202f\t ', 'a', 'x') },
  { name: 'punctuation « a.!,;:x »', build: run('.!,;:', 'a', 'x') },
  { name: 'question marks and ellipses « a?…?…x »', build: run('?…', 'a', 'x') },
  { name: 'quotes « a« » "x »', build: run('« » "', 'a', 'x') },
  { name: 'curly quotes « a“”‘’x »', build: run('“”‘’', 'a', 'x') },
  { name: "apostrophes « a'’`ʼx »", build: run("'’`ʼ", 'a', 'x') },
  { name: 'digits with separators « 1 2.3-4/5_6–7— »', build: run('1 2.3-4/5_6–7—') },
  { name: 'one long number', build: run('0123456789') },
  { name: 'NUMEN-like groups « 12 AB 123 »', build: run('12 AB 123 ') },
  { name: 'repeated words « mot de passe »', build: run('mot de passe ') },
  { name: 'one long word', build: run('a') },
  { name: 'at signs « @@@ »', build: run('@') },
  { name: 'address-like « a.a.a…@ »', build: run('a.', '', '@') },
  { name: 'emoji', build: run('😀') },
  { name: 'RTL script « مرحبا بكم »', build: run('\u200fمرحبا بكم ') },
  { name: 'markup « <&<& »', build: run('<&#') },
];

/** A plain question, the reference a hostile text's cost is compared to. */
export const PLAIN_QUESTION = 'Quand a lieu le vote ?';
