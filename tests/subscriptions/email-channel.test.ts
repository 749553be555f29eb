import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeliveryChannel, DeliveryMessage } from '../../src/plugins/api-tokens/server/src/subscriptions/types';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { startStrapi, type TestApp } from '../helpers/strapi';

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
);
const CSV = '\uFEFFregion,revenue\r\nNorth,1200.5\r\nSouth,980\r\n';
const SMTP_AUTH = { user: 'reports', pass: 'smtp-secret-Zq81' };

let smtp: SmtpTestServer;
let app: TestApp;
let email: DeliveryChannel;
let directory: string;
let csvPath: string;

const signal = () => new AbortController().signal;

const messageTo = (to: string): DeliveryMessage => ({
  to,
  subject: 'Weekly sales — North',
  text: 'Weekly sales, see the attached CSV.',
  html: '<p>Weekly sales</p><img src="cid:chart-1@reports">',
  attachments: [
    { filename: 'weekly-sales.csv', path: csvPath, contentType: 'text/csv' },
    { filename: 'chart.png', content: PNG, contentType: 'image/png', cid: 'chart-1@reports' },
  ],
});

/** The rejection of a promise, which must reject. */
const failureOf = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the send to fail, it succeeded');
};

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'email-channel-'));
  csvPath = path.join(directory, 'weekly-sales.csv');
  writeFileSync(csvPath, CSV);
  smtp = await startSmtpServer({ auth: SMTP_AUTH });
  app = await startStrapi({ env: { ...smtp.env, SMTP_FROM: 'Reports <reports@example.com>' } });
  email = app.strapi.plugin('api-tokens').service('channels').get('email');
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  rmSync(directory, { recursive: true, force: true });
});

beforeEach(() => smtp.reset());

describe('email channel over SMTP', () => {
  it('is registered as the built-in channel', () => {
    expect(app.strapi.plugin('api-tokens').service('channels').list()).toContainEqual({
      name: 'email',
      label: 'Email',
    });
  });

  it('delivers one message with the attachment and the inline image, and returns the 250 response', async () => {
    const receipt = await email.send(messageTo('north@example.com'), { signal: signal() });

    expect(receipt.response).toMatch(/^250 /);
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messagesTo('north@example.com');
    expect(mail.recipients).toEqual(['north@example.com']);
    expect(mail.from).toBe('reports@example.com');
    expect(mail.user).toBe(SMTP_AUTH.user);
    const { parsed } = mail;
    expect(parsed.subject).toBe('Weekly sales — North');
    expect(parsed.to).toMatchObject({ value: [{ address: 'north@example.com' }] });
    expect(parsed.replyTo).toMatchObject({ value: [{ address: 'reports@example.com' }] });
    expect(parsed.text?.trim()).toBe('Weekly sales, see the attached CSV.');
    expect(parsed.html).toContain('<p>Weekly sales</p>');

    const csv = parsed.attachments.find((attachment) => attachment.filename === 'weekly-sales.csv');
    expect(csv?.contentType).toBe('text/csv');
    expect(csv?.contentDisposition).toBe('attachment');
    expect(csv?.content.equals(Buffer.from(CSV))).toBe(true);

    const image = parsed.attachments.find((attachment) => attachment.contentType === 'image/png');
    expect(image?.cid).toBe('chart-1@reports');
    expect(image?.contentDisposition).toBe('inline');
    expect(image?.content.equals(PNG)).toBe(true);
  });

  it('fails a recipient the server rejects with 550, naming the 550 and never the password', async () => {
    smtp.rejectRecipient('gone@example.com');

    const error = await failureOf(email.send(messageTo('gone@example.com'), { signal: signal() }));

    expect(error.message).toMatch(/gone@example\.com/);
    expect(error.message).toMatch(/\b550\b/);
    expect(error.message).not.toContain(SMTP_AUTH.pass);
    expect(smtp.messages).toHaveLength(0);
  });

  it('fails when the connection drops in the middle of DATA, and does not send again by itself', async () => {
    smtp.dropMidData(1);

    const error = await failureOf(email.send(messageTo('north@example.com'), { signal: signal() }));

    expect(error.message).toMatch(/north@example\.com/);
    expect(error.message).not.toContain(SMTP_AUTH.pass);
    // The server would accept a second attempt: none comes unless the caller retries.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.messages).toHaveLength(0);

    await email.send(messageTo('north@example.com'), { signal: signal() });
    expect(smtp.messagesTo('north@example.com')).toHaveLength(1);
  });

  it('fails when the server is down, and delivers again once it is back', async () => {
    await smtp.close();
    try {
      const error = await failureOf(email.send(messageTo('north@example.com'), { signal: signal() }));
      expect(error.message).toMatch(/north@example\.com/);
      expect(error.message).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    } finally {
      await smtp.listen();
    }

    const receipt = await email.send(messageTo('north@example.com'), { signal: signal() });
    expect(receipt.response).toMatch(/^250 /);
    expect(smtp.messages).toHaveLength(1);
  });

  it('fails, sending nothing, when the attachment file is missing', async () => {
    const message = messageTo('north@example.com');
    message.attachments[0] = { filename: 'gone.csv', path: path.join(directory, 'gone.csv'), contentType: 'text/csv' };

    await expect(email.send(message, { signal: signal() })).rejects.toThrow(/ENOENT/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('sends nothing for an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));

    await expect(email.send(messageTo('north@example.com'), { signal: controller.signal })).rejects.toThrow(
      'run cancelled'
    );
    expect(smtp.messages).toHaveLength(0);
  });
});
