import {
  toEmailFailure,
  toEmailReceipt,
} from '../../src/plugins/api-tokens/server/src/subscriptions/delivery/email-receipt';

const PASSWORD = 'smtp-secret-Zq81';

describe('toEmailReceipt', () => {
  it("returns the server's response line for an accepted recipient", () => {
    const info = { accepted: ['a@example.com'], rejected: [], response: '250 2.0.0 OK queued as 12345' };
    expect(toEmailReceipt('a@example.com', info, PASSWORD)).toEqual({ response: '250 2.0.0 OK queued as 12345' });
  });

  it('fails a partial rejection, naming the response', () => {
    const info = {
      accepted: ['other@example.com'],
      rejected: ['a@example.com'],
      rejectedErrors: [{ response: '550 5.1.1 <a@example.com>: no such user', message: 'Recipient command failed' }],
      response: '250 2.0.0 OK',
    };
    expect(() => toEmailReceipt('a@example.com', info, PASSWORD)).toThrow(
      'Email to a@example.com was rejected: 550 5.1.1 <a@example.com>: no such user'
    );
  });

  it('fails when nothing was accepted', () => {
    expect(() => toEmailReceipt('a@example.com', { accepted: [], rejected: [] }, PASSWORD)).toThrow(
      'not accepted by the server'
    );
  });

  it('accepts a provider that returns no SMTP details', () => {
    expect(toEmailReceipt('a@example.com', undefined, undefined)).toEqual({
      response: 'Accepted by the email provider',
    });
  });

  it('never carries the password, even when the server echoes it', () => {
    const info = { accepted: [], rejected: ['a@example.com'], rejectedErrors: [{ response: `550 bad ${PASSWORD}` }] };
    expect(() => toEmailReceipt('a@example.com', info, PASSWORD)).toThrow('550 bad ***');
  });
});

describe('toEmailFailure', () => {
  it('names the code and the response, without the password', () => {
    const error = Object.assign(new Error(`Invalid login: 535 5.7.8 rejected ${PASSWORD}`), { code: 'EAUTH' });
    const failure = toEmailFailure('a@example.com', error, PASSWORD);
    expect(failure.message).toBe('Email to a@example.com failed (EAUTH): Invalid login: 535 5.7.8 rejected ***');
  });

  it('describes a thrown non-error', () => {
    expect(toEmailFailure('a@example.com', 'boom', undefined).message).toBe('Email to a@example.com failed: boom');
  });
});
