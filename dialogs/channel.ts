/** Channels that render Adaptive Cards 1.5 and suggested actions. Others get plain text only. */
const RICH_CHANNELS = new Set(['webchat', 'directline', 'msteams', 'emulator']);

export function rendersCards(channelId: string | undefined): boolean {
  return channelId !== undefined && RICH_CHANNELS.has(channelId);
}

export const rendersSuggestedActions = rendersCards;
