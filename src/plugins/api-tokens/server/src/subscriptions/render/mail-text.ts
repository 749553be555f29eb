import type { RenderInput, RenderSection } from '../types';
import { escapeHtml } from './escape-html';

/** Shared pieces of the mail bodies: inline styles (mail clients drop style sheets) and the sections' headings. */
export const STYLE = {
  body: 'font-family:Helvetica,Arial,sans-serif;color:#32324d;font-size:14px;line-height:1.4;margin:0;padding:16px;',
  h1: 'font-size:20px;margin:0 0 12px 0;',
  h2: 'font-size:16px;margin:20px 0 8px 0;',
  muted: 'color:#666687;margin:4px 0;',
  list: 'margin:4px 0 8px 0;padding-left:20px;color:#666687;',
};

const count = new Intl.NumberFormat('en-US');

export const rowsText = (rows: number) => `${count.format(rows)} ${rows === 1 ? 'row' : 'rows'}`;

/** A section gets its own heading in a dashboard, or when the mail's title is not the report's name. */
export const sectionHeading = (input: RenderInput, section: RenderSection) =>
  input.targetType === 'dashboard' || section.title !== input.title ? section.title : null;

export const summaryHtml = (section: RenderSection) =>
  section.summary.length === 0
    ? ''
    : `<ul style="${STYLE.list}">${section.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`;

export const summaryText = (section: RenderSection) => section.summary.map((line) => `  - ${line}`);

export const page = (title: string, content: string) =>
  '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
  `<title>${escapeHtml(title)}</title></head><body style="${STYLE.body}">` +
  `<h1 style="${STYLE.h1}">${escapeHtml(title)}</h1>${content}</body></html>`;
