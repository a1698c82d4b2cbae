import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'mocha';
import restify, { type Server } from 'restify';
import { directoryOf } from '../../../src/domain/academies/directory';
import { parseAcademies } from '../../../src/domain/academies/profiles';
import { type WebChatOptions, webChatMount } from '../../../src/http/webchat';
import { silentLogger } from '../../../src/log';
import { cspOf } from '../../support/html-page';

const AZURE = 'https://europe.directline.botframework.com/v3/directline';

/** The mount alone on a bare restify server, to check what each configuration gives. */
async function serve(options: Partial<WebChatOptions>): Promise<{ url: string; server: Server }> {
  const server = restify.createServer();
  server.use(restify.plugins.queryParser({ mapParams: false }));
  webChatMount({ academieName: 'Académie de Paris', logger: silentLogger(), ...options })(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('webChatMount: the policy for each configuration', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  async function policyOf(options: Partial<WebChatOptions>) {
    const { url, server } = await serve(options);
    servers.push(server);
    const response = await fetch(`${url}/`);
    return { csp: cspOf(response.headers), html: await response.text() };
  }

  it('production: Direct Line at Azure over https: and wss:, frames from the configured sites only', async () => {
    const { csp } = await policyOf({
      webChat: {
        localDirectLine: false,
        directLineDomain: AZURE,
        allowedOrigins: ['https://www.ac-paris.fr', 'https://intranet.ac-paris.fr'],
      },
    });
    assert.deepEqual(csp.get('connect-src'), [
      "'self'",
      'https://europe.directline.botframework.com',
      'wss://europe.directline.botframework.com',
    ]);
    assert.deepEqual(csp.get('frame-ancestors'), [
      "'self'",
      'https://www.ac-paris.fr',
      'https://intranet.ac-paris.fr',
    ]);
  });

  it('local emulation: Direct Line on this origin only, Azure not allowed', async () => {
    const { csp } = await policyOf({
      webChat: { localDirectLine: true, directLineDomain: AZURE, allowedOrigins: [] },
    });
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'self'"]);
  });

  it('without the webChat option: this origin only', async () => {
    const { csp } = await policyOf({});
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'self'"]);
  });

  it('escapes the académie name', async () => {
    const { html } = await policyOf({ academieName: 'Académie <script>alert(1)</script> & "co"' });
    assert.ok(!html.includes('<script>alert'), 'escaped');
    assert.match(html, /Académie &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;co&quot;/);
  });

  describe('/?academie=<id>: the page opened for one académie (issue 14)', () => {
    const academies = directoryOf(
      parseAcademies({
        academies: [
          {
            id: 'reunion',
            name: 'Académie de La Réunion',
            domains: ['ac-reunion.fr'],
            timeZone: 'Indian/Reunion',
            webmail: { url: 'https://webmail.ac-reunion.fr' },
            mailFrom: 'ne-pas-repondre@ac-reunion.fr',
          },
        ],
      }),
    );

    async function pageAt(query: string) {
      const { url, server } = await serve({ academies });
      servers.push(server);
      return (await fetch(`${url}/${query}`)).text();
    }

    it('names the académie on the page and gives its id to the page script, which sends it with every message', async () => {
      for (const query of ['?academie=reunion', '?embed=1&academie=reunion']) {
        const html = await pageAt(query);
        assert.match(html, /data-academie="reunion"/, query);
        assert.match(html, /<title>[^<]*Académie de La Réunion/, query);
      }
    });

    it('ignores an académie it does not know: the configured name, no id sent', async () => {
      for (const query of [
        '?academie=atlantide',
        '?academie=%22%3E%3Cscript%3E',
        '?academie=reunion&academie=paris',
        '',
      ]) {
        const html = await pageAt(query);
        assert.doesNotMatch(html, /data-academie/, query);
        assert.match(html, /Académie de Paris/, query);
        assert.ok(!html.includes('"><script>'), query);
      }
    });
  });
});
