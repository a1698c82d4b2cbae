/** Words that open a question: a clause joined by « et » that starts with one is a question of its own. */
const QUESTION_WORD =
  /^(?:(?:aussi|puis|surtout|enfin)\s+)?(?:(?:sur|à|a|de|par|pour|depuis|dans|avec|chez)\s+)?(quand|comment|ou|où|combien|pourquoi|qui|quel|quelle|quels|quelles|est-ce|est ce|puis-je|peut-on|dois-je|faut-il|jusqu|si\s)/i;

/**
 * Words that join a question to the one before without being part of it: « Et les résultats ? »,
 * « Aussi, j'ai perdu ma notice », « et c jusqua qd ? ». Taken off the piece so that it reads alone.
 */
const CONNECTOR =
  /^(?:(?:et|mais|puis|sinon|ensuite|enfin)\s+(?:aussi\s+|sinon\s+|puis\s+|surtout\s+|encore\s+)?|aussi\s*,?\s+|par contre\s*,?\s+|autre question\s*:?\s*,?\s*)/i;

/**
 * The questions of a long message, in order: « Quand commence le vote ? Et je peux encore créer mon
 * compte ? », « …quand est-ce que le vote commence et jusqu'à quand je peux créer mon compte », « …est-ce
 * obligatoire et sur quel site on vote ? », « …jusqu'à quand voter, et si je peux le faire de chez moi ».
 * Each piece has three words at least, or two when a « ? » ends it (« est-ce obligatoire ? »), its joining
 * word taken off (« et », « aussi »); at most four pieces are kept. One piece: the message asks one thing.
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
  const kept = pieces
    .map((p) => ({ ...p, text: withoutConnector(p.text.trim().replace(/[,:]+$/, '')) }))
    .filter((p) => p.text.split(/\s+/).length >= (p.asked ? 2 : 3))
    .map((p) => p.text)
    .slice(0, 4);
  return kept.map((piece, i) => withAction(piece, kept.slice(0, i)));
}

/** What « le faire » stands for: the last action named before it (« voter », « créer mon compte »). */
const ACTION =
  /\b(voter|cr[ée]er\s+(?:mon|son|votre|le|un)\s+compte(?:\s+[ée]lecteur)?|activer\s+(?:ma|sa|votre|la)\s+messagerie)\b/gi;
const DO_IT = /\bl(?:e\s+|['’]\s*)faire\b/i;

/**
 * « …jusqu'à quand voter, et si je peux le faire depuis chez moi ? »: the second question, read alone,
 * names no action; « le faire » is the one named before (« voter »).
 */
function withAction(piece: string, before: readonly string[]): string {
  if (!DO_IT.test(piece)) return piece;
  const named = before.flatMap((b) => [...b.matchAll(ACTION)].map((m) => m[1] ?? ''));
  const action = named[named.length - 1];
  return action ? piece.replace(DO_IT, action) : piece;
}

/** « et aussi est-ce que… » → « est-ce que… »; a piece that is only a connector stays as it is. */
function withoutConnector(piece: string): string {
  const bare = piece.replace(CONNECTOR, '').trim();
  return bare.length > 0 ? bare : piece;
}

function findQuestionJoin(text: string): number {
  let from = 0;
  for (;;) {
    const at = text.indexOf(' et ', from);
    if (at < 0) return -1;
    if (QUESTION_WORD.test(text.slice(at + 4, at + 40).trimStart())) return at;
    from = at + 4;
  }
}
