import fs from 'node:fs';
import path from 'node:path';
import type { RedisClient } from './client';

export type ScriptArg = string | number;
export type RunScript = (keys: readonly string[], args: readonly ScriptArg[]) => Promise<unknown>;

/** Beside this file, so that a script is read with the code that depends on its exact replies. */
export const LUA_DIR = path.join(__dirname, 'lua');

/** `--#include <name>` on a line of its own is replaced by `lua/lib/<name>.lua` (shared functions). */
const INCLUDE = /^--#include ([a-z-]+)$/gm;

/** The source of `lua/<name>.lua` with its includes expanded (exported for tests). */
export function scriptSource(name: string): string {
  const source = fs.readFileSync(path.join(LUA_DIR, `${name}.lua`), 'utf8');
  return source.replace(INCLUDE, (_, lib: string) =>
    fs.readFileSync(path.join(LUA_DIR, 'lib', `${lib}.lua`), 'utf8').trimEnd(),
  );
}

/**
 * Registers `lua/<name>.lua` on the client (EVALSHA with a transparent EVAL fallback) and returns a typed
 * runner. Registering the same script twice on one client is harmless, so every store can do it.
 *
 * Every key a script touches must be passed in `keys`, never built inside the script, and all of them
 * must share a hash tag (see keys.ts): that is what lets the same scripts run on a Redis Cluster, where
 * ioredis routes the call by its keys' slot.
 */
export function defineScript(redis: RedisClient, name: string): RunScript {
  const command = `ae_${name.replace(/-/g, '_')}`;
  redis.defineCommand(command, { lua: scriptSource(name) });
  const run = (redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>)[command];
  if (typeof run !== 'function') throw new Error(`Lua script ${name} could not be registered`);
  // Without numberOfKeys, ioredis expects the key count as the first argument.
  return (keys, args) => run.call(redis, keys.length, ...keys, ...args);
}
