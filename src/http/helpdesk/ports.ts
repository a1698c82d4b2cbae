import type { AccountSnapshot, ResendOutcome } from '../../domain/accounts/ports';

/** The part of the account service the console uses; AccountService satisfies it. */
export interface HelpdeskAccounts {
  status(email: string): Promise<AccountSnapshot | null>;
  /** A new link for a pending account; the previous one stops working. */
  resend(email: string): Promise<{ outcome: ResendOutcome; linkExpiresAt?: Date }>;
}
