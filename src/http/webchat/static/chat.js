/*
 * The page's script: asks our server for a Direct Line token, then renders Web Chat in French.
 * A separate file, not an inline script, so that the page's CSP can forbid inline scripts. Its texts come
 * from the data attributes of #webchat (locales/fr/webchat.json, filled in by the server). Its parts are
 * loaded before it: chat-french.js, chat-cards.js and chat-password.js (`window.assistantElecteurChat`).
 */
(() => {
  'use strict';

  const BLUE = '#000091';
  const TEXT = '#1e1e1e';
  /** 7:1 on white: timestamps and the send box's placeholder stay readable (default grey is 4.6:1). */
  const SUBTLE = '#595959';
  const BORDER = '#929292';
  /** Red of the card's errors: 5.9:1 on white. */
  const ERROR = '#ce0500';
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  const CLOSE_MESSAGE = 'assistant-electeur:close';
  const FOCUS_MESSAGE = 'assistant-electeur:focus';
  /** Tells the widget that the page did load in its frame (a refused frame never says it). */
  const READY_MESSAGE = 'assistant-electeur:ready';

  const root = document.getElementById('webchat');
  const alertBox = document.getElementById('chat-alert');
  const statusBox = document.getElementById('chat-status');
  if (!root || !alertBox || !statusBox) return;
  const settings = root.dataset;
  const embedded = settings.embed === '1';
  /** The académie the page was opened for (`/?academie=…`, checked by the server), or none. */
  const academie = settings.academie || '';

  const styleOptions = {
    accent: BLUE,
    subtle: SUBTLE,
    timestampColor: SUBTLE,
    primaryFont: FONT,
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
    suggestedActionKeyboardFocusIndicatorBorderStyle: 'solid',
    suggestedActionKeyboardFocusIndicatorBorderWidth: 2,
    // The send button's focus: the académie's blue, 2 px (Web Chat's default is a 1 px grey line).
    sendBoxButtonKeyboardFocusIndicatorBorderColor: BLUE,
    sendBoxButtonKeyboardFocusIndicatorBorderWidth: 2,
    transcriptVisualKeyboardIndicatorColor: BLUE,
    transcriptActivityVisualKeyboardIndicatorColor: BLUE,
    richCardWrapTitle: true,
    // The password card's « Valider » button in the académie's blue (white on it: 15.6:1).
    cardPushButtonBackgroundColor: BLUE,
    cardPushButtonTextColor: '#ffffff',
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

  /**
   * The conversation survives a reload, and a closed tab reopened while its Direct Line token can still be
   * refreshed (issue 15: an agent's reply or a reminder sent meanwhile is there). Kept per académie page,
   * in this browser only; nothing but the token, its domain and the conversation id.
   */
  const SAVED_KEY = `assistant-electeur:conversation:${academie}`;
  /** A token refreshed this long before it expires is still accepted (clocks differ, requests take time). */
  const MARGIN_MS = 60_000;
  /** While the page is open the saved token is refreshed, so that it outlives a long visit. */
  const KEEP_FRESH_MS = 10 * 60_000;

  function loadSaved() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(SAVED_KEY) || 'null');
      if (
        saved &&
        typeof saved.token === 'string' &&
        typeof saved.domain === 'string' &&
        typeof saved.conversationId === 'string' &&
        typeof saved.expiresAt === 'number' &&
        saved.expiresAt > Date.now() + MARGIN_MS
      )
        return saved;
      window.localStorage.removeItem(SAVED_KEY);
    } catch {
      // No storage (private mode, blocked): every visit is a new conversation.
    }
    return undefined;
  }

  function save(session) {
    try {
      window.localStorage.setItem(SAVED_KEY, JSON.stringify(session));
    } catch {
      // Best effort: the conversation simply will not survive a reload.
    }
  }

  /** A fresh token for the saved conversation (Direct Line's own refresh: same conversation, same user). */
  async function refreshed(session) {
    const response = await fetch(`${session.domain}/tokens/refresh`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}`, Accept: 'application/json' },
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(`refresh answered ${response.status}`);
    const body = await response.json();
    if (typeof body?.token !== 'string') throw new Error('refresh answered without a token');
    return { ...session, token: body.token, expiresAt: Date.now() + Number(body.expires_in || 0) * 1000 };
  }

  /** The saved conversation when it can be resumed, otherwise a new one from our token route. */
  async function session() {
    const saved = loadSaved();
    if (saved) {
      try {
        const session = await refreshed(saved);
        save(session);
        return { ...session, resumed: true };
      } catch {
        window.localStorage.removeItem(SAVED_KEY);
      }
    }
    const { token, domain, conversationId, expires_in: expiresIn } = await fetchToken();
    const fresh = { token, domain, conversationId, expiresAt: Date.now() + Number(expiresIn || 0) * 1000 };
    if (typeof conversationId === 'string') save(fresh);
    return { ...fresh, resumed: false };
  }

  let keepFresh;

  /**
   * « Nouvelle conversation »: the saved one is forgotten on this device (a shared computer) and a new one
   * starts. Shown by the script only: without it there is nothing saved.
   */
  const tools = document.getElementById('chat-tools');
  const newConversation = document.getElementById('chat-new');
  if (tools && newConversation) {
    tools.hidden = false;
    newConversation.addEventListener('click', () => {
      try {
        window.localStorage.removeItem(SAVED_KEY);
      } catch {
        // Nothing was saved.
      }
      window.location.reload();
    });
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
      const parts = window.assistantElecteurChat;
      if (!WebChat || !parts?.cards || !parts.passwordMask || !parts.frenchStrings)
        throw new Error('Web Chat bundle or page scripts not loaded');
      const current = await session();
      const { token, domain } = current;
      // Given the conversation id, Web Chat reconnects to it (its history comes back) instead of starting one.
      const directLine = WebChat.createDirectLine(
        current.resumed ? { token, domain, conversationId: current.conversationId } : { token, domain },
      );
      clearInterval(keepFresh);
      if (typeof current.conversationId === 'string') {
        let latest = current;
        keepFresh = setInterval(() => {
          refreshed(latest)
            .then((next) => {
              latest = next;
              save(next);
            })
            .catch(() => {});
        }, KEEP_FRESH_MS);
      }
      const passwords = parts.passwordMask({ root, mask: settings.maskedPassword || '' });
      root.replaceChildren();
      WebChat.renderWebChat(
        {
          directLine,
          store: WebChat.createStore({}, passwords.middleware, academieMiddleware),
          locale: 'fr-FR',
          overrideLocalizedStrings: parts.frenchStrings({
            texts: JSON.parse(settings.webchatTexts || '{}'),
            dateTime: settings.dateTime || '{date} {time}',
          }),
          styleOptions,
          adaptiveCardsHostConfig: parts.cards.hostConfig({
            font: FONT,
            text: TEXT,
            subtle: SUBTLE,
            accent: BLUE,
            error: ERROR,
          }),
          attachmentForScreenReaderMiddleware: parts.cards.attachmentForScreenReaderMiddleware,
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

  /**
   * Every activity the page sends carries the académie it was opened for (channelData.academie): the bot
   * then answers with its webmail and its local time before the teacher gives an address.
   */
  function academieMiddleware() {
    return (next) => (action) => {
      if (!academie || action.type !== 'DIRECT_LINE/POST_ACTIVITY' || !action.payload?.activity)
        return next(action);
      const activity = action.payload.activity;
      return next({
        ...action,
        payload: {
          ...action.payload,
          activity: { ...activity, channelData: { ...activity.channelData, academie } },
        },
      });
    };
  }

  /** The send box appears once Web Chat has rendered: the panel may open before that, so try for 5 s. */
  function focusSendBox(triesLeft = 50) {
    const input = root.querySelector('.webchat__send-box textarea, .webchat__send-box input[type="text"]');
    if (input) input.focus();
    else if (triesLeft > 0) setTimeout(() => focusSendBox(triesLeft - 1), 100);
  }

  if (embedded && window.parent !== window) {
    // Only our own widget frames the page (frame-ancestors): its origin is unknown here, hence '*';
    // the message carries nothing but its type.
    window.parent.postMessage({ type: READY_MESSAGE }, '*');
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

  // Once for the page: the observer outlives a reconnection (« Réessayer » renders Web Chat again).
  window.assistantElecteurChat?.cards?.announceErrors({
    root,
    status: statusBox,
    summary: settings.cardErrors || '',
  });
  start();
})();
