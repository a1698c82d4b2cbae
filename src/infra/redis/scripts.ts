import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';

export type ScriptArg = string | number;
export type RunScript = (keys: readonly string[], args: readonly ScriptArg[]) => Promise<unknown>;

/** Beside this file, so that a script is read with the code that depends on its exact replies. */
export const LUA_DIR = path.join(__dirname, 'lua');

/**
 * Registers `lua/<name>.lua` on the client (EVALSHA with a transparent EVAL fallback) and returns a typed
 * runner. Registering the same script twice on one client is harmless, so every store can do it.
 */
export function defineScript(redis: Redis, name: string): RunScript {
  const command = `ae_${name.replace(/-/g, '_')}`;
  redis.defineCommand(command, { lua: fs.readFileSync(path.join(LUA_DIR, `${name}.lua`), 'utf8') });
  const run = (redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>)[command];
  if (typeof run !== 'function') throw new Error(`Lua script ${name} could not be registered`);
  // Without numberOfKeys, ioredis expects the key count as the first argument.
  return (keys, args) => run.call(redis, keys.length, ...keys, ...args);
}
