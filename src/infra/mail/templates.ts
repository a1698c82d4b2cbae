import type { OutboxMail, TokenSealer } from '../../domain/accounts/ports';
import { formatDateTimeFr } from '../../domain/calendar/format';
import { t } from '../../i18n';
import { headerValue } from './headers';
import { singleRecipient } from './transport';

export interface RenderedMail {
  to: string;
  /** The sender, when it depends on the recipient (their académie's); absent: the transport's. */
  from?: string;
  subject: string;
  text: string;
  html: string;
  /** The confirmation link, for the embedded mode that shows it; never to be logged. */
  link?: string;
}

export interface RenderContext {
  /** Public base URL of the bot's HTTP server, e.g. https://assistant.ac-paris.fr */
  publicBaseUrl: string;
  sealer: TokenSealer;
  /** Time zone of the election calendar. */
  timeZone: string;
  /** The election as the election file names it: the subject and the first lines say which one. */
  electionName: string;
}

/** The reference time of the elections: every deadline is said « heure de Paris » first. */
const PARIS = 'Europe/Paris';

/** Thrown when a queued mail's token was sealed with another key: the mail can never be sent. */
export class UnsealableTokenError extends Error {
  override readonly name = 'UnsealableTokenError';
}

/** The confirmation route of the HTTP server; the token is the only parameter. */
export function confirmationLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/confirmation?jeton=${encodeURIComponent(token)}`;
}

/**
 * French mail, text and HTML parts, from a queued mail. Unseals the token only here, at sending time. A
 * recipient that is not one plain address throws InvalidRecipientError: the worker then puts the mail in
 * the dead letters at once, as retrying could not help.
 */
export function renderMail(mail: OutboxMail, ctx: RenderContext): RenderedMail {
  switch (mail.kind) {
    case 'confirmation':
      return renderConfirmation(mail, ctx);
    case 'reminder':
      return renderReminder(mail, ctx);
    default:
      return renderAlreadyConfirmed(mail, ctx);
  }
}

/** The account still waits for its confirmation: when the first mail left, until when its link works. */
function renderReminder(mail: Extract<OutboxMail, { kind: 'reminder' }>, ctx: RenderContext): RenderedMail {
  const election = ctx.electionName;
  const expiresAt = new Date(mail.expiresAt);
  const until = formatDateTimeFr(expiresAt, PARIS);
  const validity =
    ctx.timeZone === PARIS
      ? t('reminders.mail.validity', { until })
      : t('reminders.mail.validityLocal', { until, localUntil: formatDateTimeFr(expiresAt, ctx.timeZone) });
  const body = [
    ...(mail.requestedAt !== undefined
      ? [
          t('reminders.mail.intro', {
            requested: formatDateTimeFr(new Date(mail.requestedAt), PARIS),
            election,
          }),
        ]
      : []),
    validity,
    t('reminders.mail.action'),
    t('reminders.mail.notReceived'),
    t('reminders.mail.notYou'),
  ];
  const subject = headerValue(t('reminders.mail.subject', { election }));
  const text = [t('mail.common.greeting'), ...body, closingText(ctx)].join('\n\n');
  const html = page(t('reminders.mail.title'), [
    paragraph(t('mail.common.greeting')),
    ...body.map((line) =>
      line === validity ? `<p><strong>${escapeHtml(line)}</strong></p>` : paragraph(line),
    ),
    closingHtml(ctx),
  ]);
  return { to: singleRecipient(mail.to), subject, text, html };
}

function renderConfirmation(
  mail: Extract<OutboxMail, { kind: 'confirmation' }>,
  ctx: RenderContext,
): RenderedMail {
  let token: string;
  try {
    token = ctx.sealer.unseal(mail.sealedToken);
  } catch {
    throw new UnsealableTokenError('sealed token cannot be unsealed (was SECRET_KEY changed?)');
  }
  const link = confirmationLink(ctx.publicBaseUrl, token);
  const expiresAt = new Date(mail.expiresAt);
  const deadline = formatDateTimeFr(expiresAt, PARIS);
  const validity =
    ctx.timeZone === PARIS
      ? t('mail.confirmation.validity', { deadline })
      : t('mail.confirmation.validityLocal', {
          deadline,
          localDeadline: formatDateTimeFr(expiresAt, ctx.timeZone),
        });
  const election = ctx.electionName;
  const subject = headerValue(t('mail.confirmation.subject', { election }));
  const intro = t('mail.confirmation.intro', { election });
  const password = `${t('mail.confirmation.passwordNotInMail')} ${t('mail.confirmation.password')}`;
  const notYou = `${t('mail.confirmation.notYouTitle')} ${t('mail.confirmation.notYou')}`;

  const text = [
    t('mail.common.greeting'),
    intro,
    `${t('mail.confirmation.action')}\n${link}`,
    validity,
    password,
    notYou,
    t('mail.confirmation.forgotten'),
    closingText(ctx),
  ].join('\n\n');

  const html = page(t('mail.confirmation.title'), [
    paragraph(t('mail.common.greeting')),
    paragraph(intro),
    paragraph(t('mail.confirmation.action')),
    `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:12px 20px;background:#000091;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px">${escapeHtml(t('mail.confirmation.linkText'))}</a></p>`,
    paragraph(t('mail.confirmation.copy')),
    `<p style="word-break:break-all"><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    `<p><strong>${escapeHtml(validity)}</strong></p>`,
    paragraph(password),
    `<p><strong>${escapeHtml(t('mail.confirmation.notYouTitle'))}</strong> ${escapeHtml(t('mail.confirmation.notYou'))}</p>`,
    paragraph(t('mail.confirmation.forgotten')),
    closingHtml(ctx),
  ]);

  return { to: singleRecipient(mail.to), subject, text, html, link };
}

/** The privacy notice's page: every mail says where to read what is kept and how to exercise one's rights. */
function privacyLink(ctx: RenderContext): string {
  return `${ctx.publicBaseUrl.replace(/\/+$/, '')}/donnees-personnelles`;
}

function closingText(ctx: RenderContext): string {
  return `${t('mail.common.automatic')}\n${t('mail.common.signature')}\n\n${t('mail.common.privacy')} ${privacyLink(ctx)}`;
}

function closingHtml(ctx: RenderContext): string {
  const link = escapeHtml(privacyLink(ctx));
  return `<p style="color:#555555;font-size:14px">${escapeHtml(t('mail.common.automatic'))}<br>${escapeHtml(t('mail.common.signature'))}</p>
<p style="color:#555555;font-size:14px">${escapeHtml(t('mail.common.privacy'))} <a href="${link}">${link}</a></p>`;
}

function renderAlreadyConfirmed(
  mail: Extract<OutboxMail, { kind: 'already-confirmed' }>,
  ctx: RenderContext,
): RenderedMail {
  const subject = headerValue(t('mail.alreadyConfirmed.subject', { election: ctx.electionName }));
  const body = [
    t('mail.alreadyConfirmed.intro'),
    t('mail.alreadyConfirmed.exists'),
    t('mail.alreadyConfirmed.forgotten'),
    t('mail.alreadyConfirmed.ignore'),
  ];
  const text = [t('mail.common.greeting'), ...body, closingText(ctx)].join('\n\n');
  const html = page(t('mail.alreadyConfirmed.title'), [
    paragraph(t('mail.common.greeting')),
    ...body.map(paragraph),
    closingHtml(ctx),
  ]);
  return { to: singleRecipient(mail.to), subject, text, html };
}

function page(title: string, blocks: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="fr">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#161616;background:#ffffff">',
    '<div style="max-width:600px;margin:0 auto">',
    ...blocks,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}

function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
