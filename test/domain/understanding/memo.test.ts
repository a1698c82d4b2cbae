import assert from 'node:assert/strict';
import { tokenize } from '../../../src/domain/understanding/features';
import { memoByText } from '../../../src/domain/understanding/memo';
import { normaliseText } from '../../../src/domain/understanding/normalise';

describe('memoByText: each text worked out once', () => {
  const counted = () => {
    const seen: string[] = [];
    const compute = (text: string) => {
      seen.push(text);
      return text.toUpperCase();
    };
    return { seen, compute };
  };

  it('computes a text once, then finds it again', () => {
    const { seen, compute } = counted();
    const upper = memoByText(compute, { maxEntries: 10, maxLength: 100 });
    assert.equal(upper('aide'), 'AIDE');
    assert.equal(upper('aide'), 'AIDE');
    assert.equal(upper('vote'), 'VOTE');
    assert.deepEqual(seen, ['aide', 'vote']);
  });

  it('keeps no text longer than its bound, and forgets everything once full', () => {
    const { seen, compute } = counted();
    const upper = memoByText(compute, { maxEntries: 2, maxLength: 5 });
    upper('trop long');
    upper('trop long');
    assert.equal(seen.length, 2, 'a long text is computed every time');
    upper('a');
    upper('b');
    upper('c');
    upper('a');
    assert.deepEqual(seen.slice(2), ['a', 'b', 'c', 'a'], 'full at two: forgotten, then computed again');
  });

  it('gives every reader of a message its own tokens', () => {
    const first = tokenize('Quand a lieu le vote ?');
    first.push('modifié');
    assert.deepEqual(tokenize('Quand a lieu le vote ?'), first.slice(0, -1));
    assert.equal(normaliseText('  Créer mon compte ! '), 'creer mon compte');
    assert.equal(normaliseText('  Créer mon compte ! '), 'creer mon compte');
  });
});
