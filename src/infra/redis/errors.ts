import { AppError } from '../../errors';

/**
 * Turns a Redis failure (connection closed, command timeout, script error) into the coded error the bot
 * and the HTTP routes know how to answer. Only the driver's message is kept: it names no key nor value.
 */
export async function storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new AppError('STORE_UNAVAILABLE', `${operation}: ${message}`);
    (wrapped as Error & { cause?: unknown }).cause = error;
    throw wrapped;
  }
}
