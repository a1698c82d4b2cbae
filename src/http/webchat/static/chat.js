/*
 * The page's script: asks our server for a Direct Line token, then renders Web Chat in French.
 * A separate file, not an inline script, so that the page's CSP can forbid inline scripts. Its texts come
 * from the data attributes of #webchat (locales/fr/webchat.json, filled in by the server).
 */
(() => {
  'use strict';

  const BLUE = '#000091';
  const TEXT = '#1e1e1e';
  /** 7:1 on white: timestamps and the send box's placeholder stay readable (default grey is 4.6:1). */
  const SUBTLE = '#595959';
  const BORDER = '#929292';
  const CLOSE_MESSAGE = 'assistant-electeur:close';
  const FOCUS_MESSAGE = 'assistant-electeur:focus';

  const root = document.getElementById('webchat');
  const alertBox = document.getElementById('chat-alert');
  if (!root || !alertBox) return;
  const settings = root.dataset;
  const embedded = settings.embed === '1';

  const styleOptions = {
    accent: BLUE,
    subtle: SUBTLE,
    timestampColor: SUBTLE,
    primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    // Relative sizes: the text follows the browser's zoom and font size settings.
    fontSizeSmall: '85%',
    rootHeight: '100%',
    rootWidth: '100%',
    bubbleBackground: '#ffffff',
    bubbleTextColor: TEXT,
    bubbleBorderColor: BORDER,
    bubbleBorderWidth: 1,
    bubbleBorderRadius: 4,
    bubbleFromUserBackground: BLUE,
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderColor: BLUE,
    bubbleFromUserBorderRadius: 4,
    // No file is ever needed, and the NUMEN must not be sent as a scan either.
    hideUploadButton: true,
    sendBoxButtonColor: BLUE,
    sendBoxTextColor: TEXT,
    // Long messages wrap instead of scrolling sideways in a one-line box (readable at 200 % zoom).
    sendBoxTextWrap: true,
    sendBoxBorderTop: `solid 1px ${BORDER}`,
    // Choices wrap onto several lines instead of a carousel that hides some of them at high zoom.
    suggestedActionLayout: 'flow',
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBorderColor: BLUE,
    suggestedActionBorderWidth: 2,
    suggestedActionBorderRadius: 4,
    suggestedActionTextColor: BLUE,
    suggestedActionBackgroundColorOnHover: '#e3e3fd',
    suggestedActionKeyboardFocusIndicatorBorderColor: BLUE,
    transcriptVisualKeyboardIndicatorColor: BLUE,
    transcriptActivityVisualKeyboardIndicatorColor: BLUE,
    richCardWrapTitle: true,
    // The password card's « Valider » button in the académie's blue (white on it: 15.6:1).
    cardPushButtonBackgroundColor: BLUE,
    cardPushButtonTextColor: '#ffffff',
  };

  /** Inputs.Text and the like of an Adaptive Card, each given its label as placeholder (see below). */
  function withPlaceholders(node) {
    if (Array.isArray(node)) return node.map(withPlaceholders);
    if (!node || typeof node !== 'object') return node;
    const copy = {};
    for (const [key, value] of Object.entries(node)) copy[key] = withPlaceholders(value);
    if (typeof copy.type === 'string' && copy.type.startsWith('Input.') && copy.label && !copy.placeholder)
      copy.placeholder = copy.label;
    return copy;
  }

  /**
   * Web Chat 4.18 makes a text copy of each card for screen readers, where an input is named by its
   * legacy `title` only; our cards (Adaptive Cards 1.5) use `label`, so the copy's inputs had no name
   * (axe: « label », critical). The copy, and only the copy, gets the label as placeholder.
   */
  const attachmentForScreenReaderMiddleware = () => (next) => (options) => {
    const attachment = options?.attachment;
    if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive' || !attachment.content)
      return next(options);
    return next({ ...options, attachment: { ...attachment, content: withPlaceholders(attachment.content) } });
  };

  function showProblem() {
    root.replaceChildren();
    alertBox.replaceChildren();
    const message = document.createElement('p');
    message.textContent = settings.unavailable || '';
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.textContent = settings.retry || '';
    retry.addEventListener('click', () => {
      alertBox.replaceChildren();
      start();
    });
    alertBox.append(message, retry);
  }

  async function fetchToken() {
    const response = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(`token route answered ${response.status}`);
    const body = await response.json();
    if (typeof body?.token !== 'string' || typeof body?.domain !== 'string')
      throw new Error('token route answered without { token, domain }');
    return body;
  }

  function showLoading() {
    const loading = document.createElement('p');
    loading.className = 'chat-loading';
    loading.textContent = settings.loading || '';
    root.replaceChildren(loading);
  }

  async function start() {
    // Written by the script, not in the HTML: without JavaScript only the <noscript> message shows.
    showLoading();
    try {
      const WebChat = window.WebChat;
      if (!WebChat) throw new Error('Web Chat bundle not loaded');
      const { token, domain } = await fetchToken();
      const directLine = WebChat.createDirectLine({ token, domain });
      root.replaceChildren();
      WebChat.renderWebChat(
        {
          directLine,
          locale: 'fr-FR',
          styleOptions,
          attachmentForScreenReaderMiddleware,
          // Web Chat puts it on the <style> elements it creates: the CSP allows those and no other.
          nonce: settings.nonce,
          // Our <section> is the named landmark; Web Chat's default "complementary" would be a second one.
          role: 'region',
        },
        root,
      );
    } catch {
      // Whatever failed (network, route, bundle), the teacher gets the same French message and a retry.
      showProblem();
    }
  }

  /** The send box appears once Web Chat has rendered: the panel may open before that, so try for 5 s. */
  function focusSendBox(triesLeft = 50) {
    const input = root.querySelector('.webchat__send-box textarea, .webchat__send-box input[type="text"]');
    if (input) input.focus();
    else if (triesLeft > 0) setTimeout(() => focusSendBox(triesLeft - 1), 100);
  }

  if (embedded && window.parent !== window) {
    // Inside the widget: Escape closes the panel of the host page (keys do not leave a frame by themselves).
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented)
        window.parent.postMessage({ type: CLOSE_MESSAGE }, '*');
    });
    // The host page moves the focus into the frame when it opens the panel: then to the send box.
    window.addEventListener('message', (event) => {
      if (event.source === window.parent && event.data?.type === FOCUS_MESSAGE) focusSendBox();
    });
  }

  start();
})();
