/**
 * `ReportingHubEmbed.mount(el, {embedUrl, fetchToken})`: frames an embedded card or dashboard. The token goes in by a
 * form POST (never in a URL), and is refreshed before it expires, timed from its own `exp − iat`, then handed to the
 * frame by postMessage addressed to the embed's origin only.
 */
import { TOKEN_MESSAGE, type TokenMessage } from './messages';

/** What `fetchToken` may resolve to: the JWT, or the answer of `/v1/cards|stories/embed/auth` as it is. */
export type FetchedToken = string | { authentication: string };

export interface MountOptions {
  /** The viewer's URL: `https://reports.example.com/embed/cards/<embedId>` (or a Domo alias). */
  embedUrl: string;
  /** Asks the app's own server for a fresh embed token (the server mints it with its API token). */
  fetchToken: () => Promise<FetchedToken>;
  /** The frame's height (CSS); 480px by default. */
  height?: string;
  /** The frame's accessible title. */
  title?: string;
  /** Hears a failed refresh; the frame keeps its token until it expires. */
  onError?: (error: unknown) => void;
}

export interface Embed {
  iframe: HTMLIFrameElement;
  /** Fetches and hands over a new token now. */
  refresh: () => Promise<void>;
  /** Stops refreshing and removes the frame. */
  destroy: () => void;
}

/** Refresh when this share of the token's life has passed. */
const REFRESH_AT = 0.75;
const MIN_DELAY_MS = 5_000;

let frames = 0;

const jwtOf = (fetched: FetchedToken) => (typeof fetched === 'string' ? fetched : fetched.authentication);

/** The token's life in seconds (`exp − iat`), read from its payload; the client's clock plays no part. */
export const lifetimeOf = (jwt: string): number => {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(
    part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=')
  );
  const { exp, iat } = JSON.parse(json) as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number' || typeof iat !== 'number' || exp <= iat)
    throw new Error('The embed token has no exp and iat');
  return exp - iat;
};

export const mount = (element: HTMLElement, options: MountOptions): Embed => {
  const url = new URL(options.embedUrl, window.location.href);
  const origin = url.origin;
  const iframe = document.createElement('iframe');
  iframe.name = `reporting-hub-embed-${(frames += 1)}`;
  iframe.title = options.title ?? 'Embedded report';
  iframe.setAttribute('referrerpolicy', 'no-referrer');
  iframe.style.border = '0';
  iframe.style.width = '100%';
  iframe.style.height = options.height ?? '480px';
  element.appendChild(iframe);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const schedule = (jwt: string) => {
    const delay = Math.max(MIN_DELAY_MS, lifetimeOf(jwt) * 1000 * REFRESH_AT);
    timer = setTimeout(() => {
      refresh().catch((error) => options.onError?.(error));
    }, delay);
  };

  const refresh = async () => {
    if (destroyed) return;
    clearTimeout(timer);
    const jwt = jwtOf(await options.fetchToken());
    if (destroyed) return;
    const message: TokenMessage = { type: TOKEN_MESSAGE, token: jwt };
    iframe.contentWindow?.postMessage(message, origin);
    schedule(jwt);
  };

  const open = async () => {
    const jwt = jwtOf(await options.fetchToken());
    if (destroyed) return;
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = url.href;
    form.target = iframe.name;
    form.style.display = 'none';
    const field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'embedToken';
    field.value = jwt;
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
    form.remove();
    schedule(jwt);
  };
  open().catch((error) => options.onError?.(error));

  return {
    iframe,
    refresh,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      iframe.remove();
    },
  };
};
