import { MemoryAccountStore } from '../../src/infra/memory-account-store';
import { accountStoreContract } from '../domain/accounts/account-repository.contract';

accountStoreContract('MemoryAccountStore', async () => {
  const store = new MemoryAccountStore();
  return { repo: store, outbox: store, cleanup: async () => {} };
});
