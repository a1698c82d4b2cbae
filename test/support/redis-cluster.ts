import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort, untilReady } from './redis-server';

const run = promisify(execFile);

/** A redis-server (or sentinel) started by a test; only this handle ever kills it. */
export interface RedisProcess {
  readonly port: number;
  kill(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && (await portIsFree(port + 10_000))) return port;
  }
}

/** Starts `redis-server <args>` and waits until its log says `readyText`. */
export async function spawnRedis(port: number, args: string[], readyText: string): Promise<RedisProcess> {
  const proc: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await untilReady(proc, port, readyText);
  return {
    port,
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await exited;
      proc.stdout?.destroy();
      proc.stderr?.destroy();
    },
  };
}

const NO_PERSISTENCE = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface TestCluster {
  readonly ports: readonly number[];
  /** `127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`, as REDIS_CLUSTER_NODES is written. */
  readonly nodesEnv: string;
  /** A cluster client for the test's own checks (closed by stop()). */
  readonly client: Cluster;
  /** Kills the server on `port` (SIGKILL, as a crash would). */
  killNode(port: number): Promise<void>;
  /** Every key of every master matching `pattern` (SCAN on each master: KEYS is per node on a Cluster). */
  keys(pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster on free ports, without replicas nor persistence, in a temporary
 * directory removed by stop(); every server started here is killed by stop(), even after a failed start.
 */
export async function startRedisCluster(): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-cluster-'));
  const servers: RedisProcess[] = [];
  const cleanup = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let client: Cluster | undefined;
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) ports.push(await freeClusterPort());
    for (const port of ports) {
      servers.push(
        await spawnRedis(
          port,
          [
            '--port',
            String(port),
            '--cluster-enabled',
            'yes',
            // A dead master is noticed after 3 s (15 s by default), still far above a busy test machine's hiccups.
            '--cluster-node-timeout',
            '3000',
            '--cluster-config-file',
            path.join(dir, `nodes-${port}.conf`),
            '--dir',
            dir,
            ...NO_PERSISTENCE,
          ],
          'Ready to accept connections',
        ),
      );
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      const node = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await node.connect();
        await until(`cluster_state:ok on ${port}`, async () =>
          (await node.cluster('INFO')).includes('cluster_state:ok'),
        );
      } finally {
        node.disconnect();
      }
    }
    const started = new Cluster(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
    client = started;
    await until('the cluster client', async () => (await started.ping()) === 'PONG');
    return {
      ports,
      nodesEnv: addresses.join(','),
      client: started,
      async killNode(port) {
        await servers.find((s) => s.port === port)?.kill();
      },
      async keys(pattern) {
        const found: string[] = [];
        for (const master of started.nodes('master')) {
          let cursor = '0';
          do {
            const [next, batch] = await master.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
            cursor = next;
            found.push(...batch);
          } while (cursor !== '0');
        }
        return [...new Set(found)];
      },
      async stop() {
        started.disconnect();
        await cleanup();
      },
    };
  } catch (error) {
    client?.disconnect();
    await cleanup();
    throw error;
  }
}

export interface TestSentinel {
  readonly masterName: string;
  /** `127.0.0.1:S`, as REDIS_SENTINELS is written. */
  readonly sentinelsEnv: string;
  readonly masterPort: number;
  readonly replicaPort: number;
  /** The port of the master the sentinel names now. */
  currentMasterPort(): Promise<number>;
  /** Kills the master (SIGKILL, as a crash would), once the replica has all its writes. */
  killMaster(): Promise<void>;
  /** Waits until the sentinel has promoted the replica and the replica takes writes. */
  promoted(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A master, one replica and one sentinel (quorum 1, master down after 1 s) on free ports, in a temporary directory (the sentinel
 * rewrites its configuration file) removed by stop(), which kills the three servers.
 */
export async function startRedisSentinel(masterName = 'mymaster'): Promise<TestSentinel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-sentinel-'));
  const servers: RedisProcess[] = [];
  const connections: Redis[] = [];
  const cleanup = async () => {
    for (const c of connections) c.disconnect();
    await Promise.all(servers.map((s) => s.kill()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await freePort();
    const replicaPort = await freePort();
    const sentinelPort = await freePort();
    // No 5 s wait before the replica's first sync.
    const base = ['--dir', dir, '--repl-diskless-sync-delay', '0', ...NO_PERSISTENCE];
    servers.push(
      await spawnRedis(masterPort, ['--port', String(masterPort), ...base], 'Ready to accept connections'),
    );
    servers.push(
      await spawnRedis(
        replicaPort,
        ['--port', String(replicaPort), '--replicaof', '127.0.0.1', String(masterPort), ...base],
        'Ready to accept connections',
      ),
    );
    const conf = path.join(dir, 'sentinel.conf');
    fs.writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        'protected-mode no',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        '',
      ].join('\n'),
    );
    servers.push(await spawnRedis(sentinelPort, [conf, '--sentinel'], '+monitor master'));
    const sentinel = new Redis(sentinelPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
    connections.push(sentinel);
    const replica = new Redis(replicaPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
    connections.push(replica);
    const master = new Redis(masterPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
    connections.push(master);
    await until('the replica in sync', async () =>
      (await replica.info('replication')).includes('master_link_status:up'),
    );

    const currentMasterPort = async () => {
      const reply = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as string[];
      return Number(reply[1]);
    };
    return {
      masterName,
      sentinelsEnv: `127.0.0.1:${sentinelPort}`,
      masterPort,
      replicaPort,
      currentMasterPort,
      async killMaster() {
        await until('the replica to have every write', async () => {
          const offset = (info: string) => /master_repl_offset:(\d+)/.exec(info)?.[1];
          const [ofMaster, ofReplica] = await Promise.all([
            master.info('replication'),
            replica.info('replication'),
          ]);
          return offset(ofMaster) !== undefined && offset(ofMaster) === offset(ofReplica);
        });
        master.disconnect();
        await servers[0]?.kill();
      },
      async promoted() {
        await until(
          'the sentinel to name the new master',
          async () => (await currentMasterPort()) === replicaPort,
        );
        await until('the new master to accept writes', async () =>
          (await replica.info('replication')).includes('role:master'),
        );
      },
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
