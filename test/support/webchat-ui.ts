import type { FrameLocator, Locator, Page } from 'playwright-core';

/**
 * Web Chat 4.18 as a teacher sees it, found by role and French name where Web Chat gives one (the send
 * box, the suggested actions' toolbar), by its documented class names elsewhere (the bubbles).
 */
export interface ChatUi {
  readonly transcript: Locator;
  readonly sendBox: Locator;
  /** The last bot bubble whose text matches. */
  botSaid(text: RegExp | string): Locator;
  /** The last bubble of the teacher whose text matches. */
  userSaid(text: RegExp | string): Locator;
  /** A suggested action of the toolbar (not its copy in the screen-reader live region). */
  suggestion(name: RegExp | string): Locator;
  /** Types a message in the send box and sends it with Enter, as a teacher does. */
  say(text: string): Promise<void>;
  /** Waits for a bot bubble, then lets Web Chat's scroll animation end (for a screenshot that shows it). */
  seen(text: RegExp | string, timeout?: number): Promise<Locator>;
  /** From the welcome's choices to the masked password card, clicking and typing as a teacher does. */
  walkToPasswordCard(address: string, timeout?: number): Promise<void>;
}

export function chatUi(scope: Page | FrameLocator): ChatUi {
  const transcript = scope.locator('.webchat__basic-transcript');
  const sendBox = scope.getByRole('textbox', { name: 'Zone de saisie du message' });
  return {
    transcript,
    sendBox,
    botSaid: (text) =>
      transcript
        .locator('.webchat__bubble:not(.webchat__bubble--from-user)')
        .filter({ hasText: text })
        .last(),
    userSaid: (text) => transcript.locator('.webchat__bubble--from-user').filter({ hasText: text }).last(),
    suggestion: (name) =>
      scope.getByRole('toolbar', { name: 'Actions suggérées' }).getByRole('button', { name }),
    async say(text) {
      await sendBox.fill(text);
      await sendBox.press('Enter');
    },
    async walkToPasswordCard(address, timeout = 20_000) {
      await this.suggestion('Créer mon compte électeur').click();
      await this.botSaid(/Avez-vous déjà activé/).waitFor({ timeout });
      await this.suggestion('Oui').click();
      await this.botSaid(/Quelle est votre adresse/).waitFor({ timeout });
      await this.say(address);
      await this.botSaid(/Est-ce bien votre adresse/).waitFor({ timeout });
      await this.suggestion('Oui').click();
      await transcript.locator('input[type="password"]').nth(1).waitFor({ timeout });
    },
    async seen(text, timeout = 20_000) {
      const bubble = transcript
        .locator('.webchat__bubble:not(.webchat__bubble--from-user)')
        .filter({ hasText: text })
        .last();
      await bubble.waitFor({ timeout });
      await bubble.scrollIntoViewIfNeeded();
      // Web Chat scrolls smoothly to new messages; the animation lasts a few hundred milliseconds.
      await bubble.page().waitForTimeout(500);
      return bubble;
    },
  };
}
