import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { loadConversations, report, runConversation } from '../../scripts/eval-dialogue';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../support/redis';

/**
 * Whole conversations written the way teachers write (issue 11), over /api/messages on the real app with
 * real Redis; each file of test/dialogue/conversations says what it checks. The held-out set of
 * test/fixtures/dialogue-heldout is not here: it is scored by `npm run eval:dialogue`, never trained on.
 */
describe('conversations as teachers write them (issue 11, real app and Redis)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  before(async () => {
    redis = await testRedis();
  });
  after(async () => {
    await redis?.cleanup();
  });

  for (const conversation of loadConversations(path.join(__dirname, 'conversations'))) {
    it(`${conversation.id}: ${conversation.description}`, async () => {
      const result = await runConversation(conversation, {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `${redis.prefix}${conversation.id}:`,
      });
      if (!result.passed) throw new Error(report(result, true));
    });
  }
});
