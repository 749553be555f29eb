import type { Subscription } from '../../src/plugins/api-tokens/admin/src/api/subscriptions';
import {
  bodyOf,
  changesOf,
  draftOf,
  emptyDraft,
  newRecipient,
} from '../../src/plugins/api-tokens/admin/src/pages/subscriptions/subscriptionDraft';
import {
  errorsUnder,
  fieldKeyOf,
  otherErrorsOf,
} from '../../src/plugins/api-tokens/admin/src/pages/subscriptions/subscriptionErrors';

const saved: Subscription = {
  id: 1,
  documentId: 'sub1',
  name: 'Weekly sales',
  target: { type: 'dashboard', id: 'dash1' },
  recipients: [{ email: 'ops@example.com' }, { email: 'north@example.com', inputs: { region: 'North' } }],
  format: 'pdf',
  channel: 'email',
  inputs: { channel: 'online' },
  schedule: { cron: '0 8 * * 1', timezone: 'Europe/Berlin' },
  enabled: true,
  maxAttempts: 3,
  missedRunPolicy: 'once',
  skipIfEmpty: false,
  subject: null,
  message: null,
  targetName: 'Sales overview',
  nextRunAt: null,
  lastRun: null,
  scheduleDisabledReason: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('subscription editor draft', () => {
  it('turns a new draft into the body the server takes', () => {
    const draft = {
      ...emptyDraft('UTC'),
      name: '  Weekly  ',
      targetId: 'rep1',
      recipients: [
        { ...newRecipient(' ops@example.com '), inputs: { region: 'East' } },
        { ...newRecipient('north@example.com'), hasInputs: true, inputs: { region: 'North', channel: undefined } },
        { ...newRecipient('empty@example.com'), hasInputs: true },
      ],
      inputs: { channel: ['online', 'retail'], region: undefined },
      subject: '   ',
      message: ' Hello ',
    };
    expect(bodyOf(draft)).toEqual({
      name: 'Weekly',
      target: { type: 'report', id: 'rep1' },
      // Only a recipient marked as having their own values sends them, and only the values set.
      recipients: [
        { email: 'ops@example.com' },
        { email: 'north@example.com', inputs: { region: 'North' } },
        { email: 'empty@example.com' },
      ],
      format: 'pdf',
      channel: 'email',
      inputs: { channel: ['online', 'retail'] },
      schedule: null,
      enabled: true,
      maxAttempts: 3,
      missedRunPolicy: 'once',
      skipIfEmpty: false,
      subject: null,
      message: 'Hello',
    });
  });

  it('sends a schedule only when it is on', () => {
    const draft = { ...emptyDraft('Europe/Berlin'), scheduled: true, cron: ' 30 2 * * * ' };
    expect(bodyOf(draft).schedule).toEqual({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
  });

  it('reads a saved subscription back into the same body', () => {
    const draft = draftOf(saved, 'UTC');
    expect(draft.recipients.map((recipient) => recipient.hasInputs)).toEqual([false, true]);
    expect(bodyOf(draft)).toMatchObject({
      target: saved.target,
      recipients: saved.recipients,
      inputs: saved.inputs,
      schedule: saved.schedule,
      missedRunPolicy: 'once',
    });
  });

  it('updates only what changed, so an unchanged schedule is not sent again', () => {
    const draft = draftOf(saved, 'UTC');
    expect(changesOf(bodyOf(draft), saved, 'UTC')).toEqual({});
    const edited = { ...draft, subject: 'Sales', recipients: draft.recipients.slice(0, 1) };
    expect(changesOf(bodyOf(edited), saved, 'UTC')).toEqual({
      subject: 'Sales',
      recipients: [{ email: 'ops@example.com' }],
    });
    expect(changesOf(bodyOf({ ...draft, scheduled: false }), saved, 'UTC')).toEqual({ schedule: null });
  });
});

describe('subscription editor errors', () => {
  it('maps the server’s paths to the form’s fields', () => {
    expect(fieldKeyOf('recipients[1].email')).toBe('recipients.1.email');
    expect(fieldKeyOf('recipients.0.inputs.region')).toBe('recipients.0.inputs.region');
    expect(fieldKeyOf('target.id')).toBe('target');
    expect(fieldKeyOf('schedule.cron')).toBe('schedule.cron');
    expect(fieldKeyOf('inputs.region')).toBe('inputs.region');
  });

  it('lists what no field shows, and hands each recipient its inputs’ errors', () => {
    const draft = { ...draftOf(saved, 'UTC') };
    const errors = {
      name: 'taken',
      'recipients.1.inputs.region': 'not an option',
      'recipients.0.inputs.region': 'not shown: no own inputs',
      'inputs.nope': 'no input named nope',
      colour: 'unknown key',
    };
    expect(otherErrorsOf(errors, draft, ['region', 'channel'])).toEqual([
      ['recipients.0.inputs.region', 'not shown: no own inputs'],
      ['inputs.nope', 'no input named nope'],
      ['colour', 'unknown key'],
    ]);
    expect(errorsUnder(errors, 'recipients.1.inputs')).toEqual({ region: 'not an option' });
  });
});
