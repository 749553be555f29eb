import type { RenderInput, Rendered, Renderer, SubscriptionFormat } from '../types';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderPdf } from './pdf';
import { renderXlsx } from './xlsx';

export const renderers: Record<SubscriptionFormat, Renderer> = {
  csv: renderCsv,
  xlsx: renderXlsx,
  pdf: renderPdf,
  html: renderHtml,
};

/**
 * Renders a report (one section) or a dashboard (a section per report, in order) in a subscription's format. The
 * file goes into `input.directory`; each section's `rows()` is read once, page by page.
 */
export const render = async (format: SubscriptionFormat, input: RenderInput): Promise<Rendered> => {
  const renderer = Object.prototype.hasOwnProperty.call(renderers, format) ? renderers[format] : undefined;
  if (!renderer) throw new Error(`Unknown subscription format "${format}"`);
  if (input.targetType === 'report' && input.sections.length !== 1) {
    throw new Error(`A report renders one section, not ${input.sections.length}`);
  }
  if (input.sections.length === 0) throw new Error('A dashboard without reports has nothing to render');
  return renderer(input);
};
