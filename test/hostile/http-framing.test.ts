import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';

/** Writes raw bytes on a fresh connection and returns the status of the first response, if any. */
function rawStatus(port: number, request: string | Buffer): Promise<number | 'closed without answer'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 5 s'));
    }, 5_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (match) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed without answer');
    });
    socket.write(request);
  });
}

/** Requests no HTTP client library would send: Node's parser or our route must answer them with a 4xx. */
describe('malformed HTTP framing on /api/messages', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let port: number;

  before(async () => {
    bot = await startBot();
    port = Number(new URL(bot.url).port);
  });
  after(async () => {
    await bot?.close();
  });

  const head = 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
  /** Name, bytes, and the status Node's parser or our route gives (Node 20). */
  const cases: Array<[string, string | Buffer, number]> = [
    ['a negative Content-Length', `${head}Content-Length: -1\r\n\r\n{}`, 400],
    ['a Content-Length that is not a number', `${head}Content-Length: abc\r\n\r\n{}`, 400],
    ['two different Content-Lengths', `${head}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400],
    [
      'Content-Length and chunked together (smuggling)',
      `${head}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      400,
    ],
    ['a bad chunk size', `${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400],
    ['a declared length far over the limit, never sent', `${head}Content-Length: 999999999\r\n\r\n`, 413],
    ['a header of 20 KB', `${head}X-Filler: ${'x'.repeat(20 * 1024)}\r\nContent-Length: 2\r\n\r\n{}`, 431],
    ['a NUL in a header', `${head}X-Bad: a\u0000b\r\nContent-Length: 2\r\n\r\n{}`, 400],
    ['a bare LF line ending', 'POST /api/messages HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}', 400],
    ['an unknown method', 'BREW /api/messages HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['PUT', 'PUT /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}', 405],
    [
      'an absolute-form URI to elsewhere',
      'POST http://evil.example/api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}',
      404,
    ],
    ['binary garbage', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), 400],
  ];

  for (const [name, request, expected] of cases) {
    it(`${name}: ${expected}, neither a 5xx nor a hang-up`, async () => {
      assert.equal(await rawStatus(port, request), expected);
    });
  }

  it('still answers a normal conversation afterwards', async () => {
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    assert.match(textOf(await bot.conversation('webchat').join()), /Assistant électeur/);
  });
});
