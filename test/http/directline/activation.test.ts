import assert from 'node:assert/strict';
import { type BotHarness, confirmByLink, linkIn, startBot } from '../../support/bot-harness';
import { directLineChat } from '../../support/directline-chat';
import { requestAccount, SENT } from '../../support/walk';

const STRONG = 'Electeur2014';

describe('a whole activation through the local Direct Line (real HTTP, WebSocket, Redis, SMTP)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ LOCAL_DIRECTLINE: '1' });
  });
  after(async () => bot.close());

  it('cards on the directline channel, the masked password card, and the proactive « compte confirmé »', async () => {
    const chat = await directLineChat(bot.url);
    const sent = await requestAccount(chat, 'jeanne.martin@ac-paris.fr', STRONG);
    assert.match(sent, SENT);
    // The password card was a card (the channel renders them).
    const activities = chat.stream().activities();
    assert.ok(
      activities.some((a) =>
        a.attachments?.some((c) => c.contentType === 'application/vnd.microsoft.card.adaptive'),
      ),
    );

    const [mail] = await bot.smtp.waitForMessages(1);
    assert.ok(mail);
    assert.equal((await confirmByLink(linkIn(mail.text), STRONG)).status, 200);

    // The bot's proactive message goes to the serviceUrl it stored: the emulation, then the stream.
    const confirmed = await chat
      .stream()
      .waitFor((a) => /Votre compte électeur est confirmé/.test(a.text ?? ''));
    assert.equal(confirmed.from?.role, 'bot');
    // The bot never repeats the password (the echo of the card submission is the client's own value).
    const fromBot = chat
      .stream()
      .activities()
      .filter((a) => a.from?.role === 'bot');
    assert.ok(!JSON.stringify(fromBot).includes(STRONG));
    await chat.close();
  });
});
