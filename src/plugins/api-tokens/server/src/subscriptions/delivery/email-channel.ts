import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type Mail from 'nodemailer/lib/mailer';
import type { DeliveryChannel, DeliveryMessage } from '../types';
import { toEmailFailure, toEmailReceipt, type SendInfo } from './email-receipt';
import { mailMode, type EmailConfig } from './mail-mode';
import { writeToOutbox } from './outbox';

const OUTBOX = path.join('.tmp', 'outbox');

/**
 * The attachments as nodemailer takes them. A file goes as a stream: the nodemailer provider forbids `path`
 * (`disableFileAccess`, against LFI through attachment paths), and a stream never holds the file in memory. Each file
 * is opened first, so a missing one fails here, and no stream can emit an error before nodemailer listens to it.
 */
const toMailAttachments = async (
  attachments: DeliveryMessage['attachments'],
  streams: ReadStream[]
): Promise<Mail.Attachment[]> => {
  const result: Mail.Attachment[] = [];
  for (const attachment of attachments) {
    if (!('path' in attachment)) {
      result.push({ ...attachment });
      continue;
    }
    const content = (await open(attachment.path, 'r')).createReadStream();
    streams.push(content);
    result.push({ filename: attachment.filename, contentType: attachment.contentType, content });
  }
  return result;
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
    try {
      const mail: Mail.Options = {
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: await toMailAttachments(message.attachments, streams),
      };
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
        throw toEmailFailure(message.to, error, secret);
      }
      return toEmailReceipt(message.to, info, secret);
    } finally {
      for (const stream of streams) stream.destroy();
    }
  },
});
