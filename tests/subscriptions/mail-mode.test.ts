import { isMailConfigured, mailMode } from '../../src/plugins/api-tokens/server/src/subscriptions/delivery/mail-mode';

const SMTP = { provider: 'nodemailer', providerOptions: { host: 'smtp.example.com', port: 587 } };
// What the email plugin resolves to when config/plugins.ts sets no provider (SMTP_HOST unset).
const DEFAULT = { provider: 'sendmail', providerOptions: {}, settings: { defaultFrom: 'Reports <r@example.com>' } };

describe('isMailConfigured', () => {
  it('is true for nodemailer with a host or a well-known service', () => {
    expect(isMailConfigured(SMTP)).toBe(true);
    expect(isMailConfigured({ provider: 'nodemailer', providerOptions: { service: 'Postmark' } })).toBe(true);
  });

  it('is false for nodemailer without a host', () => {
    expect(isMailConfigured({ provider: 'nodemailer', providerOptions: { host: '' } })).toBe(false);
    expect(isMailConfigured({ provider: 'nodemailer' })).toBe(false);
  });

  it("is false for Strapi's default sendmail and for no config", () => {
    expect(isMailConfigured(DEFAULT)).toBe(false);
    expect(isMailConfigured({ provider: 'Sendmail' })).toBe(false);
    expect(isMailConfigured({})).toBe(false);
    expect(isMailConfigured(undefined)).toBe(false);
  });

  it('is true for any other provider an app configured', () => {
    expect(isMailConfigured({ provider: 'sendgrid', providerOptions: { apiKey: 'x' } })).toBe(true);
  });
});

describe('mailMode', () => {
  it('sends through the provider when mail is configured, in every environment', () => {
    expect(mailMode(SMTP, 'production')).toBe('provider');
    expect(mailMode(SMTP, 'development')).toBe('provider');
  });

  it('writes to the outbox without a provider outside production', () => {
    expect(mailMode(DEFAULT, 'development')).toBe('outbox');
    expect(mailMode(DEFAULT, 'test')).toBe('outbox');
    expect(mailMode(DEFAULT, undefined)).toBe('outbox');
  });

  it('refuses without a provider in production', () => {
    expect(mailMode(DEFAULT, 'production')).toBe('unconfigured');
  });
});
