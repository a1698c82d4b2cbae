/*
 * Assistant électeur: the chat button for an académie's site. One tag on the page is enough:
 *   <script src="https://<bot>/widget.js" async></script>
 * It adds a button that opens the assistant in a panel (a frame of <bot>/?embed=1). Everything lives in
 * a shadow root, so the site's CSS and ours do not touch each other, and the styles are a constructed
 * style sheet, which the site's Content-Security-Policy does not need to allow (no <style> element).
 * The site's CSP must allow <bot> in script-src and frame-src; the bot must list the site in
 * WEBCHAT_ORIGINS (the page's frame-ancestors).
 */
(() => {
  'use strict';

  // Filled in by the server from locales/fr/webchat.json.
  const TEXT = /*TEXT*/ {};
  const CLOSE_MESSAGE = 'assistant-electeur:close';
  const FOCUS_MESSAGE = 'assistant-electeur:focus';

  const script = document.currentScript;
  if (!script?.src || window.assistantElecteurWidget) return;
  window.assistantElecteurWidget = true;
  const base = new URL('./', script.src);
  const botOrigin = base.origin;
  const chatUrl = new URL('./?embed=1', base).href;

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
    const isOpen = () => !panel.hidden;
    const askFocus = () => frame?.contentWindow?.postMessage({ type: FOCUS_MESSAGE }, botOrigin);

    function open() {
      // The frame is made on the first opening only: visitors who never open it start no conversation.
      if (!frame) {
        frame = element('iframe', { title: TEXT.frameTitle, src: chatUrl });
        frame.addEventListener('load', () => {
          if (isOpen()) askFocus();
        });
        panel.append(frame);
      }
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      frame.focus();
      askFocus();
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
    // Escape pressed inside the frame comes back as a message from our own page.
    window.addEventListener('message', (event) => {
      if (
        event.origin === botOrigin &&
        event.source === frame?.contentWindow &&
        event.data?.type === CLOSE_MESSAGE
      )
        close();
    });

    shadow.append(panel, launcher);
    document.body.append(host);
  }

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
