import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain',
};

/** Resolves a URL path the way VitePress's `cleanUrls` output expects (`/a/b` -> `a/b.html`). */
function resolveFile(root: string, urlPath: string): string | undefined {
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0].split('#')[0])).replace(
    /^(\.\.[/\\])+/,
    '',
  );
  const candidates = [join(root, clean), join(root, `${clean}.html`), join(root, clean, 'index.html')];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

/**
 * Serves a built static site on 127.0.0.1 at a free port; 404 for anything missing. `headers` go on
 * every file served (for example COOP/COEP, which make the page cross-origin isolated).
 */
export async function serveStatic(
  root: string,
  headers: Record<string, string> = {},
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const file = resolveFile(root, req.url ?? '/');
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}
