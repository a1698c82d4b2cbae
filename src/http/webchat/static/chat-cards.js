/*
 * The password card as the rest of the chat: its text at the chat's size (Adaptive Cards host config;
 * chat.css sizes the inputs), and its errors told to screen readers. Loaded before chat.js, which uses
 * `window.assistantElecteurChat.cards`.
 */
(() => {
  'use strict';

  const FAILED = 'ac-input-validation-failed';
  /** Marks the attributes we set, so that we remove only ours. */
  const OURS = 'data-assistant-electeur-error';

  /**
   * Adaptive Cards host config. Given to Web Chat, it replaces Web Chat's own (derived from styleOptions):
   * hence the whole of what our cards use. Sizes in pixels (the renderer's unit): 18 px is the chat's text
   * (1.125rem), where the renderer's default is 14 px. The top-level font settings, not `fontTypes`
   * (which would need its monospace entry as well).
   */
  function hostConfig({ font, text, subtle, accent, error }) {
    const fontSizes = { small: 15, default: 18, medium: 20, large: 23, extraLarge: 27 };
    const fontWeights = { lighter: 300, default: 400, bolder: 700 };
    const colors = (main) => ({ default: main, subtle: main });
    return {
      fontFamily: font,
      fontSizes,
      fontWeights,
      supportsInteractivity: true,
      containerStyles: {
        default: {
          backgroundColor: '#ffffff',
          foregroundColors: {
            default: { default: text, subtle },
            dark: colors(text),
            light: { default: '#ffffff', subtle: '#ffffff' },
            accent: colors(accent),
            attention: colors(error),
            good: colors('#18753c'),
            warning: colors('#b34000'),
          },
        },
        emphasis: {
          backgroundColor: '#f6f6f6',
          foregroundColors: { default: { default: text, subtle } },
        },
      },
      actions: {
        actionAlignment: 'stretch',
        actionsOrientation: 'vertical',
        buttonSpacing: 8,
        maxActions: 100,
        showCard: { actionMode: 'inline', inlineTopMargin: 8 },
        spacing: 'default',
      },
      adaptiveCard: { allowCustomStyle: false },
      imageSizes: { small: 40, medium: 80, large: 160 },
      imageSet: { imageSize: 'medium', maxImageHeight: 100 },
      textBlock: { headingLevel: 2 },
      inputs: {
        label: {
          inputSpacing: 'small',
          requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
          optionalInputs: { weight: 'bolder' },
        },
        errorMessage: { size: 'default', weight: 'bolder', color: 'attention', spacing: 'small' },
      },
    };
  }

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

  /** The renderer's error text of an input: the text block it adds after the input's container. */
  function errorOf(input) {
    const field = input.closest('.ac-input-container')?.parentElement;
    if (!field) return null;
    return [...field.children].find(
      (el) => el.classList.contains('ac-textBlock') && el.id && !el.contains(input),
    );
  }

  /**
   * The renderer shows a required field's error under it and moves the focus to the first one, but
   * marks nothing for assistive technologies: it only adds the error to the input's name. Here each
   * failed input gets aria-invalid and its error as description (no longer in its name, read once), and
   * `status` (a polite live region) says the form was not sent and why, once per refused submit.
   */
  function announceErrors({ root, status, summary }) {
    const sync = (input) => {
      const error = input.classList.contains(FAILED) ? errorOf(input) : null;
      if (error) {
        if (input.getAttribute('aria-invalid') !== 'true') input.setAttribute('aria-invalid', 'true');
        if (input.getAttribute('aria-describedby') !== error.id)
          input.setAttribute('aria-describedby', error.id);
        const names = (input.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
        if (names.includes(error.id))
          input.setAttribute('aria-labelledby', names.filter((id) => id !== error.id).join(' '));
        input.setAttribute(OURS, '');
        return error.textContent?.trim() ?? '';
      }
      if (input.hasAttribute(OURS)) {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
        input.removeAttribute(OURS);
      }
      return '';
    };

    let timer;
    const observer = new MutationObserver((records) => {
      // A submit with missing fields: the renderer removes then adds FAILED on each of them.
      const refused = records.some(
        (r) => r.target.classList?.contains(FAILED) && !(r.oldValue ?? '').split(/\s+/).includes(FAILED),
      );
      const inputs = [...root.querySelectorAll('.ac-adaptiveCard .ac-input')];
      const errors = inputs.map(sync).filter(Boolean);
      if (!refused || errors.length === 0) return;
      // Emptied first, then filled: the same text twice in a row is announced again.
      status.textContent = '';
      clearTimeout(timer);
      timer = setTimeout(() => {
        status.textContent = [summary, ...errors].join(' ');
      }, 100);
    });
    observer.observe(root, {
      subtree: true,
      attributes: true,
      attributeFilter: ['class'],
      attributeOldValue: true,
    });
  }

  const cards = { hostConfig, attachmentForScreenReaderMiddleware, announceErrors };
  window.assistantElecteurChat = { ...window.assistantElecteurChat, cards };
})();
