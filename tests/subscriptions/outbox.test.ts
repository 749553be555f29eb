import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { DeliveryChannel, DeliveryMessage } from '../../src/plugins/api-tokens/server/src/subscriptions/types';
import { APP_DIR, startStrapi, type TestApp } from '../helpers/strapi';

const OUTBOX = path.join(APP_DIR, '.tmp', 'outbox');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
);
const CSV = '\uFEFFregion,revenue\r\nNorth,1200.5\r\n';

let app: TestApp;
let email: DeliveryChannel;
let directory: string;
let csvPath: string;
const written: string[] = [];

const messageTo = (to: string): DeliveryMessage => ({
  to,
  subject: 'Weekly sales',
  text: 'See the attached CSV.',
  html: '<p>Weekly sales</p><img src="cid:chart-1@reports">',
  attachments: [
    { filename: 'weekly-sales.csv', path: csvPath, contentType: 'text/csv' },
    { filename: 'chart.png', content: PNG, contentType: 'image/png', cid: 'chart-1@reports' },
  ],
});

/** Sends, and returns the outbox file the receipt names. */
const sendToOutbox = async (to: string) => {
  const { response } = await email.send(messageTo(to), { signal: new AbortController().signal });
  const match = /(\.tmp\/outbox\/\S+\.eml)$/.exec(response);
  expect(match).not.toBeNull();
  const file = path.join(APP_DIR, match![1]);
  written.push(file);
  return file;
};

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'outbox-'));
  csvPath = path.join(directory, 'weekly-sales.csv');
  writeFileSync(csvPath, CSV);
  app = await startStrapi({ env: { SMTP_HOST: undefined, SMTP_FROM: 'Reports <reports@example.com>' } });
  email = app.strapi.plugin('api-tokens').service('channels').get('email');
});

afterAll(async () => {
  await app?.stop();
  for (const file of written) rmSync(file, { force: true });
  rmSync(directory, { recursive: true, force: true });
});

describe('email channel without SMTP_HOST', () => {
  it('writes a parseable .eml with the attachment and the inline image to .tmp/outbox/', async () => {
    const file = await sendToOutbox('north@example.com');

    expect(path.dirname(file)).toBe(OUTBOX);
    expect(path.basename(file)).toMatch(/north@example\.com\.eml$/);
    const parsed = await simpleParser(readFileSync(file));
    expect(parsed.subject).toBe('Weekly sales');
    expect(parsed.to).toMatchObject({ value: [{ address: 'north@example.com' }] });
    expect(parsed.from).toMatchObject({ value: [{ address: 'reports@example.com' }] });
    expect(parsed.text?.trim()).toBe('See the attached CSV.');
    expect(parsed.html).toContain('<p>Weekly sales</p>');

    const csv = parsed.attachments.find((attachment) => attachment.filename === 'weekly-sales.csv');
    expect(csv?.contentType).toBe('text/csv');
    expect(csv?.content.equals(Buffer.from(CSV))).toBe(true);
    const image = parsed.attachments.find((attachment) => attachment.cid === 'chart-1@reports');
    expect(image?.content.equals(PNG)).toBe(true);
  });

  it('names the files so they sort in the order they were written, never reusing a name', async () => {
    const files = [];
    for (let i = 0; i < 5; i += 1) files.push(await sendToOutbox('same@example.com'));

    expect(new Set(files).size).toBe(5);
    expect([...files].sort()).toEqual(files);
    const listed = readdirSync(OUTBOX).filter((name) => files.includes(path.join(OUTBOX, name)));
    expect(listed.sort()).toEqual(files.map((file) => path.basename(file)));
  });

  // Other suites may write to the same outbox: these look only for their own recipient's files.
  const filesTo = (email: string) => readdirSync(OUTBOX).filter((name) => name.endsWith(`-${email}.eml`));

  it('refuses in production, naming SMTP_HOST, and writes nothing', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        email.send(messageTo('production@example.com'), { signal: new AbortController().signal })
      ).rejects.toThrow(/^SMTP_HOST is not set: mail to production@example\.com cannot be sent in production/);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    expect(filesTo('production@example.com')).toEqual([]);
  });

  it('leaves no file behind when the attachment cannot be read', async () => {
    const message = messageTo('unreadable@example.com');
    message.attachments[0] = { filename: 'gone.csv', path: path.join(directory, 'gone.csv'), contentType: 'text/csv' };

    await expect(email.send(message, { signal: new AbortController().signal })).rejects.toThrow(/ENOENT/);
    expect(filesTo('unreadable@example.com')).toEqual([]);
  });
});
