/** The email plugin's resolved config (`strapi.config.get('plugin::email')`), as far as delivery reads it. */
export interface EmailConfig {
  provider?: string;
  providerOptions?: Record<string, unknown>;
  settings?: { defaultFrom?: string; defaultReplyTo?: string };
}

/** `provider`: through Strapi's email plugin; `outbox`: `.eml` files in `.tmp/outbox/`; `unconfigured`: refuse. */
export type MailMode = 'provider' | 'outbox' | 'unconfigured';

/**
 * Whether mail can leave the app. Strapi's default provider, sendmail, counts as none: it needs a local MTA that
 * containers and dev machines lack, and it is what the plugin falls back to when SMTP_HOST is not set.
 */
export const isMailConfigured = (config: EmailConfig | undefined): boolean => {
  const provider = config?.provider?.toLowerCase();
  if (!provider || provider === 'sendmail') return false;
  if (provider !== 'nodemailer') return true;
  const options = config?.providerOptions ?? {};
  return Boolean(options.host || options.service);
};

/** Outside production, unconfigured mail goes to the outbox; in production it must fail, never vanish. */
export const mailMode = (config: EmailConfig | undefined, nodeEnv: string | undefined): MailMode => {
  if (isMailConfigured(config)) return 'provider';
  return nodeEnv === 'production' ? 'unconfigured' : 'outbox';
};
