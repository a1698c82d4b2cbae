import type { DialogContext } from 'botbuilder-dialogs';
import { ACTIVATION_DIALOG, ACTIVATION_WATERFALL, ADDRESS_DIALOG, PASSWORD_DIALOG } from './ids';
import type { ActivationStep } from './progress';

/**
 * Where the teacher is in the dialogs, read from the dialog stack: the prompt that waits, the dialogs
 * around it, the activation step, and the address the activation already holds.
 */

/** The step of the activation that waits, from the active dialogs (the webmail question comes first). */
export function activationStep(steps: readonly string[]): ActivationStep | undefined {
  if (!steps.includes(ACTIVATION_DIALOG)) return undefined;
  if (steps.includes(PASSWORD_DIALOG)) return 'password';
  if (steps.includes(ADDRESS_DIALOG)) return 'address';
  return 'webmail';
}

/** The address the activation holds once the teacher confirmed it (its password step), if any. */
export function confirmedAddress(dc: DialogContext): string | undefined {
  let current: DialogContext | undefined = dc;
  while (current) {
    // The waterfall sits under the step it began, on the same stack.
    const waterfall = current.stack.find((instance) => instance.id === ACTIVATION_WATERFALL);
    if (waterfall) {
      const email = (waterfall.state as { values?: { email?: unknown } }).values?.email;
      return typeof email === 'string' ? email : undefined;
    }
    current = current.child;
  }
  return undefined;
}

/** The id of the innermost active dialog: the prompt the teacher is answering, if any. */
export function activePromptId(dc: DialogContext): string | undefined {
  let current: DialogContext = dc;
  while (current.child) current = current.child;
  return current.activeDialog?.id;
}

/** Every active dialog's id, outermost first: where in the activation the teacher is. */
export function activeDialogIds(dc: DialogContext): string[] {
  const ids: string[] = [];
  let current: DialogContext | undefined = dc;
  while (current) {
    if (current.activeDialog) ids.push(current.activeDialog.id);
    current = current.child;
  }
  return ids;
}
