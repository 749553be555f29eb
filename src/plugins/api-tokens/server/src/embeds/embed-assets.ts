import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The viewer and SDK bundles (`npm run build:embed`), next to the compiled server in the plugin's dist. */
const ASSET_DIR = path.resolve(__dirname, '..', '..', 'embed');

export const EMBED_ASSETS = ['viewer.js', 'sdk.js'] as const;
export type EmbedAsset = (typeof EMBED_ASSETS)[number];

export interface LoadedAsset {
  body: Buffer;
  /** The content's hash: the ETag, and the `?v=` that makes a URL cacheable for good. */
  hash: string;
}

const loaded = new Map<EmbedAsset, LoadedAsset | null>();

/** A bundle, read once; null when it was not built. */
export const embedAsset = (name: EmbedAsset): LoadedAsset | null => {
  if (!loaded.has(name)) {
    try {
      const body = readFileSync(path.join(ASSET_DIR, name));
      loaded.set(name, { body, hash: createHash('sha256').update(body).digest('base64url').slice(0, 16) });
    } catch {
      loaded.set(name, null);
    }
  }
  return loaded.get(name)!;
};

/** The bundle's URL with its content hash (no hash when it was not built: the request then answers 404). */
export const assetUrl = (name: EmbedAsset) => {
  const asset = embedAsset(name);
  return asset ? `/embed/${name}?v=${asset.hash}` : `/embed/${name}`;
};
