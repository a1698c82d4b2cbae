import { loadConfig } from '../src/config';
import { formatDateTimeFr } from '../src/domain/calendar/format';
import { t } from '../src/i18n';
import { buildApp } from '../src/index';
import { createLogger, plainLines } from '../src/log';
import { runTerminalChat } from './terminal-chat';

/**
 * `npm run demo`: the bot and a terminal conversation in one command, on a demo clock inside the 2014
 * account window, with whatever Redis/SMTP the environment gives (none: memory and a mail folder).
 */
async function demo(): Promise<void> {
  // Development unless the environment says otherwise: the demo takes unauthenticated activities (Emulator).
  const config = loadConfig({
    NODE_ENV: 'development',
    CLOCK_NOW: '2014-11-20T09:00:00+01:00',
    LOG_LEVEL: 'warn',
    ...process.env,
  });
  // Plain lines on stderr, beside the conversation on stdout (production logs stay JSON).
  const app = buildApp(config, createLogger(config.logLevel, plainLines()));
  const url = await app.start();
  process.stdout.write(`${t('cli.demoClock', { now: formatDateTimeFr(app.clock.now(), 'Europe/Paris') })}\n`);
  process.stdout.write(`${t('cli.botUrl', { url: `${url}/api/messages` })}\n`);
  await runTerminalChat(url);
  await app.stop();
}

demo().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
