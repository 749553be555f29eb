import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWebhookChannel } from '../../src/channels/webhook-channel';
import type { DeliveryChannel, DeliveryMessage } from '../../src/plugins/api-tokens/server/src/subscriptions/types';
import { startStrapi, type TestApp } from '../helpers/strapi';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILENAME = 'Umsätze "Nord".xlsx';

let server: http.Server;
let baseUrl: string;
let status = 200;
const received: Received[] = [];
let app: TestApp;
let webhook: DeliveryChannel;
let directory: string;
let filePath: string;
let fileBytes: Buffer;

const signal = () => new AbortController().signal;

const messageTo = (to: string): DeliveryMessage => ({
  to,
  subject: 'Weekly sales',
  text: 'Weekly sales',
  html: '<p>Weekly sales</p>',
  attachments: [{ filename: FILENAME, path: filePath, contentType: XLSX }],
});

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'webhook-'));
  filePath = path.join(directory, 'report.xlsx');
  // Larger than one stream chunk, so the body arrives in pieces.
  fileBytes = randomBytes(300_000);
  writeFileSync(filePath, fileBytes);

  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end('done');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The app registers the example channel from its register() when REPORTS_WEBHOOK_URL is set.
  app = await startStrapi({ env: { REPORTS_WEBHOOK_URL: `${baseUrl}/hooks/reports?key=s3cret` } });
  webhook = app.strapi.plugin('api-tokens').service('channels').get('webhook');
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

beforeEach(() => {
  received.length = 0;
  status = 200;
});

describe('the example webhook channel', () => {
  it('is registered by the app when REPORTS_WEBHOOK_URL is set', () => {
    expect(app.strapi.plugin('api-tokens').service('channels').list()).toEqual(
      expect.arrayContaining([
        { name: 'email', label: 'Email' },
        { name: 'webhook', label: 'Webhook' },
      ])
    );
  });

  it('POSTs the rendered file, with its type, its name and the recipient', async () => {
    const receipt = await webhook.send(messageTo('north@example.com'), { signal: signal() });

    expect(receipt).toEqual({ response: '200 OK' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/reports?key=s3cret');
    expect(request.body.equals(fileBytes)).toBe(true);
    expect(request.headers['content-type']).toBe(XLSX);
    expect(request.headers['content-length']).toBe(String(fileBytes.length));
    expect(request.headers['x-report-recipient']).toBe('north@example.com');
    expect(request.headers['content-disposition']).toBe(
      `attachment; filename="Ums_tze _Nord_.xlsx"; filename*=UTF-8''${encodeURIComponent(FILENAME)}`
    );
  });

  it('fails on a non-2xx answer, naming the status and not the secret in the url', async () => {
    status = 500;

    const failure = webhook.send(messageTo('north@example.com'), { signal: signal() });

    await expect(failure).rejects.toThrow(/answered 500 Internal Server Error for north@example\.com/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
    expect(received).toHaveLength(1);
  });

  it('fails when the endpoint is down', async () => {
    const down = createWebhookChannel({ url: 'http://127.0.0.1:1/hooks' });

    await expect(down.send(messageTo('north@example.com'), { signal: signal() })).rejects.toThrow(
      /Webhook 127\.0\.0\.1:1 not reached for north@example\.com: .*ECONNREFUSED/
    );
  });

  it('POSTs the HTML body for the html format, and sends the configured headers', async () => {
    const channel: DeliveryChannel = createWebhookChannel({
      name: 'team-hook',
      url: `${baseUrl}/team`,
      headers: { Authorization: 'Bearer team-token' },
    });
    const message = messageTo('ops@example.com');
    message.attachments = [{ filename: 'chart.png', content: Buffer.from('png'), contentType: 'image/png', cid: 'c1' }];

    await channel.send(message, { signal: signal() });

    const [request] = received;
    expect(request.body.toString()).toBe('<p>Weekly sales</p>');
    expect(request.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(request.headers.authorization).toBe('Bearer team-token');
    expect(request.headers['x-report-recipient']).toBe('ops@example.com');
  });

  it('refuses a url that is not http or https', () => {
    expect(() => createWebhookChannel({ url: 'ftp://example.com/reports' })).toThrow('must be http or https');
  });
});
