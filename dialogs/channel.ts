/** Channels that render Adaptive Cards 1.5 and suggested actions. Others get plain text only. */
const RICH_CHANNELS = new Set(['webchat', 'directline', 'msteams', 'emulator']);

export function rendersCards(channelId: string | undefined): boolean {
  return channelId !== undefined && RICH_CHANNELS.has(channelId);
}

export const rendersSuggestedActions = rendersCards;

/** Teams shows at most three suggested actions; longer menus go in a card with buttons there. */
export function maxSuggestedActions(channelId: string | undefined): number {
  return channelId === 'msteams' ? 3 : 10;
}
