import { escapeHtml } from '../subscriptions/render/escape-html';
import type { DeliveryMessage } from '../subscriptions/types';
import type { ReminderKind } from './kinds';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReminderMailInput {
  kind: ReminderKind;
  to: string;
  /** The creator's first name, when the admin user has one. */
  firstname?: string | null;
  tokenName: string;
  expiresAt: Date;
  /** The token's page in the admin panel. */
  tokenUrl: string;
  now: Date;
}

const PARAGRAPH = 'font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#32324d';

/** `in 6 days` or `in 1 day`: whole days left, rounded up. */
const timeLeft = (expiresAt: Date, now: Date) => {
  const days = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
  return days === 1 ? 'in 1 day' : `in ${days} days`;
};

/** An expiry reminder to the token's creator: its name, expiry and admin page. Never the secret (it is not stored). */
export const reminderMail = (input: ReminderMailInput): DeliveryMessage => {
  const { kind, to, tokenName, expiresAt, tokenUrl, now } = input;
  const when = `${expiresAt.toUTCString().replace('GMT', 'UTC')} (${expiresAt.toISOString()})`;
  const expired = kind === 'expired';
  const subject = expired
    ? `API token "${tokenName}" has expired`
    : `API token "${tokenName}" expires ${timeLeft(expiresAt, now)}`;
  const lines = [
    `Hello${input.firstname ? ` ${input.firstname}` : ''},`,
    expired
      ? `The API token "${tokenName}" that you created expired on ${when}. Requests with it are refused (401).`
      : `The API token "${tokenName}" that you created expires ${timeLeft(expiresAt, now)}, on ${when}.`,
    expired
      ? 'Regenerate it on its page to issue a new secret and expiry, and update the apps that use it:'
      : 'To keep the apps that use it working, regenerate it on its page before then and update them with the new secret:',
  ];
  const text = `${lines.join('\n\n')}\n${tokenUrl}\n`;
  const html =
    lines.map((line) => `<p style="${PARAGRAPH}">${escapeHtml(line)}</p>`).join('') +
    `<p style="${PARAGRAPH}"><a href="${escapeHtml(tokenUrl)}">${escapeHtml(tokenUrl)}</a></p>`;
  return { to, subject, text, html, attachments: [] };
};
