import type { RenderInput } from '../types';
import { escapeHtml } from './escape-html';
import { STYLE, page, rowsText, sectionHeading, summaryHtml, summaryText } from './mail-text';

/** The mail body beside an attachment: the title, each section's summary and row count, and the file's name. */
export const attachmentBody = (input: RenderInput, counts: number[], filename: string) => {
  const html: string[] = [];
  const text: string[] = [input.title, ''];
  input.sections.forEach((section, index) => {
    const heading = sectionHeading(input, section);
    if (heading) {
      html.push(`<h2 style="${STYLE.h2}">${escapeHtml(heading)}</h2>`);
      text.push(heading);
    }
    html.push(summaryHtml(section), `<p style="${STYLE.muted}">${rowsText(counts[index])}</p>`);
    text.push(...summaryText(section), `  ${rowsText(counts[index])}`, '');
  });
  html.push(`<p style="margin:16px 0 0 0;">The report is attached as <strong>${escapeHtml(filename)}</strong>.</p>`);
  text.push(`The report is attached as ${filename}.`);
  return { html: page(input.title, html.join('')), text: text.join('\n') };
};
