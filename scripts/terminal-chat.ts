import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import readline from 'node:readline';
import { t } from '../src/i18n';

interface BotActivity {
  type: string;
  text?: string;
  attachments?: unknown[];
  suggestedActions?: { actions: Array<{ title: string }> };
  channelData?: { inputType?: string };
}

/**
 * A text-only client for the demo: posts each line to /api/messages with `expectReplies`, prints the
 * replies, and listens for the bot's proactive message (« Votre compte électeur est confirmé »).
 * It masks what is typed when the bot asks for a password.
 */
export async function runTerminalChat(botUrl: string): Promise<void> {
  const conversationId = `cli-${randomUUID()}`;
  const user = { id: 'enseignant-demo', name: 'Enseignant' };
  const botAccount = { id: 'assistant-electeur', name: 'Assistant électeur' };
  let secretNext = false;

  const print = (a: BotActivity) => {
    if (a.type !== 'message') return;
    if (a.text) process.stdout.write(`\n${t('cli.bot')} > ${a.text}\n`);
    if (a.attachments?.length) process.stdout.write(`${t('cli.card')}\n`);
    if (a.suggestedActions?.actions.length) {
      process.stdout.write(
        `${t('cli.suggested', { choices: a.suggestedActions.actions.map((x) => x.title).join(' | ') })}\n`,
      );
    }
    secretNext = a.channelData?.inputType === 'password';
  };

  // Stands in for the channel's connector: the bot posts proactive messages here.
  const connector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      try {
        print(JSON.parse(body) as BotActivity);
      } catch {
        // Not an activity: nothing to show.
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID() }));
      prompt();
    });
  });
  await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

  const send = async (activity: Record<string, unknown>) => {
    const response = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: randomUUID(),
        channelId: 'cli',
        serviceUrl,
        conversation: { id: conversationId },
        from: user,
        recipient: botAccount,
        deliveryMode: 'expectReplies',
        locale: 'fr-FR',
        timestamp: new Date().toISOString(),
        ...activity,
      }),
    });
    if (!response.ok) {
      process.stdout.write(`${t('cli.unreachable', { status: response.status })}\n`);
      return;
    }
    const text = await response.text();
    const replies = text ? ((JSON.parse(text) as { activities?: BotActivity[] }).activities ?? []) : [];
    for (const a of replies) print(a);
  };

  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  // Hides typed characters while a password is expected (readline echoes through _writeToOutput).
  let masking = false;
  const internals = rl as unknown as { _writeToOutput: (s: string) => void };
  const write = internals._writeToOutput.bind(rl);
  internals._writeToOutput = (s: string) => write(masking ? s.replace(/[^\r\n]/g, '*') : s);
  const prompt = () => {
    masking = false;
    rl.setPrompt(`\n${t('cli.you')} > `);
    rl.prompt();
    masking = secretNext;
  };

  process.stdout.write(`${t('cli.banner')}\n`);
  // One turn at a time, in the order typed (pasted lines included), like a real chat client.
  // The line handler is attached before the first await: readline emits pasted lines at once.
  let queue = send({ type: 'conversationUpdate', membersAdded: [botAccount, user] }).then(prompt);
  rl.on('line', (line) => {
    queue = queue
      .then(() => send({ type: 'message', text: line }))
      .catch((error: unknown) => {
        process.stdout.write(`${t('cli.unreachable', { status: (error as Error).message })}\n`);
      })
      .then(prompt);
  });
  await new Promise<void>((resolve) => rl.on('close', resolve));
  await queue;
  connector.close();
}
