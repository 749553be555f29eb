import type { EChartsOption } from 'echarts';
import type { ResultColumn } from '../query/types';

export const SUBSCRIPTION_FORMATS = ['csv', 'xlsx', 'pdf', 'html'] as const;
export type SubscriptionFormat = (typeof SUBSCRIPTION_FORMATS)[number];

export const DELIVERY_STATUSES = ['sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

type Row = Record<string, unknown>;

/** One report's part of a rendering: a report renders one section, a dashboard one per item, in order. */
export interface RenderSection {
  /** The report's name. */
  title: string;
  columns: ResultColumn[];
  /** The result in pages, read once per call (the snapshot store's stream). */
  rows(): AsyncIterable<Row[]>;
  /** The chart as the shared ECharts option (shared/chart-option.ts), or null for a table report. */
  chart: EChartsOption | null;
  /** Human-readable lines: the report's filters and the input values applied, e.g. `region = North`. */
  summary: string[];
}

export interface RenderInput {
  /** The subscription's subject, or the report's or dashboard's name. */
  title: string;
  /** `report` renders one section; a dashboard's CSV is a zip of one CSV per section, its XLSX a sheet per section. */
  targetType: 'report' | 'dashboard';
  sections: RenderSection[];
  /** Where the renderer writes its file (a fresh temporary directory the caller removes). */
  directory: string;
  /** The HTML body shows at most this many rows per section. */
  htmlRowLimit: number;
}

export interface InlineImage {
  cid: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What a renderer produced: a file on disk (never the whole result in memory), and the mail body parts. */
export interface Rendered {
  /** The attachment (csv, xlsx, pdf, zip), or null for the html format, whose content is the body itself. */
  attachment: { path: string; filename: string; contentType: string } | null;
  /** The HTML body: for html the report itself (table of the first rows, charts as `cid:` images), else a summary. */
  html: string;
  /** The plain-text fallback of the body. */
  text: string;
  /** Images the HTML body references as `cid:`. */
  inline: InlineImage[];
  /** Data rows written, over every section. */
  rows: number;
  /** Size of the attachment in bytes (of the HTML body for html). */
  bytes: number;
}

export type Renderer = (input: RenderInput) => Promise<Rendered>;

/** One message to one recipient, as a channel delivers it. */
export interface DeliveryMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: Array<
    | { filename: string; path: string; contentType: string }
    | { filename: string; content: Buffer; contentType: string; cid?: string }
  >;
}

/** What a channel reports for a delivered message: the SMTP response, the HTTP status line, or a file path. */
export interface DeliveryReceipt {
  response: string;
}

/**
 * A way to deliver a rendered report. `email` is built in; apps register others (a webhook, Slack) in their
 * register() through `getService('channels').register(...)`. `send` throws when the recipient was not reached.
 */
export interface DeliveryChannel {
  /** `^[a-z][a-z0-9-]*$`, stored on subscriptions and deliveries. */
  name: string;
  label: string;
  send(message: DeliveryMessage, options: { signal: AbortSignal }): Promise<DeliveryReceipt>;
}

/** A recipient: the address, and optionally their own input values (data-driven delivery). */
export interface Recipient {
  email: string;
  inputs?: Record<string, string | string[]>;
}
