/*
 * A password typed in the send box never shows on screen. While the bot waits for a password (its prompt
 * carries `channelData.inputType: 'password'`, or the masked card), what the teacher sends is replaced by
 * a mask in Web Chat's store before anything renders it; the bot still receives the real text, since
 * Web Chat posts its own copy of the activity (postActivitySaga), not the one in the store.
 * Loaded before chat.js, which uses `window.assistantElecteurChat.passwordMask`.
 */
(() => {
  'use strict';

  const INCOMING = 'DIRECT_LINE/INCOMING_ACTIVITY';
  const POST = 'DIRECT_LINE/POST_ACTIVITY';
  const PENDING = 'DIRECT_LINE/POST_ACTIVITY_PENDING';
  const FULFILLED = 'DIRECT_LINE/POST_ACTIVITY_FULFILLED';
  /** On the root while a password is expected: chat.css then hides the send box's characters. */
  const EXPECTED_CLASS = 'password-expected';

  function hasMaskedInput(node) {
    if (Array.isArray(node)) return node.some(hasMaskedInput);
    if (!node || typeof node !== 'object') return false;
    if (node.type === 'Input.Text' && node.style === 'password') return true;
    return Object.values(node).some(hasMaskedInput);
  }

  /** A bot message after which the teacher's next message is a password. */
  function asksForPassword(activity) {
    if (activity.channelData?.inputType === 'password') return true;
    return (activity.attachments ?? []).some(
      (a) => a?.contentType === 'application/vnd.microsoft.card.adaptive' && hasMaskedInput(a.content),
    );
  }

  const fromTeacher = (activity) => activity?.from?.role === 'user';
  const typed = (activity) =>
    activity?.type === 'message' && typeof activity.text === 'string' && activity.text !== '';

  function withActivity(action, activity) {
    return { ...action, payload: { ...action.payload, activity } };
  }

  /**
   * `root`: Web Chat's container (gets EXPECTED_CLASS). `mask`: the text shown instead of the password.
   * Returns the store middleware for `WebChat.createStore({}, middleware)`.
   */
  function passwordMask({ root, mask }) {
    let expected = false;
    /** Ids (Web Chat's clientActivityID) of the teacher's messages shown masked: their echo is masked too. */
    const maskedIds = new Set();
    /**
     * The real text of a masked message, kept in memory only until the bot has it: « Réessayer » after a
     * failed send posts the store's (masked) copy again, and gets the real text back here.
     */
    const unsent = new Map();
    /** The text of a retried message, between its POST_ACTIVITY and its POST_ACTIVITY_PENDING. */
    let retry;

    const hide = (activity) => ({ ...activity, text: mask, textFormat: 'plain' });

    function setExpected(value) {
      expected = value;
      root.classList.toggle(EXPECTED_CLASS, value);
      // Phones capitalise, correct and suggest words: a password must reach the bot as it was typed.
      const box = root.querySelector('.webchat__send-box textarea, .webchat__send-box input[type="text"]');
      if (!box) return;
      for (const [name, off] of [
        ['autocapitalize', 'off'],
        ['autocorrect', 'off'],
        ['autocomplete', 'off'],
        ['spellcheck', 'false'],
      ]) {
        if (value) box.setAttribute(name, off);
        else box.removeAttribute(name);
      }
    }

    const middleware = () => (next) => (action) => {
      const activity = action?.payload?.activity;
      switch (action?.type) {
        case INCOMING:
          if (!activity) break;
          if (fromTeacher(activity)) {
            // Also what the teacher typed after a password prompt when the conversation is replayed (a
            // reload resumes it): its ids are not in this page's memory, the bot's prompt before it is.
            if ((expected || maskedIds.has(activity.channelData?.clientActivityID)) && typed(activity))
              return next(withActivity(action, hide(activity)));
          } else if (activity.type === 'message') setExpected(asksForPassword(activity));
          break;
        case POST: {
          // A retry: the failed copy's real text goes out again, under a new id, masked again.
          const id = activity?.channelData?.clientActivityID;
          if (!unsent.has(id)) break;
          retry = unsent.get(id);
          unsent.delete(id);
          return next(withActivity(action, { ...activity, text: retry }));
        }
        case PENDING: {
          if (!fromTeacher(activity) || !typed(activity)) break;
          const retried = retry !== undefined && activity.text === retry;
          retry = undefined;
          if (!expected && !retried) break;
          const id = action.meta?.clientActivityID;
          maskedIds.add(id);
          unsent.set(id, activity.text);
          return next(withActivity(action, hide(activity)));
        }
        case FULFILLED:
          unsent.delete(action.meta?.clientActivityID);
          break;
      }
      return next(action);
    };

    return { middleware };
  }

  window.assistantElecteurChat = { ...window.assistantElecteurChat, passwordMask };
})();
