/** Words that open a question: a clause joined by « et » that starts with one is a question of its own. */
const QUESTION_WORD =
  /^(quand|comment|ou|où|combien|pourquoi|qui|quel|quelle|quels|quelles|est-ce|est ce|puis-je|peut-on|dois-je|faut-il|jusqu)/i;

/**
 * The questions of a long message, in order: « Quand commence le vote ? Et je peux encore créer mon
 * compte ? », « …quand est-ce que le vote commence et jusqu'à quand je peux créer mon compte ». Each piece
 * has three words at least, or two when a « ? » ends it (« est-ce obligatoire ? »); at most four pieces
 * are kept. One piece: the message asks one thing.
 */
export function questionsOf(text: string): string[] {
  const sample = text.slice(0, 2_000);
  const pieces: Array<{ text: string; asked: boolean }> = [];
  // Sentences and their ends, alternately: the end says whether the sentence was a question.
  const parts = sample.split(/([?!;\n]+|\.(?:\s+|$))/);
  for (let i = 0; i < parts.length; i += 2) {
    const asked = (parts[i + 1] ?? '').includes('?');
    // « …commence et jusqu'à quand… »: split on « et » only before a question word.
    let rest = parts[i] ?? '';
    for (;;) {
      const at = findQuestionJoin(rest);
      if (at < 0) break;
      pieces.push({ text: rest.slice(0, at), asked: false });
      rest = rest.slice(at + 4);
    }
    pieces.push({ text: rest, asked });
  }
  return pieces
    .map((p) => ({ ...p, text: p.text.trim() }))
    .filter((p) => p.text.split(/\s+/).length >= (p.asked ? 2 : 3))
    .map((p) => p.text)
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
