import { t } from '../../i18n';
import { escapeHtml, renderShell } from '../html';

export interface ChatPageInput {
  readonly academieName: string;
  /** Compact page for the widget's frame: no site header nor footer (the host site has its own). */
  readonly embed: boolean;
  /** Per response: Web Chat puts it on the <style> elements it creates, so style-src needs no 'unsafe-inline'. */
  readonly styleNonce: string;
  readonly urls: {
    readonly css: string;
    readonly icon: string;
    readonly webChat: string;
    readonly script: string;
  };
  readonly tokenUrl: string;
}

/**
 * The French page around Web Chat. No inline script (the CSP forbids them): the page script reads its
 * texts and settings from the data attributes of #webchat.
 */
export function renderChatPage(input: ChatPageInput): string {
  const academie = escapeHtml(input.academieName);
  const title = escapeHtml(t('webchat.page.title'));
  const chatHeading = escapeHtml(t('webchat.page.chatHeading'));
  const data = {
    'token-url': input.tokenUrl,
    nonce: input.styleNonce,
    embed: input.embed ? '1' : '0',
    loading: t('webchat.page.loading'),
    unavailable: t('webchat.page.unavailable'),
    retry: t('webchat.page.retry'),
  };
  const attributes = Object.entries(data)
    .map(([name, value]) => `data-${name}="${escapeHtml(value)}"`)
    .join(' ');
  const intro = input.embed ? '' : `\n      <p class="intro">${escapeHtml(t('webchat.page.intro'))}</p>`;
  // The widget's frame is compact: no banner, skip link nor footer (the host site has its own).
  return renderShell({
    title: t('webchat.page.documentTitle', { academie: input.academieName }),
    stylesheets: [input.urls.css],
    head: `
    <link rel="icon" href="${escapeHtml(input.urls.icon)}" type="image/svg+xml">
    <script src="${escapeHtml(input.urls.webChat)}" defer></script>
    <script src="${escapeHtml(input.urls.script)}" defer></script>`,
    bodyClass: input.embed ? 'embed' : 'full',
    ...(input.embed
      ? {}
      : {
          skipLink: { href: '#conversation', text: t('webchat.page.skipLink') },
          banner: `
      <p class="site-name">${academie}</p>
      <p class="site-tagline">${escapeHtml(t('webchat.page.tagline'))}</p>
    `,
          footer: `
      <p>${escapeHtml(t('webchat.page.footer'))}</p>
    `,
        }),
    main: {
      className: 'chat-main',
      html: `      <h1${input.embed ? ' class="visually-hidden"' : ''}>${title}</h1>${intro}
      <p class="numen-note"><strong>${escapeHtml(t('webchat.page.numenNoteLabel'))}</strong> ${escapeHtml(t('webchat.page.numenNote'))}</p>
      <section id="conversation" class="conversation" aria-labelledby="conversation-title" tabindex="-1">
        <h2 id="conversation-title" class="visually-hidden">${chatHeading}</h2>
        <div id="chat-alert" class="chat-alert" role="alert"></div>
        <noscript><p class="chat-problem">${escapeHtml(t('webchat.page.noscript'))}</p></noscript>
        <div id="webchat" class="webchat" ${attributes}></div>
      </section>`,
    },
  });
}

export interface PagePolicyInput {
  readonly styleNonce: string;
  /** Where Web Chat talks to Direct Line besides this origin (Azure's domain, https: and wss:). */
  readonly connectSources: readonly string[];
  /** Sites allowed to frame the page (the widget on an académie's site), besides this origin. */
  readonly frameAncestors: readonly string[];
}

/**
 * The hash of an empty <style>. react-scroll-to-bottom (inside Web Chat 4.18) creates its emotion <style>
 * without the nonce Web Chat was given, empty, and then fills it with CSSOM insertRule, which CSP does not
 * govern. Allowing an empty element lets its rules apply; anything written into it as text would still
 * be checked, and refused.
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * Exactly what the page needs, checked in Chromium by test/e2e (a `securitypolicyviolation` listener
 * fails the tests): our scripts and styles only; Web Chat's <style> elements carry the nonce; the
 * images Web Chat makes itself as blob: URLs (refused without it: checked); Direct Line over fetch and
 * WebSocket. 'self' covers ws:/wss: to this host (CSP Level 3), where the local emulation streams.
 */
export function pagePolicy(input: PagePolicyInput): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", `'nonce-${input.styleNonce}'`, EMPTY_STYLE_HASH]],
    ['img-src', ["'self'", 'blob:']],
    ['connect-src', ["'self'", ...input.connectSources]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'self'", ...input.frameAncestors]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** The origins of a Direct Line domain for connect-src: the REST calls (https:) and the stream (wss:). */
export function directLineSources(domain: string): string[] {
  const url = new URL(domain);
  const stream = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${stream}//${url.host}`];
}
