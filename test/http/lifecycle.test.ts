import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { createBackgroundTasks, createRequestTracker } from '../../src/http/lifecycle';
import { createHttpServer } from '../../src/http/server';
import { silentLogger } from '../../src/log';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('request tracker', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
  });

  it('counts a request until its response ends, and /healthz says draining once shutdown began', async () => {
    const tracker = createRequestTracker();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    server = createHttpServer(
      {
        messages: async (_req, res) => {
          await held;
          res.writeHead(200);
          res.end();
        },
        healthy: async () => true,
        tracker,
      },
      silentLogger(),
    );
    const url = await listen(server);
    const slow = fetch(`${url}/api/messages`, { method: 'POST' });
    while (tracker.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await tracker.idle(50), false, 'not idle while the request runs');

    tracker.beginDrain();
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'draining' });
    assert.equal(health.headers.get('connection'), 'close');

    const idle = tracker.idle(5_000);
    release();
    assert.equal((await slow).status, 200);
    assert.equal(await idle, true);
    assert.equal(tracker.inFlight, 0);
  });
});

describe('background tasks', () => {
  it('waits for the tasks started, ignoring their failures, within a bound', async () => {
    const tasks = createBackgroundTasks();
    let done = false;
    tasks.run(
      new Promise((resolve) => setTimeout(resolve, 30)).then(() => {
        done = true;
      }),
    );
    tasks.run(Promise.reject(new Error('proactive message failed')));
    assert.equal(await tasks.settled(2_000), true);
    assert.equal(done, true);

    tasks.run(new Promise(() => undefined));
    assert.equal(await tasks.settled(30), false, 'a task that never ends does not hold shutdown');
  });
});
