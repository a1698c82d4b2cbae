import {
  type BeginOutcome,
  type ClaimResult,
  type CompleteOutcome,
  type NewPasswordEntry,
  PASSWORD_ENTRY_GRACE_MS,
  type PasswordEntryRecord,
  type PasswordEntryStatus,
  type PasswordEntryStore,
} from '../domain/accounts/password-entry';

interface Stored extends PasswordEntryRecord {
  status: PasswordEntryStatus;
  passwordHash?: string;
  hashingUntil?: number;
}

/** The in-memory twin of RedisPasswordEntryStore (embedded mode and tests), with the same answers. */
export class MemoryPasswordEntryStore implements PasswordEntryStore {
  private readonly byToken = new Map<string, Stored>();
  private readonly tokenOf = new Map<string, string>();

  async create(entry: NewPasswordEntry): Promise<void> {
    // Old records go when new ones come: nothing else would remove them in a long demo.
    for (const [hash, record] of this.byToken) {
      if (record.expiresAt + PASSWORD_ENTRY_GRACE_MS < entry.expiresAt) {
        this.byToken.delete(hash);
        this.tokenOf.delete(record.id);
      }
    }
    const { tokenHash, createdAt: _createdAt, ...record } = entry;
    this.byToken.set(tokenHash, { ...record, status: 'pending' });
    this.tokenOf.set(entry.id, tokenHash);
  }

  async findByToken(tokenHash: string): Promise<PasswordEntryRecord | null> {
    const record = this.byToken.get(tokenHash);
    if (!record) return null;
    const { passwordHash: _hidden, hashingUntil: _lease, ...visible } = record;
    return { ...visible };
  }

  async begin(tokenHash: string, now: number, leaseEnd: number): Promise<BeginOutcome> {
    const record = this.byToken.get(tokenHash);
    if (!record) return 'unknown';
    if (record.status === 'revoked') return 'replaced';
    if (record.status === 'hashing' && now < (record.hashingUntil ?? 0)) return 'busy';
    if (record.status !== 'pending' && record.status !== 'hashing') return 'used';
    if (record.expiresAt <= now) return 'expired';
    record.status = 'hashing';
    record.hashingUntil = leaseEnd;
    return 'hashing';
  }

  async release(tokenHash: string): Promise<void> {
    const record = this.byToken.get(tokenHash);
    if (record?.status !== 'hashing') return;
    record.status = 'pending';
    delete record.hashingUntil;
  }

  async complete(tokenHash: string, passwordHash: string, now: number): Promise<CompleteOutcome> {
    const record = this.byToken.get(tokenHash);
    if (!record) return 'unknown';
    if (record.status === 'revoked') return 'replaced';
    if (record.status !== 'pending' && record.status !== 'hashing') return 'used';
    if (record.expiresAt <= now) return 'expired';
    record.status = 'entered';
    record.passwordHash = passwordHash;
    delete record.hashingUntil;
    return 'entered';
  }

  async claim(id: string): Promise<ClaimResult> {
    const record = this.byToken.get(this.tokenOf.get(id) ?? '');
    if (record?.status === 'claimed') return 'consumed';
    if (record?.status !== 'entered' || !record.passwordHash) return null;
    return { email: record.email, passwordHash: record.passwordHash };
  }

  async consume(id: string): Promise<void> {
    const record = this.byToken.get(this.tokenOf.get(id) ?? '');
    if (record?.status !== 'entered') return;
    record.status = 'claimed';
    delete record.passwordHash;
  }

  async revoke(id: string): Promise<void> {
    const record = this.byToken.get(this.tokenOf.get(id) ?? '');
    if (record?.status !== 'pending' && record?.status !== 'hashing' && record?.status !== 'entered') return;
    record.status = 'revoked';
    delete record.passwordHash;
    delete record.hashingUntil;
  }
}
