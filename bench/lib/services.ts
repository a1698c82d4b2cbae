import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type Spawned, spawnPinned } from './procs';

/** A port nothing listens on right now (the OS picked it, then it was released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A private redis-server without persistence, so that INFO and MEMORY figures are the bench's alone.
 * It goes on the driver's core: on two cores, the server core is for the bot process only. It runs with
 * the setting README › Production asks of the production Redis (`hash-max-listpack-value 256`: the hashes
 * of a pending account stay in Redis's compact encoding); the memory figures also give Redis's default.
 */
export const HASH_MAX_LISTPACK_VALUE = '256';

export async function startRedis(core?: number): Promise<{ url: string; port: number; proc: Spawned }> {
  const port = await freePort();
  const proc = spawnPinned(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
      '--hash-max-listpack-value',
      HASH_MAX_LISTPACK_VALUE,
    ],
    { core, name: 'redis-server' },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${proc.output()}`)),
      10_000,
    );
    const onData = () => {
      if (proc.output().includes('Ready to accept connections')) {
        clearTimeout(timer);
        proc.child.stdout?.off('data', onData);
        resolve();
      }
    };
    proc.child.stdout?.on('data', onData);
    proc.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${proc.output()}`));
    });
  });
  return { url: `redis://127.0.0.1:${port}`, port, proc };
}

export interface MailCounter {
  readonly url: string;
  /** performance.now() of each mail fully received, in order. */
  readonly arrivals: number[];
  /** Envelope recipients, one entry per mail. */
  readonly recipients: string[];
  waitFor(n: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server that only counts: unlike the tests' sink it does not parse the mails, so that it
 * never becomes the bottleneck of the mails/s figure.
 */
export async function startMailCounter(): Promise<MailCounter> {
  const arrivals: number[] = [];
  const recipients: string[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('error', callback);
      stream.on('end', () => {
        arrivals.push(performance.now());
        recipients.push(session.envelope.rcptTo.map((r) => r.address).join(','));
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const { port } = server.server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    recipients,
    waitFor(n, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (arrivals.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`smtp: ${arrivals.length} mail(s) after ${timeoutMs} ms, expected ${n}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
