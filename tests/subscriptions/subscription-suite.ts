import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { seedSales } from '../../src/demo/seed';
import { pdfPages } from '../helpers/pdf-text';
import { startSmtpServer, type ReceivedMail, type SmtpTestServer } from '../helpers/smtp';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';
import { expectFieldError } from '../helpers/field-errors';

const SALES = 300;
const MINUTE = 60_000;

const attachmentOf = (mail: ReceivedMail) => {
  const attachment = mail.parsed.attachments.find((item) => item.contentDisposition === 'attachment');
  if (!attachment) throw new Error(`no attachment in "${mail.parsed.subject}"`);
  return attachment;
};

const csvRows = (mail: ReceivedMail) =>
  parse(attachmentOf(mail).content, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

export const subscriptionSuite = (database: Database) =>
  describeOnDatabase(database)(`subscriptions on ${database}`, () => {
    let app: TestApp;
    let smtp: SmtpTestServer;
    let executeToken: string;
    let refreshToken: string;
    /** "Sales list": region, channel, amount, with a `region` multi-select and a `channel` single-select. */
    let listReport: string;
    /** "By region": sums per region, a bar chart. */
    let regionReport: string;
    let dashboard: string;
    let names = 0;
    const unique = (name: string) => `${name} ${(names += 1)}`;
    const runs = () => app.strapi.plugin('api-tokens').service('runs');

    const post = async (path: string, body: object) => {
      const res = await app.admin.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };
    const subscriptionBody = (extra: object = {}) => ({
      name: unique('Sales mail'),
      target: { type: 'report', id: listReport },
      recipients: [{ email: 'ops@example.com' }, { email: 'cfo@example.com' }],
      format: 'csv',
      schedule: null,
      ...extra,
    });
    const createSubscription = (extra: object = {}) => post('/api-tokens/subscriptions', subscriptionBody(extra));
    const trigger = (id: string, body?: object, token = executeToken) =>
      app
        .bearer(token)
        .post(`/api/api-tokens/subscriptions/${id}/runs`)
        .send(body ?? {});
    /** Triggers through the API and waits for the run (and any retries it queues when `drain`). */
    const deliver = async (id: string, body?: object) => {
      const res = await trigger(id, body);
      expect(res.status).toBe(202);
      return runs().waitFor(res.body.data.id, 60_000);
    };
    const reportRows = async (id: string, inputs = '') =>
      (await app.admin.get(`/api-tokens/reports/${id}/data?pageSize=1000${inputs}`).expect(200)).body.data.rows;

    beforeAll(async () => {
      smtp = await startSmtpServer();
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false', ...smtp.env } });
      app.strapi.config.set('plugin::api-tokens.minScheduleIntervalSeconds', 3600);
      await seedSales(app.strapi, SALES);
      const model = (
        await post('/api-tokens/semantic-models', {
          name: 'Sales',
          source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount', 'soldAt'] },
          refresh: { mode: 'manual' },
        })
      ).documentId;
      await app.strapi.plugin('api-tokens').service('semantic-models').refresh(model);
      listReport = (
        await post('/api-tokens/reports', {
          name: 'Sales list',
          semanticModel: model,
          query: { columns: ['region', 'channel', 'amount'], sort: [{ field: 'amount', dir: 'desc' }] },
          chart: { type: 'table' },
          inputs: [
            { name: 'region', column: 'region', type: 'multi-select' },
            { name: 'channel', column: 'channel', type: 'single-select' },
          ],
        })
      ).documentId;
      regionReport = (
        await post('/api-tokens/reports', {
          name: 'By region',
          semanticModel: model,
          query: {
            columns: ['region'],
            groupBy: ['region'],
            aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
            sort: [{ field: 'region', dir: 'asc' }],
          },
          chart: { type: 'bar', x: 'region', y: ['total'] },
          inputs: [{ name: 'region', column: 'region', type: 'multi-select' }],
        })
      ).documentId;
      dashboard = (
        await post('/api-tokens/dashboards', {
          name: 'Overview',
          items: [
            { report: regionReport, width: 6 },
            { report: listReport, width: 6 },
          ],
        })
      ).documentId;
      executeToken = (await issueToken(app, { scopes: ['subscriptions:execute'] })).accessKey;
      refreshToken = (await issueToken(app, { scopes: ['semantic-models:refresh'] })).accessKey;
    });

    afterAll(async () => {
      await app?.stop();
      await smtp?.close();
    });

    beforeEach(() => smtp.reset());

    describe('bad input gets a 400 naming the field', () => {
      const cases: [string, object, string][] = [
        ['an invalid email', { recipients: [{ email: 'not-an-email' }] }, 'recipients[0].email'],
        [
          'a duplicate email (case-insensitive)',
          { recipients: [{ email: 'a@example.com' }, { email: 'A@Example.com' }] },
          'recipients[1].email',
        ],
        [
          'too many recipients',
          { recipients: Array.from({ length: 101 }, (_, i) => ({ email: `r${i}@example.com` })) },
          'recipients',
        ],
        ['no recipients', { recipients: [] }, 'recipients'],
        ['an unknown format', { format: 'docx' }, 'format'],
        ['a target that does not exist', { target: { type: 'report', id: 'nope' } }, 'target.id'],
        ['an unknown target type', { target: { type: 'card', id: 'nope' } }, 'target.type'],
        ['an input value not among the options', { inputs: { region: 'Atlantis' } }, 'inputs.region'],
        ['an unknown input name', { inputs: { colour: 'red' } }, 'inputs.colour'],
        [
          "a recipient's input value not among the options",
          { recipients: [{ email: 'x@example.com', inputs: { region: 'Atlantis' } }] },
          'recipients[0].inputs.region',
        ],
        ['a bad cron', { schedule: { cron: 'every monday', timezone: 'Europe/Berlin' } }, 'schedule.cron'],
        ['a bad time zone', { schedule: { cron: '0 8 * * 1', timezone: 'Mars/Olympus' } }, 'schedule.timezone'],
        [
          'a cron under the minimum interval (an hour in this suite)',
          { schedule: { cron: '*/30 * * * *', timezone: 'UTC' } },
          'schedule.cron',
        ],
        ['a subject over 200 characters', { subject: 'x'.repeat(201) }, 'subject'],
        ['an unknown channel', { channel: 'pigeon' }, 'channel'],
        ['maxAttempts over 10', { maxAttempts: 11 }, 'maxAttempts'],
      ];
      it.each(cases)('%s', async (_label, extra, field) => {
        expectFieldError(await app.admin.post('/api-tokens/subscriptions').send(subscriptionBody(extra)), field);
      });

      it('a target of the wrong type', async () => {
        const res = await app.admin
          .post('/api-tokens/subscriptions')
          .send(subscriptionBody({ target: { type: 'dashboard', id: listReport } }));
        expectFieldError(res, 'target.id');
      });

      it('unknown keys', async () => {
        const res = await app.admin.post('/api-tokens/subscriptions').send({ ...subscriptionBody(), colour: 'red' });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/colour/);
      });

      it('a trigger with an input value not among the options', async () => {
        const { documentId } = await createSubscription();
        expectFieldError(await trigger(documentId, { inputs: { region: 'Atlantis' } }), 'inputs.region');
      });
    });

    it('creates, lists, updates and deletes a subscription', async () => {
      const created = await createSubscription({
        schedule: { cron: '0 8 * * 1', timezone: 'Europe/Berlin' },
        recipients: [{ email: 'Ops@Example.com' }],
      });
      expect(created).toMatchObject({
        target: { type: 'report', id: listReport },
        targetName: 'Sales list',
        recipients: [{ email: 'Ops@Example.com' }],
        format: 'csv',
        channel: 'email',
        enabled: true,
        maxAttempts: 3,
        missedRunPolicy: 'once',
        skipIfEmpty: false,
        lastRun: null,
      });
      // The next Monday at 08:00 in Berlin.
      const next = new Date(created.nextRunAt);
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(next.getUTCDay()).toBe(1);
      expect([6, 7]).toContain(next.getUTCHours());

      const list = (await app.admin.get('/api-tokens/subscriptions').expect(200)).body.data;
      expect(list.map((s: { documentId: string }) => s.documentId)).toContain(created.documentId);

      const updated = (
        await app.admin
          .put(`/api-tokens/subscriptions/${created.documentId}`)
          .send({ enabled: false, format: 'xlsx' })
          .expect(200)
      ).body.data;
      expect(updated).toMatchObject({ enabled: false, format: 'xlsx', nextRunAt: null });

      await app.admin.delete(`/api-tokens/subscriptions/${created.documentId}`).expect(200);
      await app.admin.get(`/api-tokens/subscriptions/${created.documentId}`).expect(404);
    });

    it('an external app triggers it and each recipient gets one CSV mail holding the report rows', async () => {
      const { documentId } = await createSubscription({ subject: 'Sales today', message: 'Good morning' });
      const res = await trigger(documentId);
      expect(res.status).toBe(202);
      expect(res.headers.location).toBe(`/api/api-tokens/runs/${res.body.data.id}`);
      expect(res.body.data).toMatchObject({ kind: 'subscription', targetId: documentId, trigger: 'api' });

      const run = await runs().waitFor(res.body.data.id, 60_000);
      expect(run).toMatchObject({ status: 'succeeded', stats: { rows: SALES, recipients: 2, sent: 2, failed: 0 } });
      expect(run.stats.bytes).toBeGreaterThan(0);

      // The run is polled as refreshes are.
      const polled = await app.bearer(executeToken).get(`/api/api-tokens/runs/${run.id}`).expect(200);
      expect(polled.body.data).toMatchObject({ id: run.id, status: 'succeeded' });

      expect(smtp.messages).toHaveLength(2);
      const expected = await reportRows(listReport);
      for (const email of ['ops@example.com', 'cfo@example.com']) {
        const [mail] = smtp.messagesTo(email);
        expect(smtp.messagesTo(email)).toHaveLength(1);
        expect(mail.parsed.subject).toBe('Sales today');
        expect(mail.parsed.text).toContain('Good morning');
        expect(mail.parsed.html).toContain('Good morning');
        const attachment = attachmentOf(mail);
        expect(attachment.contentType).toMatch(/^text\/csv/);
        const rows = csvRows(mail);
        expect(rows).toHaveLength(SALES);
        expect(rows.map((row) => [row.region, row.channel, Number(row.amount)])).toEqual(
          expected.map((row: any) => [row.region, row.channel, row.amount])
        );
      }

      const deliveries = (
        await app.admin.get(`/api-tokens/subscriptions/${documentId}/deliveries?runId=${run.id}`).expect(200)
      ).body.data;
      expect(deliveries).toHaveLength(2);
      for (const delivery of deliveries) {
        expect(delivery).toMatchObject({ runId: run.id, status: 'sent', attempts: 1, error: null, channel: 'email' });
        expect(delivery.response).toMatch(/^250/);
      }
      const listed = (await app.admin.get(`/api-tokens/subscriptions/${documentId}`).expect(200)).body.data;
      expect(listed.lastRun).toMatchObject({ id: run.id, status: 'succeeded' });
    });

    it('renders XLSX with typed cells that exceljs reads back', async () => {
      const { documentId } = await createSubscription({ format: 'xlsx', recipients: [{ email: 'x@example.com' }] });
      expect(await deliver(documentId)).toMatchObject({ status: 'succeeded' });
      const [mail] = smtp.messagesTo('x@example.com');
      const attachment = attachmentOf(mail);
      expect(attachment.filename).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(attachment.content as any);
      const sheet = workbook.worksheets[0];
      expect(sheet.getRow(1).values).toEqual([undefined, 'region', 'channel', 'amount']);
      expect(sheet.rowCount).toBe(SALES + 1);
      const expected = await reportRows(listReport);
      expect(sheet.getRow(2).getCell(3).value).toBeCloseTo(expected[0].amount, 6);
      expect(typeof sheet.getRow(2).getCell(3).value).toBe('number');
    });

    it('renders PDF with the title and the HTML body with the table and the chart as a cid image', async () => {
      const pdf = await createSubscription({
        format: 'pdf',
        target: { type: 'report', id: regionReport },
        recipients: [{ email: 'pdf@example.com' }],
      });
      const html = await createSubscription({
        format: 'html',
        target: { type: 'report', id: regionReport },
        recipients: [{ email: 'html@example.com' }],
      });
      expect(await deliver(pdf.documentId)).toMatchObject({ status: 'succeeded' });
      expect(await deliver(html.documentId)).toMatchObject({ status: 'succeeded' });

      const pdfFile = attachmentOf(smtp.messagesTo('pdf@example.com')[0]);
      expect(pdfFile.contentType).toBe('application/pdf');
      expect(pdfFile.content.subarray(0, 4).toString()).toBe('%PDF');
      expect(pdfPages(pdfFile.content)[0].join(' ')).toContain('By region');

      const [mail] = smtp.messagesTo('html@example.com');
      expect(mail.parsed.html).toContain('<table');
      for (const region of ['East', 'North', 'South', 'West']) expect(mail.parsed.html).toContain(region);
      // The body refers to the chart by cid (mailparser inlines what it refers to as a data: URL).
      const raw = mail.raw
        .toString()
        .replace(/=\r?\n/g, '')
        .replace(/=3D/g, '=');
      const cid = /src="cid:([^"]+)"/.exec(raw)?.[1];
      expect(cid).toBeTruthy();
      const image = mail.parsed.attachments.find((item) => item.cid === cid);
      expect(image?.contentType).toBe('image/png');
      expect(image!.content.subarray(1, 4).toString()).toBe('PNG');
      expect(mail.parsed.html).toContain('data:image/png;base64,');
      expect(mail.parsed.text).toContain('North');
    });

    it('a dashboard as CSV is a zip with one CSV per report, as XLSX a sheet per report', async () => {
      const zip = await createSubscription({
        target: { type: 'dashboard', id: dashboard },
        recipients: [{ email: 'zip@example.com' }],
      });
      const xlsx = await createSubscription({
        format: 'xlsx',
        target: { type: 'dashboard', id: dashboard },
        recipients: [{ email: 'sheets@example.com' }],
      });
      expect(await deliver(zip.documentId)).toMatchObject({ status: 'succeeded', stats: { rows: SALES + 4 } });
      expect(await deliver(xlsx.documentId)).toMatchObject({ status: 'succeeded' });
      const archive = attachmentOf(smtp.messagesTo('zip@example.com')[0]);
      expect(archive.contentType).toBe('application/zip');
      expect(archive.content.subarray(0, 2).toString()).toBe('PK');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(attachmentOf(smtp.messagesTo('sheets@example.com')[0]).content as any);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['By region', 'Sales list']);
    });

    it("per-recipient inputs: the North manager's attachment holds only North rows", async () => {
      const { documentId } = await createSubscription({
        recipients: [
          { email: 'all@example.com' },
          { email: 'north@example.com', inputs: { region: 'North' } },
          { email: 'north2@example.com', inputs: { region: ['North'] } },
        ],
      });
      const run = await deliver(documentId);
      expect(run).toMatchObject({ status: 'succeeded', stats: { sent: 3 } });
      const north = await reportRows(listReport, '&inputs[region]=North');
      expect(north.length).toBeGreaterThan(0);
      expect(north.length).toBeLessThan(SALES);
      for (const email of ['north@example.com', 'north2@example.com']) {
        const rows = csvRows(smtp.messagesTo(email)[0]);
        expect(rows).toHaveLength(north.length);
        expect(new Set(rows.map((row) => row.region))).toEqual(new Set(['North']));
      }
      expect(csvRows(smtp.messagesTo('all@example.com')[0])).toHaveLength(SALES);
      // Two distinct input sets: rendered twice, so the rows are counted once per rendering.
      expect(run.stats.rows).toBe(SALES + north.length);
    });

    it("a trigger's inputs apply to that run only", async () => {
      const { documentId } = await createSubscription({ recipients: [{ email: 'east@example.com' }] });
      await deliver(documentId, { inputs: { region: 'East' } });
      const rows = csvRows(smtp.messagesTo('east@example.com')[0]);
      expect(new Set(rows.map((row) => row.region))).toEqual(new Set(['East']));
      smtp.reset();
      await deliver(documentId);
      expect(csvRows(smtp.messagesTo('east@example.com')[0])).toHaveLength(SALES);
    });

    it('skip-if-empty records a succeeded run with stats.skipped and sends nothing', async () => {
      const empty = await post('/api-tokens/reports', {
        name: unique('Nothing'),
        semanticModel: (await app.admin.get(`/api-tokens/reports/${listReport}`)).body.data.semanticModel,
        query: {
          columns: ['region', 'amount'],
          filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['1000000000'] }],
        },
        chart: { type: 'table' },
      });
      const { documentId } = await createSubscription({
        target: { type: 'report', id: empty.documentId },
        skipIfEmpty: true,
      });
      const run = await deliver(documentId);
      expect(run).toMatchObject({ status: 'succeeded', stats: { skipped: 'empty', sent: 0 } });
      expect(smtp.messages).toHaveLength(0);
      const deliveries = (await app.admin.get(`/api-tokens/subscriptions/${documentId}/deliveries`)).body.data;
      expect(deliveries.map((d: { status: string }) => d.status)).toEqual(['skipped', 'skipped']);
    });

    it('a scheduled occurrence is claimed once and delivered like a triggered run', async () => {
      const { documentId, nextRunAt } = await createSubscription({
        schedule: { cron: '0 8 * * 1', timezone: 'Europe/Berlin' },
        recipients: [{ email: 'weekly@example.com' }],
      });
      const due = new Date(new Date(nextRunAt).getTime() + 1000);
      const scheduler = app.strapi.plugin('api-tokens').service('scheduler');
      await scheduler.tick(due);
      await scheduler.tick(due);
      await runs().drain(due);
      const all = (await runs().list({ kind: 'subscription', targetId: documentId }, { pageSize: 10 })).results;
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded', scheduledFor: nextRunAt });
      expect(smtp.messagesTo('weekly@example.com')).toHaveLength(1);
    });

    it('a report or dashboard that a subscription delivers cannot be deleted', async () => {
      const sub = await createSubscription({ target: { type: 'dashboard', id: dashboard } });
      const res = await app.admin.delete(`/api-tokens/dashboards/${dashboard}`);
      expect(res.status).toBe(409);
      expect(res.body.error.details).toMatchObject({
        code: 'DASHBOARD_IN_USE',
        subscriptions: expect.arrayContaining([{ documentId: sub.documentId, name: sub.name }]),
      });
      await app.admin.delete(`/api-tokens/subscriptions/${sub.documentId}`).expect(200);
      await app.admin.get(`/api-tokens/dashboards/${dashboard}`).expect(200);
    });

    it('its content types are hidden from the content manager', async () => {
      const types = (await app.admin.get('/content-manager/content-types').expect(200)).body.data;
      for (const uid of ['plugin::api-tokens.subscription', 'plugin::api-tokens.delivery']) {
        expect(types.find((type: { uid: string }) => type.uid === uid)).toMatchObject({ isDisplayed: false });
      }
    });

    it('"Send now" from the admin queues a run recorded as an admin trigger; an admin without the action gets 403', async () => {
      const { documentId } = await createSubscription({ recipients: [{ email: 'now@example.com' }] });
      const res = await app.admin.post(`/api-tokens/subscriptions/${documentId}/send`).expect(202);
      expect(res.headers.location).toBe(`/api/api-tokens/runs/${res.body.data.id}`);
      expect(await runs().waitFor(res.body.data.id, 60_000)).toMatchObject({ status: 'succeeded', trigger: 'admin' });
      expect(smtp.messagesTo('now@example.com')).toHaveLength(1);
      const editor = await app.adminWithRole('strapi-editor');
      expect((await editor.post(`/api-tokens/subscriptions/${documentId}/send`)).status).toBe(403);
      expect((await editor.get('/api-tokens/subscriptions')).status).toBe(403);
    });

    it('an external app cancels a running delivery through the runs route', async () => {
      app.strapi.config.set('plugin::api-tokens.runs.leaseSeconds', 3);
      let started = false;
      app.strapi
        .plugin('api-tokens')
        .service('channels')
        .register({
          name: `stuck-${database}`,
          label: 'Waits until its run stops',
          send: (_message: unknown, { signal }: { signal: AbortSignal }) =>
            new Promise((_, reject) => {
              started = true;
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            }),
        });
      try {
        const { documentId } = await createSubscription({ channel: `stuck-${database}` });
        const runId = (await trigger(documentId)).body.data.id;
        const deadline = Date.now() + 30_000;
        while (!started && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(started).toBe(true);
        const cancel = await app.bearer(executeToken).delete(`/api/api-tokens/runs/${runId}`);
        expect(cancel.status).toBe(200);
        expect(await runs().waitFor(runId, 60_000)).toMatchObject({ status: 'cancelled' });
        expect(smtp.messages).toHaveLength(0);
      } finally {
        app.strapi.config.set('plugin::api-tokens.runs.leaseSeconds', 60);
      }
    });

    describe('the external route', () => {
      it('answers 401 without a valid token, 403 without the scope, 404 for an unknown subscription', async () => {
        const { documentId } = await createSubscription();
        expect((await app.anonymous().post(`/api/api-tokens/subscriptions/${documentId}/runs`)).status).toBe(401);
        const denied = await trigger(documentId, {}, refreshToken);
        expect(denied.status).toBe(403);
        expect(denied.body.error.name).toBe('PolicyError');
        const missing = await trigger('nope');
        expect(missing.status).toBe(404);
        expect(missing.body.error.message).toBe('Subscription not found');
      });

      it('409 SUBSCRIPTION_DISABLED for a disabled subscription', async () => {
        const { documentId } = await createSubscription({ enabled: false });
        const res = await trigger(documentId);
        expect(res.status).toBe(409);
        expect(res.body.error.details.code).toBe('SUBSCRIPTION_DISABLED');
      });

      it('an Idempotency-Key returns the same run', async () => {
        const { documentId } = await createSubscription();
        const send = () =>
          app
            .bearer(executeToken)
            .post(`/api/api-tokens/subscriptions/${documentId}/runs`)
            .set('Idempotency-Key', `key-${documentId}`)
            .send({});
        const first = await send();
        const second = await send();
        expect(first.status).toBe(202);
        expect(second.status).toBe(202);
        expect(second.body.data.id).toBe(first.body.data.id);
        await runs().waitFor(first.body.data.id, 60_000);
        expect(smtp.messages).toHaveLength(2);
      });

      it('100 concurrent triggers get 202s and 409s only, and no two runs overlap', async () => {
        const { documentId } = await createSubscription({ recipients: [{ email: 'burst@example.com' }] });
        // A listening server, as external apps meet it (supertest would open a server per request).
        const server = app.strapi.server.httpServer;
        if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as { port: number };
        const answers = await Promise.all(
          Array.from({ length: 100 }, async () => {
            const res = await fetch(`http://127.0.0.1:${port}/api/api-tokens/subscriptions/${documentId}/runs`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${executeToken}`, 'Content-Type': 'application/json' },
              body: '{}',
            });
            return { status: res.status, body: await res.json() };
          })
        );
        const statuses = answers.map((res) => res.status);
        expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
        expect(statuses).toContain(202);
        for (const res of answers.filter((r) => r.status === 409)) {
          expect(res.body.error.details).toMatchObject({ code: 'RUN_ACTIVE' });
        }
        const accepted = answers.filter((res) => res.status === 202).map((res) => res.body.data.id);
        for (const id of accepted) await runs().waitFor(id, 60_000);
        const all = (await runs().list({ kind: 'subscription', targetId: documentId }, { pageSize: 100 })).results;
        const spans = all
          .map((run: any) => [new Date(run.startedAt).getTime(), new Date(run.finishedAt).getTime()])
          .sort((a: number[], b: number[]) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i += 1) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
        expect(smtp.messagesTo('burst@example.com')).toHaveLength(accepted.length);
      });
    });

    describe('faults: retries reach exactly the recipients who were not reached', () => {
      /** Runs the queued retries of a subscription (their backoff has "passed"). */
      const runRetries = async (documentId: string) => {
        await runs().drain(new Date(Date.now() + 10 * MINUTE));
        return (await runs().list({ kind: 'subscription', targetId: documentId }, { pageSize: 10 })).results;
      };

      it('a recipient rejected with 550 fails alone, and the retry mails only them', async () => {
        const { documentId } = await createSubscription({
          recipients: [{ email: 'good@example.com' }, { email: 'bounce@example.com' }],
        });
        smtp.rejectRecipient('bounce@example.com');
        const first = await deliver(documentId);
        expect(first).toMatchObject({ status: 'failed', stats: { sent: 1, failed: 1 } });
        expect(first.error).toMatch(/bounce@example\.com/);
        expect(first.error).toMatch(/550/);
        const outcomes = (await app.admin.get(`/api-tokens/subscriptions/${documentId}/deliveries?runId=${first.id}`))
          .body.data;
        const bounce = outcomes.find((d: { email: string }) => d.email === 'bounce@example.com');
        expect(bounce).toMatchObject({ status: 'failed', attempts: 1 });
        expect(bounce.error).toMatch(/550/);

        smtp.reset();
        const [retry] = await runRetries(documentId);
        expect(retry).toMatchObject({ status: 'succeeded', attempt: 2, stats: { sent: 2, failed: 0 } });
        expect(smtp.messagesTo('bounce@example.com')).toHaveLength(1);
        expect(smtp.messagesTo('good@example.com')).toHaveLength(0);
        const retried = (await app.admin.get(`/api-tokens/subscriptions/${documentId}/deliveries?runId=${retry.id}`))
          .body.data;
        expect(retried).toEqual([
          expect.objectContaining({ email: 'bounce@example.com', status: 'sent', attempts: 2 }),
        ]);
      });

      it('a server that is down fails every recipient; the run fails when its attempts are spent', async () => {
        const { documentId } = await createSubscription({ maxAttempts: 2 });
        await smtp.close();
        try {
          const first = await deliver(documentId);
          expect(first).toMatchObject({ status: 'failed', stats: { sent: 0, failed: 2 } });
          const [last] = await runRetries(documentId);
          expect(last).toMatchObject({ status: 'failed', attempt: 2 });
          const outcomes = (await app.admin.get(`/api-tokens/subscriptions/${documentId}/deliveries?runId=${last.id}`))
            .body.data;
          expect(outcomes).toHaveLength(2);
          for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'failed', attempts: 2 });
          // No third attempt.
          expect((await runRetries(documentId)).length).toBe(2);
        } finally {
          await smtp.listen();
        }
        expect(smtp.messages).toHaveLength(0);
      });

      it('a retry after a crash between two recipients mails only the second', async () => {
        const email = app.strapi.plugin('api-tokens').service('channels').get('email');
        let release!: (error: Error) => void;
        let hung = false;
        const reached: string[] = [];
        app.strapi
          .plugin('api-tokens')
          .service('channels')
          .register({
            name: `crash-${database}`,
            label: 'Crashes once before its second recipient',
            async send(message: { to: string }, options: { signal: AbortSignal }) {
              reached.push(message.to);
              if (message.to === 'second@example.com' && !hung) {
                hung = true;
                // The process "dies" here: this call never delivers.
                return new Promise((_, reject) => {
                  release = reject;
                });
              }
              return email.send(message, options);
            },
          });
        const { documentId } = await createSubscription({
          channel: `crash-${database}`,
          recipients: [{ email: 'first@example.com' }, { email: 'second@example.com' }],
        });
        const res = await trigger(documentId);
        const runId = res.body.data.id;
        const deadline = Date.now() + 30_000;
        while (!hung && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(hung).toBe(true);
        expect(smtp.messagesTo('first@example.com')).toHaveLength(1);

        // The lease runs out and another runner takes the occurrence over with the same delivery key.
        await app.strapi.db
          .query('plugin::api-tokens.job-run')
          .updateMany({ where: { documentId: runId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
        expect(await runs().recoverExpiredLeases()).toBe(1);
        await runs().dispatch(new Date(Date.now() + 10 * MINUTE));
        const all = (await runs().list({ kind: 'subscription', targetId: documentId }, { pageSize: 10 })).results;
        const retry = all.find((run: { attempt: number }) => run.attempt === 2);
        expect(await runs().waitFor(retry.id, 60_000)).toMatchObject({ status: 'succeeded', stats: { sent: 2 } });
        release(new Error('the process died'));
        await runs().waitFor(runId, 60_000);

        expect(smtp.messagesTo('first@example.com')).toHaveLength(1);
        expect(smtp.messagesTo('second@example.com')).toHaveLength(1);
        expect(reached).toEqual(['first@example.com', 'second@example.com', 'second@example.com']);
      });

      it('a connection dropped mid-DATA is a failure for that recipient, delivered by the retry', async () => {
        const { documentId } = await createSubscription({ recipients: [{ email: 'drop@example.com' }] });
        smtp.dropMidData(1);
        const first = await deliver(documentId);
        expect(first).toMatchObject({ status: 'failed', stats: { failed: 1 } });
        const [retry] = await runRetries(documentId);
        expect(retry).toMatchObject({ status: 'succeeded', attempt: 2 });
        expect(smtp.messagesTo('drop@example.com')).toHaveLength(1);
      });
    });
  });
