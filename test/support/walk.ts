import assert from 'node:assert/strict';
import type { BotReply } from './bot-harness';
import { textOf } from './bot-harness';

/** What both the harness conversation and the embedded-mode chat offer. */
export interface Chat {
  readonly id: string;
  join(): Promise<BotReply[]>;
  say(text: string): Promise<BotReply[]>;
  submit(value: Record<string, unknown>): Promise<BotReply[]>;
}

/** The « un mail (de confirmation) part vers votre adresse » answer (locales/fr/bot.json, account.sent). */
export const SENT = /Un mail[^.]* part vers votre adresse/;

/**
 * Walks a card channel (webchat, msteams) from the welcome to the password card, checking each step,
 * and returns the replies of the last step.
 */
export async function walkToPassword(chat: Chat, email: string): Promise<BotReply[]> {
  await chat.join();
  const start = textOf(await chat.say('Créer mon compte électeur'));
  // A conversation that already said its webmail works goes straight to the address.
  if (!/adresse de messagerie professionnelle/.test(start)) {
    assert.match(start, /Avez-vous déjà activé/);
    assert.match(textOf(await chat.say('oui')), /adresse de messagerie professionnelle/);
  }
  assert.match(textOf(await chat.say(email)), /Est-ce bien votre adresse/);
  const passwordStep = await chat.say('oui');
  assert.match(textOf(passwordStep), /Retenez bien ce mot de passe/);
  return passwordStep;
}

/** The whole activation on a card channel, the password given through the masked card. */
export async function requestAccount(chat: Chat, email: string, password: string): Promise<string> {
  await walkToPassword(chat, email);
  return textOf(await chat.submit({ action: 'password', password, confirmation: password }));
}

/** « jeudi 4 décembre 2014 à 16 h », whatever space the formatter puts before and after « h ». */
export function frenchDate(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0\\u202f]');
  return new RegExp(escaped);
}
