import { createReadStream, type ReadStream } from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type Mail from 'nodemailer/lib/mailer';
import type { DeliveryChannel, DeliveryMessage, DeliveryReceipt } from '../types';
import { mailMode, type EmailConfig } from './mail-mode';
import { writeToOutbox } from './outbox';

/** nodemailer's result for one message (SMTP transport); other providers may return something else, or nothing. */
interface SendInfo {
  response?: unknown;
  accepted?: unknown[];
  rejected?: unknown[];
  rejectedErrors?: Array<{ response?: string; message?: string }>;
}

/** nodemailer's errors carry the SMTP code and response line (`550 5.1.1 ...`) in their message. */
interface SmtpError {
  message?: string;
  code?: string;
}

const OUTBOX = path.join('.tmp', 'outbox');

/** Removes a secret from a text that goes into a run's record (SMTP servers may echo what they were sent). */
const redact = (text: string, secret: unknown) =>
  typeof secret === 'string' && secret.length > 0 ? text.split(secret).join('***') : text;

/**
 * The attachments as nodemailer takes them. A file goes as a stream: the nodemailer provider forbids `path`
 * (`disableFileAccess`, against LFI through attachment paths), and a stream never holds the file in memory.
 */
const toMailAttachments = (attachments: DeliveryMessage['attachments'], streams: ReadStream[]): Mail.Attachment[] =>
  attachments.map((attachment) => {
    if (!('path' in attachment)) return { ...attachment };
    const content = createReadStream(attachment.path);
    streams.push(content);
    return { filename: attachment.filename, contentType: attachment.contentType, content };
  });

const toReceipt = (to: string, info: SendInfo | undefined, secret: unknown): DeliveryReceipt => {
  const rejected = Array.isArray(info?.rejected) ? info.rejected : [];
  const accepted = Array.isArray(info?.accepted) ? info.accepted : null;
  if (rejected.length > 0 || accepted?.length === 0) {
    const reasons = (info?.rejectedErrors ?? []).map((error) => error.response ?? error.message).filter(Boolean);
    throw new Error(redact(`Email to ${to} was rejected: ${reasons.join('; ') || 'not accepted by the server'}`, secret));
  }
  return { response: typeof info?.response === 'string' ? info.response : 'Accepted by the email provider' };
};

/**
 * The built-in `email` channel: Strapi's email plugin (SMTP through the nodemailer provider), an `.eml` outbox when no
 * provider is configured outside production, and a failure in production. A message goes out at most once per call:
 * the abort signal is honoured before the SMTP transaction, not inside it (the transport's timeouts bound that), so a
 * message the server accepted is never reported as failed and sent again.
 */
export const createEmailChannel = (strapi: Core.Strapi): DeliveryChannel => ({
  name: 'email',
  label: 'Email',

  async send(message, { signal }) {
    signal.throwIfAborted();
    const config = strapi.config.get('plugin::email') as EmailConfig | undefined;
    const mode = mailMode(config, process.env.NODE_ENV);
    if (mode === 'unconfigured') {
      throw new Error(
        `SMTP_HOST is not set: mail to ${message.to} cannot be sent in production. Set SMTP_HOST (with SMTP_PORT, ` +
          'SMTP_USER, SMTP_PASS and SMTP_FROM) or configure an email provider in config/plugins.ts.'
      );
    }

    const streams: ReadStream[] = [];
    const mail: Mail.Options = {
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: toMailAttachments(message.attachments, streams),
    };
    try {
      if (mode === 'outbox') {
        const root = strapi.dirs.app.root;
        const file = await writeToOutbox(
          path.join(root, OUTBOX),
          { ...mail, from: config?.settings?.defaultFrom, replyTo: config?.settings?.defaultReplyTo },
          signal
        );
        return { response: `Written to the outbox (no SMTP_HOST): ${path.relative(root, file)}` };
      }

      const secret = (config?.providerOptions?.auth as { pass?: unknown } | undefined)?.pass;
      let info: SendInfo | undefined;
      try {
        info = await strapi.plugin('email').service('email').send(mail);
      } catch (error) {
        const { message: reason, code } = (error ?? {}) as SmtpError;
        throw new Error(redact(`Email to ${message.to} failed${code ? ` (${code})` : ''}: ${reason}`, secret));
      }
      return toReceipt(message.to, info, secret);
    } finally {
      for (const stream of streams) stream.destroy();
    }
  },
});
