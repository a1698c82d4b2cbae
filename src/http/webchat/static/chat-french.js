/*
 * Web Chat's own texts where its French falls short. Its times come from a Globalize formatter with a
 * 12-hour skeleton (« 7 décembre à 3:31 AM », read as such by screen readers) whatever the locale; Web
 * Chat 4.18 takes the Globalize object from its localized strings (`GLOBALIZE`), so one built on the
 * browser's Intl in French replaces it: « 7 décembre à 15 h 31 ». Loaded before chat.js, which uses
 * `window.assistantElecteurChat.frenchStrings`.
 */
(() => {
  'use strict';

  const NBSP = '\u00a0';

  /** « 15 h », « 15 h 05 »: the hours of the assistant's own messages (style-fr.md). */
  function hourOf(date) {
    const minutes = date.getMinutes();
    const hour = `${date.getHours()}${NBSP}h`;
    return minutes === 0 ? hour : `${hour}${NBSP}${String(minutes).padStart(2, '0')}`;
  }

  /** The four formatters Web Chat asks its Globalize object for (dates, relative times, sizes, plurals). */
  function frenchGlobalize(dateTime) {
    const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long' });
    return {
      dateFormatter: () => (value) => {
        const date = new Date(value);
        return dateTime.replace('{date}', day.format(date)).replace('{time}', hourOf(date));
      },
      relativeTimeFormatter: (unit) => {
        const format = new Intl.RelativeTimeFormat('fr-FR', { numeric: 'auto' });
        return (value) => format.format(value, unit);
      },
      unitFormatter: (unit, options) => {
        const format = new Intl.NumberFormat('fr-FR', {
          style: 'unit',
          unit,
          unitDisplay: options?.form === 'long' ? 'long' : 'short',
        });
        return (value) => format.format(value);
      },
      plural: (value) => new Intl.PluralRules('fr-FR').select(value),
    };
  }

  /**
   * For `overrideLocalizedStrings`: `texts` are Web Chat string ids with our French (from
   * locales/fr/webchat.json), `dateTime` the pattern of a date and time (« {date} à {time} »).
   */
  function frenchStrings({ texts, dateTime }) {
    return { ...texts, GLOBALIZE: frenchGlobalize(dateTime) };
  }

  window.assistantElecteurChat = { ...window.assistantElecteurChat, frenchStrings };
})();
