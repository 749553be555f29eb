import type { EmbedClaims } from '../../../../server/src/embeds/types';

/** The payload of a JWT (not verified: the server does that), for showing a token's claims. */
export const decodeClaims = (jwt: string): EmbedClaims | null => {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as EmbedClaims;
  } catch {
    return null;
  }
};
