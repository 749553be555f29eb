import { open } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The plugin's delivery contract (src/plugins/api-tokens/server/src/subscriptions/types.ts), as far as this channel
 * reads it. Restated here because the app's build would otherwise compile the plugin's sources into its own dist/.
 */
interface DeliveryMessage {
  to: string;
  subject: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; path?: string; content?: Buffer; cid?: string }>;
}

export interface WebhookChannelOptions {
  /** The channel's name, stored on subscriptions: `^[a-z][a-z0-9-]*$`. */
  name?: string;
  label?: string;
  /** Where each recipient's report is POSTed (http or https). */
  url: string;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  /** A request with no progress for this long fails. */
  timeoutMs?: number;
}

interface Body {
  filename: string;
  contentType: string;
  length: number;
  stream: Readable;
}

/** `attachment; filename="..."` with an ASCII fallback, and the exact UTF-8 name in `filename*` (RFC 6266). */
const contentDisposition = (filename: string) =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** The rendered file (csv, xlsx, pdf, zip), streamed from disk; for the html format, the HTML body itself. */
const bodyOf = async (message: DeliveryMessage): Promise<Body> => {
  const file = message.attachments.find((attachment) => attachment.path && !attachment.cid);
  if (!file?.path) {
    const html = Buffer.from(message.html);
    return {
      filename: 'report.html',
      contentType: 'text/html; charset=utf-8',
      length: html.length,
      stream: Readable.from([html]),
    };
  }
  const handle = await open(file.path, 'r');
  const { size } = await handle.stat().catch(async (error) => {
    await handle.close();
    throw error;
  });
  return { filename: file.filename, contentType: file.contentType, length: size, stream: handle.createReadStream() };
};

const post = (url: URL, headers: http.OutgoingHttpHeaders, body: Body, signal: AbortSignal, timeoutMs: number) =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: 'POST', headers, signal },
      resolve
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no progress for ${timeoutMs} ms`)));
    request.once('error', reject);
    pipeline(body.stream, request).catch(reject);
  });

/**
 * A delivery channel that POSTs each recipient's rendered report to a URL, with `X-Report-Recipient` naming the
 * recipient. Any answer but 2xx fails the delivery (and the run retries it).
 */
export const createWebhookChannel = ({
  name = 'webhook',
  label = 'Webhook',
  url,
  headers = {},
  timeoutMs = 30_000,
}: WebhookChannelOptions) => {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new Error(`webhook channel "${name}": the url must be http or https`);
  }

  return {
    name,
    label,
    async send(message: DeliveryMessage, { signal }: { signal: AbortSignal }) {
      signal.throwIfAborted();
      const body = await bodyOf(message);
      const requestHeaders = {
        ...headers,
        'Content-Type': body.contentType,
        'Content-Length': body.length,
        'Content-Disposition': contentDisposition(body.filename),
        'X-Report-Recipient': message.to,
      };
      let response: http.IncomingMessage;
      try {
        response = await post(target, requestHeaders, body, signal, timeoutMs);
      } catch (error) {
        // The host only, here and below: a webhook's path or query often holds its secret.
        throw new Error(`Webhook ${target.host} not reached for ${message.to}: ${(error as Error).message}`);
      } finally {
        body.stream.destroy();
      }
      response.resume();
      const status = `${response.statusCode} ${response.statusMessage ?? ''}`.trim();
      if (!response.statusCode || response.statusCode < 200 || response.statusCode > 299) {
        throw new Error(`Webhook ${target.host} answered ${status} for ${message.to}`);
      }
      return { response: status };
    },
  };
};
