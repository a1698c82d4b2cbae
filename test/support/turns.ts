import type { TurnGuard } from '../../src/domain/turns/ports';

/**
 * The turn guard's two guarantees seen one at a time, as the tests of the former API checked them: a turn
 * of `channelId`'s conversation `conversationId` (one conversation per activity id unless given), and a
 * turn that runs `fn` under the conversation's lock. A turn that throws ends as failed.
 */
export async function isDuplicate(
  guard: TurnGuard,
  channelId: string,
  activityId: string,
  conversationId = 'conv-dup',
): Promise<boolean> {
  const turn = await guard.begin({ channelId, conversationId, activityId });
  if (turn === 'duplicate') return true;
  await turn.end({ failed: false });
  return false;
}

/** Ends the turn of an activity as failed: the channel's retry must then be processed. */
export async function failTurn(
  guard: TurnGuard,
  channelId: string,
  activityId: string,
  conversationId = 'conv-dup',
): Promise<void> {
  const turn = await guard.begin({ channelId, conversationId, activityId });
  if (turn === 'duplicate') throw new Error('the activity was already seen');
  await turn.end({ failed: true });
}

/** `conversationKey` is `<channel>:<conversation>`, as the middleware names them. */
export async function withLock<T>(
  guard: TurnGuard,
  conversationKey: string,
  fn: () => Promise<T>,
): Promise<T> {
  const at = conversationKey.indexOf(':');
  const turn = await guard.begin({
    channelId: at > 0 ? conversationKey.slice(0, at) : 'webchat',
    conversationId: at > 0 ? conversationKey.slice(at + 1) : conversationKey,
  });
  if (turn === 'duplicate') throw new Error('a turn without activity id is never a duplicate');
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await turn.end({ failed: true }).catch(() => undefined);
    throw error;
  }
  await turn.end({ failed: false });
  return result;
}
