import { t } from '../../i18n';
import { escapeHtml, legalLinks, renderShell } from '../html';

export interface ChatPageInput {
  readonly academieName: string;
  /** The académie the page was opened for (`/?academie=…`, a known profile id): sent with every message. */
  readonly academie?: string;
  /** Compact page for the widget's frame: no site header nor footer (the host site has its own). */
  readonly embed: boolean;
  /** Per response: Web Chat puts it on the <style> elements it creates, so style-src needs no 'unsafe-inline'. */
  readonly styleNonce: string;
  readonly urls: {
    readonly css: string;
    readonly icon: string;
    readonly webChat: string;
    /** The page's scripts, in the order they run (its parts first, chat.js last). */
    readonly scripts: readonly string[];
  };
  readonly tokenUrl: string;
}

/** Web Chat's own strings we replace (its ids; `$1` is its placeholder): literal keys, for the locale tests. */
function webChatTexts(): Record<string, string> {
  return {
    ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT: t('webchat.webChat.ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT'),
    KEYBOARD_HELP_CLOSE_BUTTON_ALT: t('webchat.webChat.KEYBOARD_HELP_CLOSE_BUTTON_ALT'),
  };
}

function numenNote(): string {
  return `<p class="numen-note"><strong>${escapeHtml(t('webchat.page.numenNoteLabel'))}</strong> ${escapeHtml(t('webchat.page.numenNote'))}</p>`;
}

/**
 * The chat itself: the named region with the alert and status regions and Web Chat's container; `lead`
 * (HTML) opens the region.
 */
function chatSection(input: ChatPageInput, lead = '', tail = ''): string {
  const data = {
    'token-url': input.tokenUrl,
    nonce: input.styleNonce,
    embed: input.embed ? '1' : '0',
    loading: t('webchat.page.loading'),
    unavailable: t('webchat.page.unavailable'),
    retry: t('webchat.page.retry'),
    'masked-password': t('webchat.page.maskedPassword'),
    'card-errors': t('webchat.page.cardErrors'),
    'date-time': t('webchat.page.dateTime', { date: '{date}', time: '{time}' }),
    'webchat-texts': JSON.stringify(webChatTexts()),
    ...(input.academie ? { academie: input.academie } : {}),
  };
  const attributes = Object.entries(data)
    .map(([name, value]) => `data-${name}="${escapeHtml(value)}"`)
    .join(' ');
  return `      <section id="conversation" class="conversation" aria-labelledby="conversation-title" tabindex="-1">${lead}
        <h2 id="conversation-title" class="visually-hidden">${escapeHtml(t('webchat.page.chatHeading'))}</h2>
        <div id="chat-alert" class="chat-alert" role="alert"></div>
        <p id="chat-status" class="visually-hidden" role="status"></p>
        <noscript><p class="chat-problem">${escapeHtml(t('webchat.page.noscript'))}</p></noscript>
        <div id="webchat" class="webchat" ${attributes}></div>
        <div class="chat-tools" id="chat-tools" hidden>
          <p class="hint" id="chat-new-hint">${escapeHtml(t('webchat.page.newConversationHint'))}</p>
          <button type="button" id="chat-new" aria-describedby="chat-new-hint">${escapeHtml(t('webchat.page.newConversation'))}</button>
        </div>${tail}
      </section>`;
}

function headOf(input: ChatPageInput): string {
  const scripts = [input.urls.webChat, ...input.urls.scripts]
    .map((src) => `\n    <script src="${escapeHtml(src)}" defer></script>`)
    .join('');
  return `
    <link rel="icon" href="${escapeHtml(input.urls.icon)}" type="image/svg+xml">${scripts}`;
}

/**
 * The French page around Web Chat. No inline script (the CSP forbids them): the page scripts read their
 * texts and settings from the data attributes of #webchat.
 */
export function renderChatPage(input: ChatPageInput): string {
  if (input.embed) return renderEmbeddedPage(input);
  const title = escapeHtml(t('webchat.page.title'));
  return renderShell({
    title: t('webchat.page.documentTitle', { academie: input.academieName }),
    stylesheets: [input.urls.css],
    head: headOf(input),
    bodyClass: 'full',
    skipLink: { href: '#conversation', text: t('webchat.page.skipLink') },
    banner: `
      <p class="site-name">${escapeHtml(input.academieName)}</p>
      <p class="site-tagline">${escapeHtml(t('webchat.page.tagline'))}</p>
    `,
    footer: `
      <p>${escapeHtml(t('webchat.page.footer'))}</p>
    `,
    main: {
      className: 'chat-main',
      html: `      <h1>${title}</h1>
      <p class="intro">${escapeHtml(t('webchat.page.intro'))}</p>
      ${numenNote()}
${chatSection(input)}`,
    },
  });
}

/**
 * The widget's frame: the chat alone, in the host site's page. Screen readers and axe see the frame's
 * landmarks as part of the host's, so it adds none the host already has (no main, banner nor footer:
 * axe's landmark-unique on the site) and only its own named region, which holds everything (axe's
 * « region »). Not the shared shell for that reason: the shell's landmarks belong to pages of their own.
 */
function renderEmbeddedPage(input: ChatPageInput): string {
  const title = t('webchat.page.documentTitle', { academie: input.academieName });
  return `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="${escapeHtml(input.urls.css)}">${headOf(input)}
  </head>
  <body class="embed">
    <div class="chat-main">
${chatSection(
  input,
  `
        <h1 class="visually-hidden">${escapeHtml(t('webchat.page.title'))}</h1>
        ${numenNote()}`,
  // The privacy notice and the accessibility statement, reachable from the widget too: inside the region,
  // since a footer would be a second one on the host's page.
  `\n        ${legalLinks({ newTab: true })}`,
)}
    </div>
  </body>
</html>
`;
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
