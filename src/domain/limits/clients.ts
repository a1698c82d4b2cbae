/**
 * Which client a channel user came from, where the product sees the client at all. `/api/messages` only
 * sees the channel's servers; the Direct Line token route sees the visitor's address and chooses the user
 * id (`dl_…`) bound into the token. Remembering the pair there lets an account request be counted per
 * client address as well as per user: a new conversation costs a stranger one token, a new address costs
 * much more.
 */
export interface ClientDirectory {
  /** `clientKey` is already a digest: no address is stored. Forgotten after `ttlMs`. */
  remember(userId: string, clientKey: string, ttlMs: number): Promise<void>;
  clientOf(userId: string): Promise<string | undefined>;
}

/**
 * How long the pair is kept: a Web Chat conversation lasts a working day at most (the page asks for a new
 * token when reopened); after that, requests are counted per user only.
 */
export const CLIENT_MEMORY_MS = 24 * 3_600_000;
