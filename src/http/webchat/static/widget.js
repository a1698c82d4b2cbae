/*
 * Assistant électeur: the chat button for an académie's site. One tag on the page is enough:
 *   <script src="https://<bot>/widget.js" async></script>
 * It adds a button that opens the assistant in a panel (a frame of <bot>/?embed=1). Everything lives in
 * a shadow root, so the site's CSS and ours do not touch each other, and the styles are a constructed
 * style sheet, which the site's Content-Security-Policy does not need to allow (no <style> element).
 * The site's CSP must allow <bot> in script-src and frame-src; the bot must list the site in
 * WEBCHAT_ORIGINS (the page's frame-ancestors). A site that is not listed gets a French message and a
 * link that opens the chat in a new tab instead of a broken frame. An académie's site names itself with
 * `data-academie="reunion"` on the tag: the chat then answers with that académie's webmail and time.
 */
(() => {
  'use strict';

  // Filled in by the server from locales/fr/webchat.json.
  const TEXT = /*TEXT*/ {};
  const CLOSE_MESSAGE = 'assistant-electeur:close';
  const FOCUS_MESSAGE = 'assistant-electeur:focus';
  /** Sent by our page once it runs in the frame: a frame refused by frame-ancestors never sends it. */
  const READY_MESSAGE = 'assistant-electeur:ready';
  /** After the frame's load event, how long its page has to say it is there (it says it before). */
  const READY_GRACE_MS = 1500;

  const script = document.currentScript;
  if (!script?.src || window.assistantElecteurWidget) return;
  window.assistantElecteurWidget = true;
  const base = new URL('./', script.src);
  const botOrigin = base.origin;
  // A profile id (the bot ignores one it does not know); anything else is left out.
  const academie = /^[a-z][a-z0-9-]{0,39}$/.test(script.dataset.academie || '')
    ? script.dataset.academie
    : '';
  const forAcademie = academie ? `academie=${encodeURIComponent(academie)}` : '';
  const chatUrl = new URL(`./?embed=1${forAcademie ? `&${forAcademie}` : ''}`, base).href;
  const fullPageUrl = new URL(forAcademie ? `./?${forAcademie}` : './', base).href;

  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  const CSS = `
:host { all: initial; }
.launcher {
  position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 0.5rem;
  padding: 0.75rem 1.25rem; font: 600 1rem/1.25 ${FONT};
  color: #fff; background: #000091; border: 2px solid #fff; border-radius: 2rem;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.35); cursor: pointer;
}
.launcher:hover { background: #1212ff; }
.launcher:focus-visible { outline: 3px solid #000091; outline-offset: 3px; }
.launcher svg { width: 1.25em; height: 1.25em; fill: currentColor; }
.panel {
  position: fixed; right: 1rem; bottom: 5rem; z-index: 2147483000;
  width: min(26rem, calc(100vw - 2rem)); height: min(40rem, calc(100vh - 7rem));
  display: flex; flex-direction: column; box-sizing: border-box;
  background: #fff; border: 1px solid #929292; border-radius: 0.5rem; overflow: hidden;
  box-shadow: 0 4px 24px rgba(0, 0, 0, 0.3);
}
.panel[hidden] { display: none; }
.bar {
  display: flex; align-items: center; justify-content: space-between; gap: 0.5rem;
  padding: 0.5rem 0.75rem; background: #000091; color: #fff; font: 700 1rem/1.3 ${FONT};
}
.close {
  font: 400 1rem/1.3 ${FONT}; color: #000091; background: #fff;
  border: 0; border-radius: 0.25rem; padding: 0.25rem 0.75rem; cursor: pointer;
}
.close:focus-visible { outline: 3px solid #fff; outline-offset: 2px; }
iframe { flex: 1; width: 100%; border: 0; }
.fallback { padding: 1rem; font: 400 1rem/1.5 ${FONT}; color: #1e1e1e; }
.fallback p { margin: 0 0 0.75rem; }
.fallback a { color: #000091; font-weight: 600; }
.fallback a:focus-visible { outline: 3px solid #000091; outline-offset: 2px; }
@media (max-width: 30rem), (max-height: 30rem) {
  .panel { inset: 0; width: auto; height: auto; border: 0; border-radius: 0; }
  .launcher[aria-expanded="true"] { display: none; }
}
`;

  function styles(shadow) {
    if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function') {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        shadow.adoptedStyleSheets = [sheet];
        return;
      } catch {
        // Older browsers: a <style> element below (the site's CSP may then need to allow it).
      }
    }
    const style = document.createElement('style');
    style.textContent = CSS;
    shadow.append(style);
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  /** A speech bubble, decorative: the button's name is its text. No innerHTML (sites with Trusted Types). */
  function bubbleIcon() {
    const SVG = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute(
      'd',
      'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
    );
    svg.append(path);
    return svg;
  }

  function build() {
    const host = element('div', { 'data-assistant-electeur': '' });
    const shadow = host.attachShadow({ mode: 'open' });
    styles(shadow);

    const panel = element('div', {
      class: 'panel',
      id: 'assistant-electeur-panel',
      role: 'dialog',
      'aria-label': TEXT.dialogLabel,
    });
    panel.hidden = true;
    const bar = element('div', { class: 'bar' });
    const title = element('span', { 'aria-hidden': 'true' }, TEXT.open);
    const closeButton = element(
      'button',
      { type: 'button', class: 'close', 'aria-label': TEXT.closeLabel },
      TEXT.close,
    );
    bar.append(title, closeButton);
    panel.append(bar);

    const launcher = element('button', {
      type: 'button',
      class: 'launcher',
      'aria-expanded': 'false',
      'aria-controls': 'assistant-electeur-panel',
    });
    launcher.append(bubbleIcon(), element('span', {}, TEXT.open));

    let frame;
    /** Our page said it runs in the frame. Until then, nothing is posted to it (it may be an error page). */
    let ready = false;
    /** The French message and its link, once the frame is known to be refused. */
    let fallback;
    const isOpen = () => !panel.hidden;
    const askFocus = () => {
      if (ready) frame?.contentWindow?.postMessage({ type: FOCUS_MESSAGE }, botOrigin);
    };

    /**
     * The frame was refused (the site is not in WEBCHAT_ORIGINS) or could not load: it goes, and a
     * message in the panel says so, with a link that opens the chat in a new tab. The focus stays in
     * the site's page, so Escape and « Fermer » keep working.
     */
    function showFallback() {
      if (ready || fallback) return;
      console.warn(TEXT.notAllowed);
      fallback = element('div', { class: 'fallback', role: 'alert' });
      const link = element('a', { href: fullPageUrl, target: '_blank', rel: 'noopener' }, TEXT.openInTab);
      fallback.append(element('p', {}, TEXT.unavailable), link);
      frame?.remove();
      frame = undefined;
      panel.append(fallback);
      if (isOpen()) link.focus();
    }

    function open() {
      // The frame is made on the first opening only: visitors who never open it start no conversation.
      if (!frame && !fallback) {
        frame = element('iframe', { title: TEXT.frameTitle, src: chatUrl });
        frame.addEventListener('load', () => {
          if (!ready) setTimeout(showFallback, READY_GRACE_MS);
        });
        panel.append(frame);
      }
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      if (fallback) fallback.querySelector('a')?.focus();
      else {
        frame.focus();
        askFocus();
      }
    }

    function close() {
      if (!isOpen()) return;
      panel.hidden = true;
      launcher.setAttribute('aria-expanded', 'false');
      launcher.focus();
    }

    launcher.addEventListener('click', () => (isOpen() ? close() : open()));
    closeButton.addEventListener('click', close);
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    // From our own page in the frame: it runs (then it gets the focus), or Escape was pressed there.
    window.addEventListener('message', (event) => {
      if (event.origin !== botOrigin || !frame || event.source !== frame.contentWindow) return;
      if (event.data?.type === READY_MESSAGE) {
        ready = true;
        if (isOpen()) askFocus();
      } else if (event.data?.type === CLOSE_MESSAGE) close();
    });

    shadow.append(panel, launcher);
    document.body.append(host);
  }

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
