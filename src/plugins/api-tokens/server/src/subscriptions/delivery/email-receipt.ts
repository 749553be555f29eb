import type { DeliveryReceipt } from '../types';

/** nodemailer's result for one message (SMTP transport); other providers may return something else, or nothing. */
export interface SendInfo {
  response?: unknown;
  accepted?: unknown[];
  rejected?: unknown[];
  rejectedErrors?: Array<{ response?: string; message?: string }>;
}

/** Removes the SMTP password from a text bound for a run's record (a server may echo what it was sent). */
const redact = (text: string, secret: unknown) =>
  typeof secret === 'string' && secret.length > 0 ? text.split(secret).join('***') : text;

/**
 * The receipt of a message to `to`: the server's response line. A recipient the server did not accept (`rejected`,
 * or nothing `accepted`) is a failure, even when the send as a whole succeeded.
 */
export const toEmailReceipt = (to: string, info: SendInfo | undefined, secret: unknown): DeliveryReceipt => {
  const rejected = Array.isArray(info?.rejected) ? info.rejected : [];
  const accepted = Array.isArray(info?.accepted) ? info.accepted : null;
  if (rejected.length > 0 || accepted?.length === 0) {
    const reasons = (info?.rejectedErrors ?? []).map((error) => error.response ?? error.message).filter(Boolean);
    throw new Error(
      redact(`Email to ${to} was rejected: ${reasons.join('; ') || 'not accepted by the server'}`, secret)
    );
  }
  return { response: typeof info?.response === 'string' ? info.response : 'Accepted by the email provider' };
};

/** The error for a send that threw: nodemailer's message holds the code and the response line (`550 ...`). */
export const toEmailFailure = (to: string, error: unknown, secret: unknown): Error => {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const reason = typeof message === 'string' && message ? message : String(error);
  return new Error(redact(`Email to ${to} failed${typeof code === 'string' ? ` (${code})` : ''}: ${reason}`, secret));
};
