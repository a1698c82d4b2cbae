import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { AccountSnapshot } from '../../../src/domain/accounts/ports';
import { activityOf } from '../../../src/domain/transcripts/line-activity';
import { lineOf, readableCopy } from '../../../src/domain/transcripts/lines';
import type { StoredActivity, TranscriptArchive } from '../../../src/domain/transcripts/ports';
import { AppError } from '../../../src/errors';
import { t } from '../../../src/i18n';
import { type TestRedis, testRedis } from '../../support/redis';
import { type Console, FakeAccounts, InTestArchive, NOW, startConsole } from './support';

const TEACHER = 'claire.martin@ac-paris.fr';
const CONVERSATION = '/helpdesk/transcripts/webchat/conv-md';
const AT = (minute: number) => new Date(Date.parse('2014-11-20T08:00:00Z') + minute * 60_000);

/**
 * The transcript as the stores give it back: each activity made into a redacted line (lines.ts), then
 * into the activity the page reads (line-activity.ts), as in production.
 */
function stored(): StoredActivity[] {
  const user = { id: 'u1', role: 'user' };
  const bot = { id: 'b1', role: 'bot' };
  const activities: Array<{ activity: Record<string, unknown>; secret?: boolean }> = [
    {
      activity: {
        type: 'message',
        from: bot,
        timestamp: AT(2).toISOString(),
        text: t('bot.account.sent', { email: TEACHER, expires: 'samedi 22 novembre 2014 à 9 h' }),
      },
    },
    {
      activity: {
        type: 'message',
        from: bot,
        timestamp: AT(3).toISOString(),
        text: 'Que souhaitez-vous faire\u00a0?\nVous pouvez écrire :\n1. Créer mon compte\n2. **Aide**',
      },
    },
    // The teacher quotes Markdown and markup: shown exactly as typed.
    {
      activity: { type: 'message', from: user, timestamp: AT(4).toISOString(), text: 'mon `code` <b>x</b>' },
    },
    // The masked card, submitted: the values are the secret (SECRET_ANSWER), masked before being stored.
    {
      activity: {
        type: 'message',
        from: user,
        timestamp: AT(5).toISOString(),
        value: { action: 'password', password: 'Electeur2014', confirmation: 'Electeur2014' },
      },
      secret: true,
    },
    {
      activity: {
        type: 'message',
        from: user,
        timestamp: AT(6).toISOString(),
        value: { choix: 'oui', motDePasse: 'Electeur2014' },
      },
    },
    {
      activity: {
        type: 'event',
        from: user,
        name: 'passwordEntered',
        timestamp: AT(7).toISOString(),
        value: { entryId: 'e1' },
      },
    },
    { activity: { type: 'event', from: user, name: 'webchat/join', timestamp: AT(8).toISOString() } },
  ];
  return activities.map(({ activity, secret }, i) => {
    const line = lineOf(
      readableCopy(activity, { secretAnswer: secret === true }),
      activity.from === bot ? 'bot' : 'user',
      NOW,
    );
    return activityOf(line, i, { channelId: 'webchat', conversationId: 'conv-md', dropped: 0 });
  });
}

