import assert from 'node:assert/strict';
import { createLogger, maskAddresses, plainLines } from '../src/log';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logger redaction', () => {
  it('masks addresses in the message, in interpolated values and at any depth, keeping the domain', () => {
    const { logger, records } = capture();
    logger.info(
      { detail: { note: 'refusé pour marie.curie@ac-creteil.fr', list: ['jean.dupont@gmail.com'] } },
      'envoi à %s',
      'paul.martin@ac-paris.fr',
    );
    logger.info('message libre jean.martin@ac-paris.fr');
    const text = JSON.stringify(records());
    for (const address of ['marie.curie', 'jean.dupont', 'paul.martin', 'jean.martin'])
      assert.ok(!text.includes(address), `${address} leaked: ${text}`);
    assert.match(text, /\[masqué\]@ac-creteil\.fr/);
    assert.match(text, /envoi à \[masqué\]@ac-paris\.fr/);
  });

  it('masks addresses in errors (message, stack, SMTP reply) and keeps their class and code', () => {
    const { logger, records } = capture();
    class SmtpError extends Error {}
    const error = Object.assign(new SmtpError('550 <jean.dupont@ac-paris.fr>: unknown user'), {
      code: 'EENVELOPE',
      response: '550 5.1.1 <jean.dupont@ac-paris.fr> unknown',
    });
    logger.error({ err: error }, 'mail refusé');
    logger.error(error, 'mail refusé encore');
    const [first, second] = records() as Array<{ err: Record<string, string> }>;
    for (const record of [first, second]) {
      assert.ok(!JSON.stringify(record).includes('jean.dupont'), JSON.stringify(record));
      assert.equal(record?.err.type, 'SmtpError');
      assert.equal(record?.err.code, 'EENVELOPE');
      assert.match(record?.err.response ?? '', /\[masqué\]@ac-paris\.fr/);
    }
    // The original error is untouched: it may still be on its way elsewhere.
    assert.match(error.message, /jean\.dupont@ac-paris\.fr/);
  });

  it('masks NUMENs, confirmation links and tokens found in free text', () => {
    const { logger, records } = capture();
    const token = 'A'.repeat(43);
    logger.warn(
      { detail: `numen 12 AB 123 456 XYZ, lien https://vote.example/confirmation?jeton=${token}` },
      'détail',
    );
    const text = JSON.stringify(records());
    assert.ok(!text.includes('123 456'), text);
    assert.ok(!text.includes(token), text);
  });

  it('censors the known secret fields entirely', () => {
    const { logger, records } = capture();
    logger.info({ password: 'Motdepasse1', activity: { text: 'Motdepasse1' }, token: 'x' }, 'champs');
    const text = JSON.stringify(records());
    assert.ok(!text.includes('Motdepasse1'), text);
  });

  it('survives cycles and bounds huge strings', () => {
    const { logger, records } = capture();
    const loop: Record<string, unknown> = { name: 'boucle' };
    loop.self = loop;
    logger.info({ loop, big: `${'a'.repeat(100_000)}@ac-paris.fr` }, 'gros');
    const [record] = records() as Array<{ big: string }>;
    assert.ok((record?.big.length ?? 0) < 10_000, 'the string is cut');
  });

  it('leaves text without an address as it is', () => {
    assert.equal(maskAddresses('rien à masquer : 12 h 30'), 'rien à masquer : 12 h 30');
    assert.equal(maskAddresses('a@b'), 'a@b');
  });
});

describe('plain log lines (the terminal demo)', () => {
  it('reads as a line of text, and still masks what the JSON logs mask', () => {
    const out: string[] = [];
    const logger = createLogger('info', plainLines({ write: (text: string) => out.push(text) }));
    logger.warn(
      { email: 'jean.martin@ac-paris.fr', detail: { note: 'pour marie.curie@ac-creteil.fr' } },
      'envoi',
    );
    logger.info('prêt');
    assert.equal(out.length, 2);
    assert.match(
      out[0] ?? '',
      /^\d{2}:\d{2}:\d{2} WARN {2}envoi {2}email=\[masqué\] detail=\{"note":"pour \[masqué\]@ac-creteil\.fr"\}\n$/,
    );
    assert.match(out[1] ?? '', /^\d{2}:\d{2}:\d{2} INFO {2}prêt\n$/);
    assert.ok(!out.join('').includes('jean.martin') && !out.join('').includes('marie.curie'));
    assert.ok(!out.join('').startsWith('{'), 'not JSON');
  });
});
