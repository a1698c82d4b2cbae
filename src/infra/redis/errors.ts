import { AppError } from '../../errors';

/** Told about every store call: its operation, how long it took, whether it failed (the operators' figures). */
export type StoreCallObserver = (operation: string, seconds: number, failed: boolean) => void;

let observer: StoreCallObserver | undefined;

/**
 * Sets the observer of every store call of the process (the composition root, when metrics are on);
 * `undefined` removes it. One per process: the Redis stores are built per app, but their calls all go
 * through storeCall.
 */
export function observeStoreCalls(next: StoreCallObserver | undefined): void {
  observer = next;
}

/**
 * Turns a Redis failure (connection closed, command timeout, script error) into the coded error the bot
 * and the HTTP routes know how to answer. Only the driver's message is kept: it names no key nor value.
 */
export async function storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  const watching = observer;
  const started = watching ? performance.now() : 0;
  try {
    const result = await call();
    watching?.(operation, (performance.now() - started) / 1000, false);
    return result;
  } catch (error) {
    watching?.(operation, (performance.now() - started) / 1000, true);
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new AppError('STORE_UNAVAILABLE', `${operation}: ${message}`);
    (wrapped as Error & { cause?: unknown }).cause = error;
    throw wrapped;
  }
}
