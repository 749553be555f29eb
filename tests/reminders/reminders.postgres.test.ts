import type { Core } from '@strapi/strapi';
import { startInstanceProcesses, type InstanceProcess } from '../helpers/instances';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { ADMIN, describeOnDatabase, startStrapi, type TestApp } from '../helpers/strapi';
import { DAY, MINUTE, at, auditEvents, createToken, mailsAbout, reminderRows } from './helpers';

const PUBLIC_URL = 'https://hub.example.test';

describeOnDatabase('postgres')('token expiry reminders on three instances (PostgreSQL)', () => {
  let app: TestApp;
  let smtp: SmtpTestServer;
  let instances: InstanceProcess[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startStrapi({
      database: 'postgres',
      env: { ...smtp.env, API_TOKENS_SCHEDULER_ENABLED: 'false', PUBLIC_URL },
    });
    // They inherit the database, SMTP and scheduler settings startStrapi put in the environment.
    instances = await startInstanceProcesses(2);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await app?.stop();
    await smtp?.close();
  }, 60_000);

  it('sends each reminder exactly once, to the creator, when every instance ticks at the same instant', async () => {
    const scheduler = (app.strapi as Core.Strapi).plugin('api-tokens').service('scheduler');
    /** All three instances, twice each, at once. */
    const tickAll = (now: Date) =>
      Promise.all(
        [1, 2].flatMap(() => [
          scheduler.tick(now),
          ...instances.map((instance) => instance.call('scheduler', 'tick', now)),
        ])
      );

    const other = await app.adminWithRole('strapi-super-admin');
    const otherEmail = 'user1-strapi-super-admin@test.local';
    const tokens = [
      { token: await createToken(other, 30), creator: otherEmail },
      { token: await createToken(app.admin, 30), creator: ADMIN.email },
      { token: await createToken(app.admin, 30), creator: ADMIN.email },
    ];
    const expiry = tokens[0].token.expiresAt;
    const subjects = (name: string) => [
      `API token "${name}" expires in 7 days`,
      `API token "${name}" expires in 1 day`,
      `API token "${name}" has expired`,
    ];

    const points = [-8 * DAY, -7 * DAY + MINUTE, -DAY + MINUTE, MINUTE];
    for (const [i, offset] of points.entries()) {
      await tickAll(at(expiry, offset));
      for (const { token, creator } of tokens) {
        const mails = mailsAbout(smtp.messages, token.name);
        expect(mails.map((mail) => mail.parsed.subject)).toEqual(subjects(token.name).slice(0, i));
        expect(mails.every((mail) => mail.recipients.join() === creator)).toBe(true);
      }
    }
    // A later round sends nothing more.
    await tickAll(at(expiry, 2 * MINUTE));
    expect(smtp.messages).toHaveLength(3 * tokens.length);

    for (const { token, creator } of tokens) {
      const [first] = mailsAbout(smtp.messages, token.name);
      expect(first.parsed.text).toContain(`${PUBLIC_URL}/admin/plugins/api-tokens/tokens/${token.documentId}`);
      expect(first.raw.toString()).not.toContain(token.accessKey);
      expect((await reminderRows(app, token.id)).map((row: any) => [row.kind, row.status, row.attempts])).toEqual([
        ['expires-in-7-days', 'sent', 1],
        ['expires-in-1-day', 'sent', 1],
        ['expired', 'sent', 1],
      ]);
      const events = await auditEvents(app, 'token.reminder-sent', token.documentId);
      expect(events.map((event) => [event.details.kind, event.details.to]).sort()).toEqual([
        ['expired', creator],
        ['expires-in-1-day', creator],
        ['expires-in-7-days', creator],
      ]);
    }
  });
});
