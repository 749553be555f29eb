/**
 * The viewer's standalone HTML page: no inline script or style without the response's nonce, every name escaped, the
 * token handed to the viewer script in a JSON block that the script reads and then removes.
 */
import { escapeHtml } from '../subscriptions/render/escape-html';
import type { EmbedSetup } from './embed-data';

/** The page's Content-Security-Policy: its own scripts and styles with the nonce, framed only by the allowed origins. */
export const viewerCsp = (nonce: string, allowedOrigins: string[]) =>
  [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The admin's playground frames the viewer from this origin.
    `frame-ancestors ${["'self'", ...allowedOrigins].join(' ')}`,
  ].join('; ');

/** JSON safe inside a `<script>` element: no `<`, `>` or `&` to end it, no line separators. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  );

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#32324d;background:#fff}
.embed{padding:12px 16px}
.embed-title{font-size:18px;margin:0 0 8px}
.embed-error{padding:24px;color:#b72b1a}
.embed-bar{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;margin:0 0 8px}
.embed-bar label{display:flex;flex-direction:column;font-size:12px;color:#666687}
.embed-bar select,.embed-bar input,.embed-bar button{font:inherit;padding:4px 8px;border:1px solid #dcdce4;border-radius:4px;background:#fff}
.embed-bar button{cursor:pointer;background:#4945ff;color:#fff;border-color:#4945ff}
.embed-grid{display:grid;grid-template-columns:repeat(12,1fr);gap:12px}
.embed-card{border:1px solid #eaeaef;border-radius:4px;padding:8px;min-width:0}
.embed-card h2{font-size:15px;margin:0 0 4px}
.embed-chart{width:100%;height:320px}
.embed-table{width:100%;border-collapse:collapse;margin-top:8px;font-size:13px}
.embed-table th,.embed-table td{border-bottom:1px solid #eaeaef;padding:4px 8px;text-align:left}
.embed-table th{background:#f6f6f9}
.embed-pager{display:flex;gap:8px;align-items:center;margin-top:6px;font-size:12px}
.embed-status{color:#666687}
${Array.from({ length: 12 }, (_, i) => `.embed-w${i + 1}{grid-column:span ${i + 1}}`).join('')}
`;

const shell = (nonce: string, title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;

export interface ViewerPage {
  nonce: string;
  setup: EmbedSetup;
  token: string;
  /** Where the viewer script is served, with its content hash. */
  scriptUrl: string;
  /** The data and export routes of this embed. */
  dataUrl: string;
  exportUrl: string;
}

/** The embed's page: its title, then the viewer script that draws the charts and tables. */
export const viewerPage = ({ nonce, setup, token, scriptUrl, dataUrl, exportUrl }: ViewerPage) =>
  shell(
    nonce,
    setup.name,
    `<main class="embed" id="embed-root">
<h1 class="embed-title">${escapeHtml(setup.name)}</h1>
<p class="embed-status">Loading…</p>
</main>
<script type="application/json" id="embed-config" nonce="${nonce}">${scriptJson({ ...setup, dataUrl, exportUrl })}</script>
<script type="application/json" id="embed-token" nonce="${nonce}">${scriptJson(token)}</script>
<script src="${escapeHtml(scriptUrl)}" nonce="${nonce}"></script>`
  );

/** A refused viewer request as a page a frame can show: the status and what to do, nothing else. */
export const errorPage = (nonce: string, status: number, message: string) =>
  shell(
    nonce,
    'Embed unavailable',
    `<main class="embed embed-error" role="alert"><h1 class="embed-title">Embed unavailable (${status})</h1><p>${escapeHtml(
      message
    )}</p></main>`
  );
