/** Channels that render Adaptive Cards 1.5 and suggested actions. Others get plain text only. */
const RICH_CHANNELS = new Set(['webchat', 'directline', 'msteams', 'emulator']);

export function rendersCards(channelId: string | undefined): boolean {
  return channelId !== undefined && RICH_CHANNELS.has(channelId);
}

export const rendersSuggestedActions = rendersCards;

/**
 * Teams shows at most three suggested actions, with titles of at most 20 characters; beyond that the
 * options go in a card with buttons there.
 */
export function fitsSuggestedActions(channelId: string | undefined, titles: readonly string[]): boolean {
  if (channelId !== 'msteams') return titles.length <= 10;
  return titles.length <= 3 && titles.every((title) => [...title].length <= 20);
}
