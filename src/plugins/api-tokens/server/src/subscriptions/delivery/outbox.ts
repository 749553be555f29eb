import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

let sequence = 0;

/** `20250106T070000123Z-000001-a1b2c3-north@example.com.eml`: sorts by time, and never collides across processes. */
const outboxFileName = (to: string) => {
  const time = new Date().toISOString().replace(/[-:.]/g, '');
  sequence = (sequence + 1) % 1_000_000;
  const recipient = to
    .toLowerCase()
    .replace(/[^a-z0-9@._-]+/g, '_')
    .slice(0, 64);
  return `${time}-${String(sequence).padStart(6, '0')}-${randomBytes(3).toString('hex')}-${recipient}.eml`;
};

/**
 * Writes a message as an `.eml` file into `directory` (created if missing), streamed, attachments included, and
 * returns the file's path. A failed write leaves no partial file.
 */
export const writeToOutbox = async (directory: string, mail: Mail.Options, signal: AbortSignal): Promise<string> => {
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, outboxFileName(String(mail.to)));
  try {
    // `wx`: an existing file is an error, never overwritten.
    await pipeline(new MailComposer(mail).compile().createReadStream(), createWriteStream(file, { flags: 'wx' }), {
      signal,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(file, { force: true });
    throw error;
  }
  return file;
};
