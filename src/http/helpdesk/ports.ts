import type { AccountSnapshot, CancelOutcome, ResendOutcome } from '../../domain/accounts/ports';

/** The part of the account service the console uses; AccountService satisfies it. */
export interface HelpdeskAccounts {
  status(email: string): Promise<AccountSnapshot | null>;
  /** A new link for the newest pending request, same password; its previous link stops working. */
  resend(email: string): Promise<{ outcome: ResendOutcome; linkExpiresAt?: Date }>;
  /** Every pending request of the address stops working (its links then say « annulée »). */
  cancel(email: string): Promise<CancelOutcome>;
}
