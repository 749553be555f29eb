export interface PluginConfig {
  /** API_TOKENS_PEPPER: the HMAC key for token digests. Required in production. */
  tokenPepper?: string | null;
  /** Older peppers that still verify tokens issued before a rotation; matches are re-keyed on use. */
  previousTokenPeppers: string[];
  /** lastUsedAt/lastUsedIp are written at most this often per token. */
  lastUsedIntervalSeconds: number;
  /** A denied request is audited at most this often per reason and token (or client IP). */
  deniedAuditSampleSeconds: number;
  /** Requests per minute per token on the plugin's content-API routes (429 past it); 0 turns the limit off. */
  rateLimit: { requestsPerMinute: number };
}

export const defaultConfig: PluginConfig = {
  tokenPepper: null,
  previousTokenPeppers: [],
  lastUsedIntervalSeconds: 300,
  deniedAuditSampleSeconds: 60,
  rateLimit: { requestsPerMinute: 600 },
};

const isPositive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

export default {
  default: defaultConfig,
  validator(config: PluginConfig) {
    if (config.tokenPepper != null && typeof config.tokenPepper !== 'string') {
      throw new Error('api-tokens: tokenPepper must be a string');
    }
    if (!Array.isArray(config.previousTokenPeppers)) {
      throw new Error('api-tokens: previousTokenPeppers must be an array of strings');
    }
    for (const key of ['lastUsedIntervalSeconds', 'deniedAuditSampleSeconds'] as const) {
      if (!isPositive(config[key])) throw new Error(`api-tokens: ${key} must be a positive number`);
    }
    const perMinute = config.rateLimit?.requestsPerMinute;
    if (typeof perMinute !== 'number' || !Number.isFinite(perMinute) || perMinute < 0) {
      throw new Error('api-tokens: rateLimit.requestsPerMinute must be a number ≥ 0');
    }
  },
};

export const getConfig = (): PluginConfig => strapi.config.get('plugin::api-tokens') as PluginConfig;
