import { yup } from '@strapi/utils';
import type { EmbedSettings } from '../shared/types';
import { randomBase62 } from './base62';
import { isUniqueViolation } from './errors';
import { UNKNOWN_KEYS } from './validation';

/** The embed id's length: 62^8 ≈ 2·10^14 ids, short enough for a URL. */
export const EMBED_ID_LENGTH = 8;
const MAX_ORIGINS = 50;

/** True for an origin written as browsers send it: `http(s)://host[:port]`, no path, no default port. */
const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
};

/** `embed: {enabled, allowedOrigins[]}` of a report or dashboard body. */
export const embedSchema = yup
  .object({
    enabled: yup.boolean().typeError('embed.enabled must be a boolean').required('embed.enabled is required'),
    allowedOrigins: yup
      .array()
      .of(
        yup
          .string()
          .typeError('embed.allowedOrigins must be strings')
          .test(
            'origin',
            '${path} must be an origin such as https://example.com:8443 (scheme://host[:port], lower case, no path)',
            (value) => value === undefined || isOrigin(value)
          )
      )
      .typeError('embed.allowedOrigins must be an array')
      .max(MAX_ORIGINS, `embed.allowedOrigins takes at most ${MAX_ORIGINS} origins`),
  })
  .typeError('embed must be an object')
  .noUnknown(true, UNKNOWN_KEYS)
  .default(undefined);

export type EmbedInput = { enabled: boolean; allowedOrigins?: string[] };

/** The embed columns a report or dashboard row holds. */
export interface EmbedRow {
  embedEnabled?: boolean | null;
  allowedOrigins?: string[] | null;
  embedId?: string | null;
  embedRevokedBefore?: string | Date | null;
}

export const serializeEmbed = (row: EmbedRow): EmbedSettings => ({
  enabled: Boolean(row.embedEnabled),
  allowedOrigins: row.allowedOrigins ?? [],
  embedId: row.embedId ?? null,
  revokedBefore: row.embedRevokedBefore ? new Date(row.embedRevokedBefore).toISOString() : null,
});

/**
 * The embed columns to write for `embed` (nothing when absent): the id is drawn the first time embedding is enabled
 * and kept from then on, so links stay valid across a disable and re-enable; origins left out stay as they were.
 */
const embedColumns = (embed: EmbedInput | undefined, current: EmbedRow | null): EmbedRow => {
  if (!embed) return {};
  return {
    embedEnabled: embed.enabled,
    allowedOrigins: embed.allowedOrigins ?? current?.allowedOrigins ?? [],
    embedId: current?.embedId ?? (embed.enabled ? randomBase62(EMBED_ID_LENGTH) : null),
  };
};

/**
 * Runs `write` with the embed columns for `embed`. A freshly drawn id that clashes with another row's (the unique
 * index refuses it) is drawn again.
 */
export const writeWithEmbed = async <T>(
  embed: EmbedInput | undefined,
  current: EmbedRow | null,
  write: (columns: EmbedRow) => Promise<T>
): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    const columns = embedColumns(embed, current);
    try {
      return await write(columns);
    } catch (error) {
      const drawn = columns.embedId && columns.embedId !== current?.embedId;
      const clash = isUniqueViolation(error) && /embed_id/.test((error as Error).message ?? '');
      if (!(drawn && clash && attempt < 3)) throw error;
    }
  }
};
