import type { Subscription } from '../shared/types';
import { escapeHtml } from './render/escape-html';
import type { DeliveryMessage, Rendered } from './types';

/** One recipient's message: the subscription's subject and message over the rendered report and its attachment. */
export const composeMessage = (
  subscription: Pick<Subscription, 'subject' | 'message'>,
  targetName: string,
  to: string,
  rendered: Rendered
): DeliveryMessage => {
  const note = subscription.message?.trim() ?? '';
  const noteHtml = note
    ? `<p style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#32324d;white-space:pre-wrap">${escapeHtml(note)}</p>`
    : '';
  return {
    to,
    subject: subscription.subject?.trim() || targetName,
    text: note ? `${note}\n\n${rendered.text}` : rendered.text,
    html: `${noteHtml}${rendered.html}`,
    attachments: [
      ...(rendered.attachment ? [rendered.attachment] : []),
      ...rendered.inline.map(({ cid, filename, contentType, content }) => ({ cid, filename, contentType, content })),
    ],
  };
};
