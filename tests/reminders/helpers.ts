import type supertest from 'supertest';
import type { ReceivedMail } from '../helpers/smtp';
import type { TestApp } from '../helpers/strapi';

export const REMINDER_UID = 'plugin::api-tokens.token-reminder';
export const TOKEN_UID = 'plugin::api-tokens.api-token';
export const DAY = 24 * 60 * 60 * 1000;
export const MINUTE = 60_000;

let counter = 0;

/** Creates a token through `agent` (its admin becomes the creator), expiring in `days`; returns its response data. */
export const createToken = async (agent: supertest.Agent, days: number) => {
  const res = await agent.post('/api-tokens/tokens').send({
    name: `Reminded ${(counter += 1)} ${Date.now()}`,
    scopes: ['sales:read'],
    expiresAt: new Date(Date.now() + days * DAY).toISOString(),
  });
  if (res.status !== 201) throw new Error(`token create failed: ${res.status} ${JSON.stringify(res.body)}`);
  const data = res.body.data;
  return { ...data, expiresAt: new Date(data.expiresAt) } as {
    id: number;
    documentId: string;
    name: string;
    accessKey: string;
    expiresAt: Date;
  };
};

export const at = (expiresAt: Date, offsetMs: number) => new Date(expiresAt.getTime() + offsetMs);

/** The reminders mailed about one token, oldest first. */
export const mailsAbout = (messages: ReceivedMail[], tokenName: string) =>
  messages.filter((mail) => mail.parsed.subject?.includes(`"${tokenName}"`));

export const reminderRows = (app: TestApp, tokenId: number) =>
  app.strapi.db.query(REMINDER_UID).findMany({ where: { tokenId }, orderBy: [{ id: 'asc' }] });

export const auditEvents = async (app: TestApp, action: string, subjectId: string) => {
  const page = await app.strapi.plugin('api-tokens').service('audit').list({ action, subjectId }, { pageSize: 100 });
  return page.results as { action: string; actor: string | null; details: Record<string, unknown> }[];
};
