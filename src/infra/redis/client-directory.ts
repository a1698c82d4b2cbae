import type { ClientDirectory } from '../../domain/limits/clients';
import type { RedisClient } from './client';
import { storeCall } from './errors';

/** `client:<user id>` → the client's digest, with its expiry: one SET and one GET, nothing else. */
export class RedisClientDirectory implements ClientDirectory {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    options: { prefix?: string } = {},
  ) {
    this.prefix = options.prefix ?? '';
  }

  async remember(userId: string, clientKey: string, ttlMs: number): Promise<void> {
    await storeCall('client directory', () =>
      this.redis.set(this.key(userId), clientKey, 'PX', Math.max(1, Math.round(ttlMs))),
    );
  }

  async clientOf(userId: string): Promise<string | undefined> {
    return (await storeCall('client directory', () => this.redis.get(this.key(userId)))) ?? undefined;
  }

  private key(userId: string): string {
    return `${this.prefix}client:${userId}`;
  }
}
