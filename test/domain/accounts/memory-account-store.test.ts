import { MemoryAccountStore } from '../../../src/domain/accounts/memory-account-store';
import { accountStoreContract } from './account-repository.contract';

accountStoreContract('MemoryAccountStore', async () => {
  const store = new MemoryAccountStore();
  return { repo: store, outbox: store, cleanup: async () => {} };
});
