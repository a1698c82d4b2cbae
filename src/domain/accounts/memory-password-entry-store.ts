import {
  type CompleteOutcome,
  type NewPasswordEntry,
  PASSWORD_ENTRY_GRACE_MS,
  type PasswordEntryRecord,
  type PasswordEntryStatus,
  type PasswordEntryStore,
} from './password-entry';

interface Stored extends PasswordEntryRecord {
  status: PasswordEntryStatus;
  passwordHash?: string;
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
    const { passwordHash: _hidden, ...visible } = record;
    return { ...visible };
  }

  async complete(tokenHash: string, passwordHash: string, now: number): Promise<CompleteOutcome> {
    const record = this.byToken.get(tokenHash);
    if (!record) return 'unknown';
    if (record.status === 'revoked') return 'replaced';
    if (record.status !== 'pending') return 'used';
    if (record.expiresAt <= now) return 'expired';
    record.status = 'entered';
    record.passwordHash = passwordHash;
    return 'entered';
  }

  async claim(id: string): Promise<{ email: string; passwordHash: string } | null> {
    const record = this.byToken.get(this.tokenOf.get(id) ?? '');
    if (record?.status !== 'entered' || !record.passwordHash) return null;
    const { passwordHash } = record;
    record.status = 'claimed';
    delete record.passwordHash;
    return { email: record.email, passwordHash };
  }

  async revoke(id: string): Promise<void> {
    const record = this.byToken.get(this.tokenOf.get(id) ?? '');
    if (record?.status === 'pending') record.status = 'revoked';
  }
}
