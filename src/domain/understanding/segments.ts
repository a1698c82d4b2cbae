/** Words that open a question: a clause joined by « et » that starts with one is a question of its own. */
const QUESTION_WORD =
  /^(quand|comment|ou|où|combien|pourquoi|qui|quel|quelle|quels|quelles|est-ce|est ce|puis-je|peut-on|dois-je|faut-il|jusqu)/i;

/**
 * The questions of a long message, in order: « Quand commence le vote ? Et je peux encore créer mon
 * compte ? », « …quand est-ce que le vote commence et jusqu'à quand je peux créer mon compte ». Each piece
 * has a few words at least; at most four pieces are kept. One piece: the message asks one thing.
 */
export function questionsOf(text: string): string[] {
  const sample = text.slice(0, 2_000);
  const pieces: string[] = [];
  for (const sentence of sample.split(/[?!;\n]+|\.(?:\s+|$)/)) {
    // « …commence et jusqu'à quand… »: split on « et » only before a question word.
    let rest = sentence;
    for (;;) {
      const at = findQuestionJoin(rest);
      if (at < 0) break;
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at + 4);
    }
    pieces.push(rest);
  }
  return pieces
    .map((p) => p.trim())
    .filter((p) => p.split(/\s+/).length >= 3)
    .slice(0, 4);
}

function findQuestionJoin(text: string): number {
  let from = 0;
  for (;;) {
    const at = text.indexOf(' et ', from);
    if (at < 0) return -1;
    if (QUESTION_WORD.test(text.slice(at + 4, at + 20).trimStart())) return at;
    from = at + 4;
  }
}
