import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { ADMIN, startStrapi, type TestApp } from '../helpers/strapi';
import { DAY, MINUTE, TOKEN_UID, at, auditEvents, createToken, mailsAbout, reminderRows } from './helpers';

describe('token expiry reminders on SQLite', () => {
  let app: TestApp;
  let smtp: SmtpTestServer;
  const tick = (now: Date) => app.strapi.plugin('api-tokens').service('scheduler').tick(now);
  const mails = (name: string) => mailsAbout(smtp.messages, name);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startStrapi({ env: { ...smtp.env, API_TOKENS_SCHEDULER_ENABLED: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
    await smtp?.close();
  });

  afterEach(async () => {
    // Revoked tokens get no reminders: each test's tokens stay out of the next test's clock.
    await app.strapi.db.query(TOKEN_UID).updateMany({ where: { revokedAt: null }, data: { revokedAt: new Date() } });
    app.strapi.config.set('plugin::api-tokens.reminders.enabled', true);
    smtp.reset();
  });

  it("mails the token's creator 7 days and 1 day before the expiry and on it, each once: name, expiry and admin link, never the secret", async () => {
    const creator = await app.adminWithRole('strapi-super-admin');
    const creatorEmail = 'user1-strapi-super-admin@test.local';
    const token = await createToken(creator, 30);
    const link = `http://localhost:1337/admin/plugins/api-tokens/tokens/${token.documentId}`;

    await tick(at(token.expiresAt, -8 * DAY));
    expect(mails(token.name)).toHaveLength(0);

    await tick(at(token.expiresAt, -7 * DAY + MINUTE));
    await tick(at(token.expiresAt, -7 * DAY + 2 * MINUTE));
    const [week] = mails(token.name);
    expect(mails(token.name)).toHaveLength(1);
    expect(week.recipients).toEqual([creatorEmail]);
    expect(week.parsed.subject).toBe(`API token "${token.name}" expires in 7 days`);
    expect(week.parsed.text).toContain(token.expiresAt.toISOString());
    expect(week.parsed.text).toContain(link);
    expect(week.parsed.html).toContain(`<a href="${link}">`);
    expect(week.raw.toString()).not.toContain(token.accessKey);
    expect(week.raw.toString()).not.toContain(token.accessKey.split('_')[1]);

    await tick(at(token.expiresAt, -3 * DAY));
    expect(mails(token.name)).toHaveLength(1);

    await tick(at(token.expiresAt, -DAY + MINUTE));
    await tick(at(token.expiresAt, -DAY + 2 * MINUTE));
    expect(mails(token.name).map((mail) => mail.parsed.subject)).toEqual([
      `API token "${token.name}" expires in 7 days`,
      `API token "${token.name}" expires in 1 day`,
    ]);

    await tick(at(token.expiresAt, MINUTE));
    await tick(at(token.expiresAt, 2 * DAY));
    const all = mails(token.name);
    expect(all).toHaveLength(3);
    expect(all[2].parsed.subject).toBe(`API token "${token.name}" has expired`);
    expect(all[2].parsed.text).toContain('Requests with it are refused');
    expect(all.every((mail) => mail.recipients.join() === creatorEmail)).toBe(true);

    const rows = await reminderRows(app, token.id);
    expect(rows.map((row: any) => [row.kind, row.status, row.attempts, row.recipient])).toEqual([
      ['expires-in-7-days', 'sent', 1, creatorEmail],
      ['expires-in-1-day', 'sent', 1, creatorEmail],
      ['expired', 'sent', 1, creatorEmail],
    ]);
    expect(rows.every((row: any) => row.sentAt && /^250/.test(row.response))).toBe(true);

    const events = await auditEvents(app, 'token.reminder-sent', token.documentId);
    expect(events.map((event) => event.details.kind).sort()).toEqual([
      'expired',
      'expires-in-1-day',
      'expires-in-7-days',
    ]);
    expect(events[0].details).toMatchObject({
      name: token.name,
      to: creatorEmail,
      expiresAt: token.expiresAt.toISOString(),
    });
  });

  it('a token created 5 days before its expiry gets the 1-day and the expired mail, not the 7-day one', async () => {
    const token = await createToken(app.admin, 5);
    await tick(new Date());
    expect(mails(token.name)).toHaveLength(0);
    expect((await reminderRows(app, token.id)).map((row: any) => [row.kind, row.status])).toEqual([
      ['expires-in-7-days', 'skipped'],
    ]);

    await tick(at(token.expiresAt, -DAY + MINUTE));
    await tick(at(token.expiresAt, MINUTE));
    expect(mails(token.name).map((mail) => [mail.recipients.join(), mail.parsed.subject])).toEqual([
      [ADMIN.email, `API token "${token.name}" expires in 1 day`],
      [ADMIN.email, `API token "${token.name}" has expired`],
    ]);
  });

  it('an instance that missed the 7-day mail sends only the reminder due now', async () => {
    const token = await createToken(app.admin, 30);
    await tick(at(token.expiresAt, -12 * 60 * MINUTE));
    expect(mails(token.name).map((mail) => mail.parsed.subject)).toEqual([
      `API token "${token.name}" expires in 1 day`,
    ]);
    await tick(at(token.expiresAt, -11 * 60 * MINUTE));
    expect(mails(token.name)).toHaveLength(1);
  });

  it('revoked tokens get no reminders', async () => {
    const token = await createToken(app.admin, 30);
    await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
    for (const offset of [-7 * DAY + MINUTE, -DAY + MINUTE, MINUTE]) await tick(at(token.expiresAt, offset));
    expect(mails(token.name)).toHaveLength(0);
    expect(await reminderRows(app, token.id)).toHaveLength(0);
  });

  it('reminders.enabled: false sends and claims nothing; switched back on, the due reminder goes', async () => {
    const token = await createToken(app.admin, 30);
    app.strapi.config.set('plugin::api-tokens.reminders.enabled', false);
    await tick(at(token.expiresAt, -7 * DAY + MINUTE));
    expect(mails(token.name)).toHaveLength(0);
    expect(await reminderRows(app, token.id)).toHaveLength(0);

    app.strapi.config.set('plugin::api-tokens.reminders.enabled', true);
    await tick(at(token.expiresAt, -7 * DAY + 2 * MINUTE));
    expect(mails(token.name)).toHaveLength(1);
  });

  it('a failed send is recorded and audited, and tried again on a tick after its retry time', async () => {
    const token = await createToken(app.admin, 30);
    const failedAt = at(token.expiresAt, -7 * DAY + MINUTE);
    smtp.rejectRecipient(ADMIN.email);
    await tick(failedAt);
    expect(mails(token.name)).toHaveLength(0);
    const [failed] = await reminderRows(app, token.id);
    expect(failed).toMatchObject({ kind: 'expires-in-7-days', status: 'failed', attempts: 1 });
    expect(failed.error).toMatch(/550/);
    expect(new Date(failed.retryAt).getTime()).toBe(failedAt.getTime() + 10 * MINUTE);
    const [event] = await auditEvents(app, 'token.reminder-failed', token.documentId);
    expect(event.details).toMatchObject({ kind: 'expires-in-7-days', to: ADMIN.email, attempt: 1 });

    smtp.reset();
    await tick(new Date(failedAt.getTime() + 5 * MINUTE));
    expect(mails(token.name)).toHaveLength(0);
    await tick(new Date(failedAt.getTime() + 11 * MINUTE));
    await tick(new Date(failedAt.getTime() + 12 * MINUTE));
    expect(mails(token.name)).toHaveLength(1);
    expect(await reminderRows(app, token.id)).toMatchObject([
      { kind: 'expires-in-7-days', status: 'sent', attempts: 2 },
    ]);
    expect(await auditEvents(app, 'token.reminder-sent', token.documentId)).toHaveLength(1);
  });
});
