/**
 * Raw argon2id rate with the bot's own hasher and parameters (src/infra/argon2-hasher.ts), in the bot's
 * process conditions: run by the bench pinned to the server core, with as many hashes in flight as the
 * libuv thread pool has threads (where @node-rs/argon2 runs them).
 *
 * argv: durationMs. Prints one JSON line: { hashes, elapsedMs, perSecond, concurrency, meanMs, cpuMsPerHash }.
 */
import { createArgon2Hasher, OWASP_ARGON2ID } from '../src/infra/argon2-hasher';

async function main(): Promise<void> {
  const durationMs = Number(process.argv[2] ?? 5_000);
  // The bot process's thread pool size (libuv's default: 4): that many hashes run at once there.
  const concurrency = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const hasher = createArgon2Hasher();
  // Warm-up: the first hash allocates the memory blocks.
  await Promise.all(Array.from({ length: concurrency }, () => hasher.hash('Echauffement2014')));
  let hashes = 0;
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  let last = start;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      let i = 0;
      while (performance.now() < end) {
        const t0 = performance.now();
        await hasher.hash(`Electeur${worker}x${i++}`);
        last = performance.now();
        latencies.push(last - t0);
        hashes += 1;
      }
    }),
  );
  const elapsedMs = last - start;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({
      hashes,
      elapsedMs,
      perSecond: (hashes * 1000) / elapsedMs,
      concurrency,
      meanMs: latencies.reduce((a, b) => a + b, 0) / latencies.length,
      /** All threads: what one hash costs the core, whatever else runs on it. */
      cpuMsPerHash: (cpu.user + cpu.system) / 1000 / hashes,
      params: OWASP_ARGON2ID,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
