import assert from 'node:assert/strict';
import vm from 'node:vm';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, startBot } from '../../support/bot-harness';
import { cspOf, scriptsOf } from '../../support/html-page';

const HOST_SITE = 'https://www.ac-paris.fr';

describe('GET / (the Web Chat page), its assets and /widget.js, in the real app', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({
      LOCAL_DIRECTLINE: '1',
      WEBCHAT_ORIGINS: HOST_SITE,
      ACADEMIE_NAME: 'Académie de Paris',
    });
  });
  after(async () => {
    await bot?.close();
  });

  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${bot.url}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  describe('the page', () => {
    it('is a French page with a title, landmarks, one h1, the NUMEN note and a noscript message', async () => {
      const page = await get('/');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
      const html = page.body;
      assert.match(html, /<html lang="fr">/);
      assert.match(html, /<title>Assistant électeur – Académie de Paris<\/title>/);
      assert.match(html, /<header[^>]*>[\s\S]*Académie de Paris[\s\S]*<\/header>/);
      assert.equal((html.match(/<main[ >]/g) ?? []).length, 1);
      assert.equal((html.match(/<h1[ >]/g) ?? []).length, 1);
      assert.match(html, /<footer[ >]/);
      assert.match(html, /Ne tapez jamais votre NUMEN/);
      assert.match(html, /<noscript>[\s\S]*JavaScript[\s\S]*<\/noscript>/);
      assert.match(html, /id="chat-alert"[^>]*role="alert"/);
      assert.match(html, /data-token-url="\/api\/directline\/token"/);
    });

    it('has no inline script, no inline event handler, no style attribute, an icon of its own', async () => {
      const { body } = await get('/');
      const scripts = scriptsOf(body);
      assert.ok(scripts.length >= 2, 'Web Chat and the page scripts');
      for (const script of scripts) {
        assert.ok(script.src, `inline script: ${script.tag}`);
        assert.equal(script.content.trim(), '', 'a script with src has no content');
      }
      assert.doesNotMatch(body, /\son[a-z]+\s*=/i, 'inline event handler');
      assert.doesNotMatch(body, /\sstyle\s*=/i, 'style attribute');
      assert.deepEqual(
        scripts.map((s) => s.src?.replace(/\?v=.*/, '')),
        [
          '/webchat/webchat.js',
          '/webchat/chat-french.js',
          '/webchat/chat-cards.js',
          '/webchat/chat-password.js',
          '/webchat/chat.js',
        ],
        'our own copy of Web Chat, no CDN; the page’s parts before the page script',
      );
      // Linked, so that browsers do not ask for /favicon.ico.
      const icon = /<link rel="icon" href="([^"]+)"/.exec(body)?.[1] ?? '';
      const response = await get(icon);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    });

    it('sends a CSP that forbids inline scripts, eval and other sites, with a fresh style nonce', async () => {
      const first = await get('/');
      const second = await get('/');
      const csp = cspOf(first.headers);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('script-src'), ["'self'"]);
      assert.deepEqual(csp.get('base-uri'), ["'none'"]);
      assert.deepEqual(csp.get('form-action'), ["'none'"]);
      assert.doesNotMatch(first.headers.get('content-security-policy') ?? '', /unsafe-inline|unsafe-eval|\*/);
      const nonce = /data-nonce="([^"]+)"/.exec(first.body)?.[1];
      assert.ok(nonce && nonce.length >= 22, 'a nonce of 128 bits');
      // The hash is that of an empty <style> (react-scroll-to-bottom's, see src/http/webchat/page.ts).
      assert.deepEqual(csp.get('style-src'), [
        "'self'",
        `'nonce-${nonce}'`,
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
      ]);
      assert.notEqual(/data-nonce="([^"]+)"/.exec(second.body)?.[1], nonce, 'a new nonce per response');
      assert.deepEqual(csp.get('img-src'), ["'self'", 'blob:'], 'Web Chat makes blob: images');
      // The emulation is this server: Direct Line and its WebSocket are 'self'.
      assert.deepEqual(csp.get('connect-src'), ["'self'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'self'", HOST_SITE], 'the académie site may frame it');
    });

    it('sends the other security headers and is never cached', async () => {
      const { headers } = await get('/');
      assert.equal(headers.get('x-content-type-options'), 'nosniff');
      assert.equal(headers.get('referrer-policy'), 'no-referrer');
      assert.match(headers.get('cache-control') ?? '', /no-store/);
      assert.match(headers.get('permissions-policy') ?? '', /camera=\(\)/);
      // frame-ancestors lists the académie sites; X-Frame-Options could not, and would contradict it.
      assert.equal(headers.get('x-frame-options'), null);
    });

    it('has a compact mode for the widget (?embed=1): only its named region, no landmark the host site has', async () => {
      const { status, body } = await get('/?embed=1');
      assert.equal(status, 200);
      assert.match(body, /<html lang="fr">/);
      assert.match(body, /<title>Assistant électeur – Académie de Paris<\/title>/);
      assert.match(body, /<body class="embed">/);
      // In the site's page, a frame's main, banner or footer would be a second one (axe: landmark-unique).
      assert.doesNotMatch(body, /<header|<footer|<main|<nav|<aside|role="(main|banner|contentinfo)"/);
      const region =
        /<section id="conversation"[^>]*aria-labelledby="conversation-title"[\s\S]*<\/section>/.exec(
          body,
        )?.[0];
      assert.ok(region, 'the named region');
      assert.match(region, /<h1 class="visually-hidden">/, 'the heading inside the region');
      assert.match(region, /Ne tapez jamais votre NUMEN/, 'the note inside the region');
      // The mentions French public services show on every page, inside the region (no footer landmark).
      assert.match(region, /href="\/accessibilite"[^>]*>Accessibilité\u00a0: non conforme<\/a>/);
      assert.match(region, /href="\/donnees-personnelles"[^>]*>Données personnelles<\/a>/);
      assert.match(body, /data-embed="1"/);
      assert.equal(scriptsOf(body).length, 5, 'the same scripts as the full page');
    });

    it('gives the page scripts their French texts: the mask, the card errors, Web Chat’s own strings', async () => {
      const { body } = await get('/');
      const data = (name: string) =>
        new RegExp(`data-${name}="([^"]*)"`)
          .exec(body)?.[1]
          ?.replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&');
      assert.equal(data('masked-password'), '[mot de passe masqué]');
      assert.equal(data('card-errors'), 'Votre mot de passe n’a pas été envoyé.');
      assert.equal(data('date-time'), '{date} à {time}');
      assert.deepEqual(JSON.parse(data('webchat-texts') ?? '{}'), {
        ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT: 'Envoyé le $1',
        KEYBOARD_HELP_CLOSE_BUTTON_ALT: 'Masquer l’aide du clavier',
      });
      assert.match(body, /<p id="chat-status" class="visually-hidden" role="status"><\/p>/);
    });
  });

  describe('the assets', () => {
    async function urlsOf() {
      const { body } = await get('/');
      const sources = scriptsOf(body).map((s) => s.src ?? '');
      const webChat = sources[0];
      const script = sources.at(-1);
      const css = /<link rel="stylesheet" href="([^"]+)"/.exec(body)?.[1] ?? '';
      return { webChat: webChat ?? '', script: script ?? '', css };
    }

    it('serves Web Chat’s bundle from this server, as JavaScript, gzipped, cached for a year', async () => {
      const { webChat } = await urlsOf();
      assert.match(webChat, /^\/webchat\/webchat\.js\?v=[\w-]{16}$/);
      const response = await fetch(`${bot.url}${webChat}`, { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/javascript; charset=utf-8/);
      assert.equal(response.headers.get('content-encoding'), 'gzip');
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(Number(response.headers.get('content-length')) < 1_500_000, 'compressed');
      const body = await response.text();
      assert.ok(body.length > 1_000_000, `${body.length} characters`);
      assert.match(body, /renderWebChat/);
      assert.match(body, /createDirectLine/);

      const etag = response.headers.get('etag') ?? '';
      const again = await fetch(`${bot.url}${webChat}`, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304);
      await again.arrayBuffer();
    });

    it('serves its licence notice, which the bundle points to', async () => {
      const license = await get('/webchat/webchat.js.LICENSE.txt');
      assert.equal(license.status, 200);
      assert.match(license.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(license.body, /MIT|license/i);
    });

    it('asks for revalidation within an hour when the URL has no version', async () => {
      const response = await get('/webchat/webchat.js');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=3600');
    });

    it('serves the page’s parts as valid JavaScript, cacheable by version', async () => {
      const { body } = await get('/');
      const parts = scriptsOf(body)
        .map((s) => s.src ?? '')
        .filter((src) => /^\/webchat\/chat-/.test(src));
      assert.equal(parts.length, 3);
      for (const src of parts) {
        assert.match(src, /\?v=[\w-]{16}$/);
        const js = await get(src);
        assert.equal(js.status, 200, src);
        assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
        assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.doesNotThrow(() => new vm.Script(js.body), `${src}: valid JavaScript`);
        assert.match(js.body, /window\.assistantElecteurChat = \{ \.\.\.window\.assistantElecteurChat/);
      }
    });

    it('serves the page script and its style sheet', async () => {
      const { script, css } = await urlsOf();
      const js = await get(script);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.doesNotThrow(() => new vm.Script(js.body), 'valid JavaScript');
      assert.match(js.body, /createDirectLine\(/);
      // A reload resumes the conversation (issue 15): Direct Line reconnects with its id and a refreshed token.
      assert.match(js.body, /tokens\/refresh/);
      assert.match(js.body, /conversationId: current.conversationId/);
      assert.match(js.body, /locale: 'fr-FR'/);
      assert.match(js.body, /hideUploadButton: true/);
      const style = await get(css);
      assert.equal(style.status, 200);
      assert.match(style.headers.get('content-type') ?? '', /^text\/css/);
      assert.match(style.body, /#000091/);
    });
  });

  describe('/widget.js', () => {
    it('is JavaScript that other sites may load, with its French texts filled in', async () => {
      const widget = await get('/widget.js');
      assert.equal(widget.status, 200);
      assert.match(widget.headers.get('content-type') ?? '', /^text\/javascript; charset=utf-8/);
      assert.equal(widget.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.equal(widget.headers.get('cache-control'), 'public, max-age=3600');
      assert.equal(widget.headers.get('x-content-type-options'), 'nosniff');
      assert.doesNotThrow(() => new vm.Script(widget.body), 'valid JavaScript');
      assert.doesNotMatch(widget.body, /\/\*TEXT\*\//, 'texts filled in');
      assert.match(widget.body, /"open":"Assistant électeur"/);
      assert.match(widget.body, /"closeLabel":"Fermer l’assistant électeur"/);
      assert.match(widget.body, /\?embed=1/);
      assert.match(widget.body, /aria-expanded/);
    });
  });
});
