import assert from 'node:assert/strict';
import { ConfigurationBotFrameworkAuthentication, TeamsInfo, type TurnContext } from 'botbuilder';
import sinon from 'sinon';
import { createAdapter } from '../../src/bot/adapter';
import { silentLogger } from '../../src/log';
import { startFakeConnector } from '../support/fake-connector';

type Factory = { create: (...args: unknown[]) => Promise<unknown> };

describe('the adapter builds the channel’s clients only when a turn uses them', () => {
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  /** Every connector factory botbuilder made, with its `create` watched. */
  let creates: sinon.SinonSpy[];
  let tokenClients: sinon.SinonSpy;

  beforeEach(async () => {
    connector = await startFakeConnector();
    creates = [];
    const authenticate = ConfigurationBotFrameworkAuthentication.prototype.authenticateRequest;
    sinon
      .stub(ConfigurationBotFrameworkAuthentication.prototype, 'authenticateRequest')
      .callsFake(async function (this: ConfigurationBotFrameworkAuthentication, ...args) {
        const result = await authenticate.apply(this, args);
        creates.push(sinon.spy(result.connectorFactory as unknown as Factory, 'create'));
        return result;
      });
    tokenClients = sinon.spy(ConfigurationBotFrameworkAuthentication.prototype, 'createUserTokenClient');
  });
  afterEach(async () => {
    sinon.restore();
    await connector.close();
  });

  type Logic = (context: TurnContext) => Promise<void>;
  /** CloudAdapter.process without restify: the activity as posted, no Authorization header. */
  const run = (body: Record<string, unknown>, logic: Logic) => {
    const adapter = createAdapter(
      { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined },
      [],
      silentLogger(),
    ) as unknown as {
      processActivity(auth: string, activity: unknown, logic: Logic): Promise<{ body?: unknown } | undefined>;
    };
    return adapter.processActivity('', body, logic);
  };
  const activity = (fields: Record<string, unknown>) => ({
    type: 'message',
    id: 'a1',
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    conversation: { id: 'conv-1' },
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
    text: 'Bonjour',
    ...fields,
  });
  const built = () => creates.reduce((n, create) => n + create.callCount, 0);

  it('builds neither for an expectReplies turn: the replies come back in the response', async () => {
    const response = await run(activity({ deliveryMode: 'expectReplies' }), async (context) => {
      await context.sendActivity('Bonjour à vous');
    });
    assert.equal(creates.length, 1, 'the request was authenticated');
    assert.equal(built(), 0, 'no ConnectorClient');
    assert.equal(tokenClients.callCount, 0, 'no UserTokenClient');
    const replies =
      (response?.body as { activities?: Array<{ text?: string }> } | undefined)?.activities ?? [];
    assert.deepEqual(
      replies.map((r) => r.text),
      ['Bonjour à vous'],
    );
    assert.equal(connector.posted.length, 0);
  });

  it('builds the connector when such a turn calls the channel after all (a Teams profile)', async () => {
    connector.members.set('user-1', { id: 'user-1', email: 'jean.martin@ac-paris.fr' });
    let email: string | undefined;
    await run(activity({ deliveryMode: 'expectReplies' }), async (context: TurnContext) => {
      email = (await TeamsInfo.getMember(context, 'user-1')).email;
    });
    assert.equal(email, 'jean.martin@ac-paris.fr');
    assert.equal(built(), 1);
  });

  it('builds the connector for a normal turn, whose replies go through it', async () => {
    await run(activity({}), async (context) => {
      await context.sendActivity('Bonjour à vous');
    });
    assert.equal(built(), 1);
    assert.deepEqual(
      connector.posted.map((p) => p.activity.text),
      ['Bonjour à vous'],
    );
  });
});