const pending = (email: string): AccountSnapshot => ({
  email,
  status: 'pending',
  createdAt: Date.parse('2014-11-20T08:02:30Z'),
  updatedAt: Date.parse('2014-11-20T08:02:30Z'),
  tokenExpiresAt: Date.parse('2014-11-22T08:02:30Z'),
});

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
const h1Of = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
const linksOf = (html: string) =>
  [...(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '').matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map(
    (m) => `${m[2]} → ${m[1]}`,
  );

describe('helpdesk console pages: forms, errors, conversations (real HTTP, audit in real Redis)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let app: Console;
  let closed: Console;
  let down: Console;
  const archive = new InTestArchive();
  const accounts = new FakeAccounts(1);

  before(async () => {
    redis = await testRedis();
    archive.add(
      {
        channelId: 'webchat',
        conversationId: 'conv-md',
        created: AT(0).toISOString(),
        lastActivity: AT(8).toISOString(),
        email: TEACHER,
      },
      stored(),
    );
    accounts.snapshots.set(TEACHER, pending(TEACHER));
    app = await startConsole(redis, { transcripts: archive, accounts });
    // The account window closed since the page was shown: the service refuses every new link.
    const closedAccounts = new FakeAccounts();
    closedAccounts.snapshots.set(TEACHER, pending(TEACHER));
    closedAccounts.resend = async () => {
      throw new AppError('ACCOUNT_WINDOW_CLOSED', 'after');
    };
    closed = await startConsole(redis, { transcripts: archive, accounts: closedAccounts });
    const failing = async (): Promise<never> => {
      throw new AppError('STORE_UNAVAILABLE', 'test');
    };
    const broken: TranscriptArchive = {
      findByEmail: failing,
      findByDay: failing,
      summary: failing,
      activities: failing,
      deleteByEmail: failing,
    };
    down = await startConsole(redis, { transcripts: broken, accounts });
  });

  after(async () => {
    await app?.close();
    await closed?.close();
    await down?.close();
    await redis?.cleanup();
  });

  const tokenOf = async (console: Console) => {
    const page = await (await console.get(CONVERSATION)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(token);
    return token;
  };
  const post = (console: Console, path: string, fields: Record<string, string>) =>
    console.get(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  describe('the day search, the French way', () => {
    for (const typed of ['20/11/2014', '2014-11-20', ' 20.11.2014 ']) {
      it(`finds the conversations of « ${typed} », shown back as 20/11/2014`, async () => {
        const response = await app.get(`/helpdesk?day=${encodeURIComponent(typed)}`);
        assert.equal(response.status, 200);
        const html = await response.text();
        assert.match(html, /<h2 id="resultats">Conversations du jeudi 20 novembre 2014<\/h2>/);
        assert.match(html, /<input type="text" id="day" name="day"[^>]* value="20\/11\/2014">/);
        assert.match(
          html,
          /<p class="hint" id="day-aide">Au format JJ\/MM\/AAAA, par exemple 20\/11\/2014<\/p>/,
        );
      });
    }

    it('no date widget whose format follows the browser’s language, and no hint that says otherwise', async () => {
      const html = await (await app.get('/helpdesk')).text();
      assert.doesNotMatch(html, /type="date"/);
      assert.doesNotMatch(html, /AAAA-MM-JJ/);
    });

    it('refuses a day that does not exist, in French, with the field as typed', async () => {
      const response = await app.get(`/helpdesk?day=${encodeURIComponent('31/02/2014')}`);
      assert.equal(response.status, 400);
      const html = await response.text();
      assert.match(html, /Saisissez un jour au format JJ\/MM\/AAAA, par exemple 20\/11\/2014\./);
      assert.match(html, /value="31\/02\/2014"/);
    });

    it('the JSON API keeps its machine format, YYYY-MM-DD only', async () => {
      assert.equal((await app.get('/helpdesk/api/conversations?day=2014-11-20')).status, 200);
      assert.equal((await app.get('/helpdesk/api/conversations?day=20/11/2014')).status, 400);
    });
  });

  describe('search errors, announced', () => {
    it('marks the refused field invalid, describes it by its message, focuses it, and says « Erreur » first', async () => {
      const html = await (await app.get('/helpdesk?day=2014-13-45')).text();
      assert.match(titleOf(html), /^Erreur\u00a0: Rechercher une conversation – /);
      assert.match(html, /<form method="get" action="\/helpdesk" class="search" novalidate>/);
      assert.match(html, /<p class="problem" role="alert" id="day-erreur">Cette date ne convient pas/);
      const day = /<input [^>]*id="day"[^>]*>/.exec(html)?.[0] ?? '';
      assert.match(day, /aria-describedby="day-aide day-erreur"/);
      assert.match(day, /aria-invalid="true"/);
      assert.match(day, / autofocus/);
      const email = /<input [^>]*id="email"[^>]*>/.exec(html)?.[0] ?? '';
      assert.doesNotMatch(email, /aria-invalid|autofocus|erreur/, 'the other field is fine');
    });

    it('the same for a malformed address', async () => {
      const html = await (await app.get('/helpdesk?email=claire.martin')).text();
      const email = /<input [^>]*id="email"[^>]*>/.exec(html)?.[0] ?? '';
      assert.match(email, /aria-describedby="email-aide email-erreur" aria-invalid="true" autofocus/);
      assert.match(
        html,
        /<p class="problem" role="alert" id="email-erreur">Cette adresse ne semble pas complète/,
      );
    });

    it('both fields filled: both marked, one message at the top', async () => {
      const html = await (await app.get('/helpdesk?email=a@ac-paris.fr&day=20/11/2014')).text();
      assert.match(
        html,
        /<p class="problem" role="alert" id="probleme">Indiquez soit une adresse, soit un jour/,
      );
      for (const id of ['email', 'day'])
        assert.match(
          /<input [^>]*id="(email|day)"[^>]*>/.exec(html.slice(html.indexOf(`id="${id}"`) - 60))?.[0] ?? '',
          /aria-describedby="\w+-aide probleme" aria-invalid="true"/,
          id,
        );
    });

    it('a search without error has neither a problem nor an invalid field', async () => {
      const html = await (await app.get(`/helpdesk?email=${encodeURIComponent(TEACHER)}`)).text();
      assert.doesNotMatch(html, /aria-invalid|role="alert"|autofocus|Erreur\u00a0:/);
    });
  });

  describe('error pages lead somewhere and say what they are', () => {
    const cases: Array<{
      name: string;
      answer: () => Promise<Response>;
      status: number;
      title: string;
      h1: string;
      links: RegExp[];
    }> = [
      {
        name: 'an unknown page (404)',
        answer: () => app.get('/helpdesk/nimporte/quoi'),
        status: 404,
        title: 'Page introuvable',
        h1: 'Page introuvable',
        links: [/^Rechercher une conversation → \/helpdesk$/],
      },
      {
        name: 'a conversation that is not stored (404)',
        answer: () => app.get('/helpdesk/transcripts/webchat/inconnue'),
        status: 404,
        title: 'Page introuvable',
        h1: 'Page introuvable',
        links: [/^Rechercher une conversation → \/helpdesk$/],
      },
      {
        name: 'a form whose address is not one (400): back to the conversation',
        answer: async () =>
          post(app, '/helpdesk/cancel', {
            email: 'pas une adresse',
            from: CONVERSATION,
            csrf: await tokenOf(app),
          }),
        status: 400,
        title: 'Requête incorrecte',
        h1: 'Requête incorrecte',
        links: [/^Revenir à la conversation → \/helpdesk\/transcripts\/webchat\/conv-md$/],
      },
      {
        name: 'a form without its token (403)',
        answer: () => post(app, '/helpdesk/resend', { email: TEACHER, from: CONVERSATION, csrf: 'perime' }),
        status: 403,
        title: 'Action refusée',
        h1: 'Action refusée',
        links: [
          /^Revenir à la conversation → \/helpdesk\/transcripts\/webchat\/conv-md$/,
          /^Revenir aux conversations de cette adresse → \/helpdesk\?email=claire\.martin%40ac-paris\.fr$/,
        ],
      },
      {
        name: 'a form that says it comes from elsewhere (403, no link there)',
        answer: () =>
          post(app, '/helpdesk/cancel', {
            email: 'pas une adresse',
            from: 'https://intrus.example/',
            csrf: 'x',
          }),
        status: 403,
        title: 'Action refusée',
        h1: 'Action refusée',
        links: [/^Rechercher une conversation → \/helpdesk$/],
      },
      {
        name: 'the account window closed since the page was shown (409)',
        answer: async () =>
          post(closed, '/helpdesk/resend', {
            email: TEACHER,
            from: CONVERSATION,
            csrf: await tokenOf(closed),
          }),
        status: 409,
        title: 'Mail non renvoyé',
        h1: 'Mail non renvoyé',
        links: [/^Revenir à la conversation → /, /^Revenir aux conversations de cette adresse → /],
      },
      {
        name: 'too many resends (429)',
        answer: async () => {
          const csrf = await tokenOf(app);
          const first = await post(app, '/helpdesk/resend', { email: TEACHER, from: CONVERSATION, csrf });
          assert.equal(first.status, 202);
          assert.deepEqual(linksOf(await first.text()), [
            `Revenir à la conversation → ${CONVERSATION}`,
            'Revenir aux conversations de cette adresse → /helpdesk?email=claire.martin%40ac-paris.fr',
          ]);
          return post(app, '/helpdesk/resend', { email: TEACHER, from: CONVERSATION, csrf });
        },
        status: 429,
        title: 'Mail non renvoyé',
        h1: 'Mail non renvoyé',
        links: [/^Revenir à la conversation → /, /^Revenir aux conversations de cette adresse → /],
      },
      {
        name: 'the store down (503): the same page again, or the search',
        answer: () => down.get('/helpdesk?day=20/11/2014'),
        status: 503,
        title: 'Service indisponible',
        h1: 'Service indisponible',
        links: [/^Réessayer → \/helpdesk\?day=20\/11\/2014$/, /^Rechercher une conversation → \/helpdesk$/],
      },
      {
        name: 'no credentials (401)',
        answer: () => app.get('/helpdesk/stats', { auth: null }),
        status: 401,
        title: 'Identification nécessaire',
        h1: 'Identification nécessaire',
        links: [/^Rechercher une conversation → \/helpdesk$/],
      },
    ];
    for (const c of cases)
      it(c.name, async () => {
        const response = await c.answer();
        assert.equal(response.status, c.status);
        const html = await response.text();
        assert.equal(titleOf(html), `${c.title} – Assistant électeur – console d’assistance`);
        assert.equal(h1Of(html), c.h1);
        assert.doesNotMatch(titleOf(html), /Rechercher une conversation/);
        const links = linksOf(html);
        assert.equal(links.length, c.links.length, links.join('\n'));
        for (const [i, pattern] of c.links.entries()) assert.match(links[i] ?? '', pattern);
      });
  });

  describe('a conversation reads like one', () => {
    let html = '';
    before(async () => {
      const response = await app.get(CONVERSATION);
      assert.equal(response.status, 200);
      html = await response.text();
    });
    const items = () => [...html.matchAll(/<li class="(bot|teacher|event)">([\s\S]*?)<\/li>\n/g)];

    it('renders the bot’s Markdown: addresses as code, lists, bold; no backtick left', () => {
      const bot = items()
        .filter((m) => m[1] === 'bot')
        .map((m) => m[2] ?? '');
      assert.equal(bot.length, 2);
      assert.ok(
        bot.every((item) => !item.includes('`')),
        bot.join('\n'),
      );
      assert.match(bot[0] ?? '', /<p><code>claire\.martin@ac-paris\.fr<\/code><\/p>/);
      assert.match(
        bot[1] ?? '',
        /<p>Que souhaitez-vous faire\u00a0\?<br>Vous pouvez écrire :<\/p><ol><li>Créer mon compte<\/li><li><strong>Aide<\/strong><\/li><\/ol>/,
      );
    });

    it('shows what the teacher typed exactly, escaped', () => {
      assert.ok(html.includes('<p class="text">mon `code` &lt;b&gt;x&lt;/b&gt;</p>'));
    });

    it('summarises the password card’s submit in French, never its values nor JSON', () => {
      assert.match(html, /Formulaire du mot de passe envoyé \(mot de passe et confirmation masqués\)/);
      assert.doesNotMatch(html, /Electeur2014/);
      assert.doesNotMatch(html, /\{&quot;|"action"|&quot;password&quot;/);
    });

    it('lists another card’s fields, a secret one as « masqué »', () => {
      assert.match(
        html,
        /<p class="value">Formulaire envoyé\u00a0: choix\u00a0: <code>oui<\/code> ; motDePasse\u00a0: <em>masqué<\/em><\/p>/,
      );
    });

    it('names events in French', () => {
      const events = items()
        .filter((m) => m[1] === 'event')
        .map((m) => (m[2] ?? '').replace(/<[^>]+>/g, ''));
      assert.deepEqual(
        events.map((e) => e.replace(/^\d+\u00a0h(\u00a0\d+)?/, '')),
        ['Mot de passe saisi sur la page sécurisée', 'Événement technique\u00a0: event (webchat/join)'],
      );
    });

    it('times in 24-hour French words, the attribute in Paris time', () => {
      assert.match(html, /<time datetime="2014-11-20T09:02:00\+01:00">9\u00a0h\u00a002<\/time>/);
      assert.doesNotMatch(html, /\b(AM|PM)\b|datetime="[^"]*Z"/);
    });
  });

  describe('tables in their own region', () => {
    for (const path of [`/helpdesk?email=${encodeURIComponent(TEACHER)}`, '/helpdesk/audit']) {
      it(`${path}: each table in a focusable region named by its caption`, async () => {
        const html = await (await app.get(path)).text();
        const tables = html.match(/<table/g)?.length ?? 0;
        assert.ok(tables > 0);
        const regions = [
          ...html.matchAll(
            /<div class="table-region" role="region" tabindex="0" aria-labelledby="([^"]+)">\s*<table/g,
          ),
        ];
        assert.equal(regions.length, tables);
        for (const region of regions)
          assert.match(html, new RegExp(`<caption id="${region[1]}">[^<]+</caption>`));
      });
    }
  });
});
