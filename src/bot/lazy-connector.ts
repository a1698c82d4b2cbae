import { type Activity, ConfigurationBotFrameworkAuthentication, DeliveryModes } from 'botbuilder';

type AuthenticateResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorFactory = NonNullable<AuthenticateResult['connectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>[0];

/**
 * CloudAdapter builds, for every incoming activity, a ConnectorClient (an HTTP pipeline towards the
 * channel) and a UserTokenClient (another one, for OAuth sign-in), before the turn even starts. An
 * `expectReplies` activity gets its replies in the HTTP response, so nothing is ever sent through the
 * connector; and this bot has no OAuth sign-in. Both are built here on first use only: the user token
 * client for every turn, the connector for `expectReplies` turns (the others send their replies through
 * it anyway).
 */
export class LazyConnectorAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    if (activity.deliveryMode !== DeliveryModes.ExpectReplies || !factory) return result;
    const lazy: ConnectorFactory = {
      create: async (serviceUrl, audience) =>
        lazyConnectorClient(serviceUrl, () => factory.create(serviceUrl, audience)),
    };
    return { ...result, connectorFactory: lazy };
  }

  override async createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    let real: Promise<UserTokenClient> | undefined;
    const client = () => {
      real ??= super.createUserTokenClient(claimsIdentity);
      return real;
    };
    const lazy = {
      getUserToken: async (...args: Parameters<UserTokenClient['getUserToken']>) =>
        (await client()).getUserToken(...args),
      getSignInResource: async (...args: Parameters<UserTokenClient['getSignInResource']>) =>
        (await client()).getSignInResource(...args),
      signOutUser: async (...args: Parameters<UserTokenClient['signOutUser']>) =>
        (await client()).signOutUser(...args),
      getTokenStatus: async (...args: Parameters<UserTokenClient['getTokenStatus']>) =>
        (await client()).getTokenStatus(...args),
      getAadTokens: async (...args: Parameters<UserTokenClient['getAadTokens']>) =>
        (await client()).getAadTokens(...args),
      exchangeToken: async (...args: Parameters<UserTokenClient['exchangeToken']>) =>
        (await client()).exchangeToken(...args),
    };
    return lazy as UserTokenClient;
  }
}

/** The operation groups whose methods all return promises: they can wait for the client to be built. */
const ASYNC_GROUPS = new Set(['conversations', 'attachments']);

/**
 * A ConnectorClient built on the first call of one of its operations (`conversations.*`,
 * `attachments.*`), for turns that should not need it. Its other members (credentials…) are synchronous
 * and cannot wait: asking for them is a programming error on such a turn, and says so.
 */
function lazyConnectorClient(serviceUrl: string, create: () => Promise<ConnectorClient>): ConnectorClient {
  let real: Promise<ConnectorClient> | undefined;
  const client = () => {
    real ??= create();
    return real;
  };
  const groups = new Map<string, object>();
  const group = (name: string) => {
    let operations = groups.get(name);
    if (!operations) {
      operations = new Proxy(
        {},
        {
          get: (_, method) => {
            if (typeof method !== 'string') return undefined;
            return async (...args: unknown[]) => {
              const operationGroup = (await client())[name as 'conversations'] as unknown as Record<
                string,
                (...a: unknown[]) => Promise<unknown>
              >;
              const operation = operationGroup[method];
              if (typeof operation !== 'function')
                throw new TypeError(`${name}.${method} is not an operation`);
              return operation.apply(operationGroup, args);
            };
          },
        },
      );
      groups.set(name, operations);
    }
    return operations;
  };
  return new Proxy({} as ConnectorClient, {
    get: (_, property) => {
      if (typeof property === 'string' && ASYNC_GROUPS.has(property)) return group(property);
      if (property === 'baseUri') return serviceUrl;
      // A thenable check (awaiting the client) and inspection must not throw.
      if (typeof property !== 'string' || property === 'then' || property === 'toJSON') return undefined;
      throw new Error(
        `ConnectorClient.${String(property)} on an expectReplies turn: only its operations are available`,
      );
    },
  });
}
