import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { repoRoot } from '@switchboard/config';

/** Where `vite build` puts the web app. */
export const WEB_DIST = join(repoRoot(), 'dist', 'web');

/** Paths that belong to the server, never to the web app's router. */
const SERVER_PATHS = /^\/(api|ws|webhooks|health|metrics)(\/|$)/;

/**
 * The agent desktop, supervisor and admin pages at `/`: hashed assets cached for a year (their names change with
 * their content), `index.html` never cached, and any other page path answered with `index.html` for the client-side
 * router (a reload on `/supervisor` works).
 */
export function serveWebApp(app: NestExpressApplication): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return false;
  // The pages' own headers (helmet): scripts and styles only from here, the socket and the API only here, pictures
  // from anywhere (customers' avatars live on the platforms' servers), and never inside another site's frame.
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'https:', 'http:'],
        'connect-src': [
          "'self'",
          (request) => {
            const host = (request as Request).headers.host ?? '';
            return /^[\w.:[\]-]+$/.test(host) ? `ws://${host} wss://${host}` : '';
          },
        ],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
    // Same-origin pages opening a customer's profile in a new tab need nothing more.
    crossOriginEmbedderPolicy: false,
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (SERVER_PATHS.test(request.path)) return next();
    headers(request, response, next);
  });
  app.use(
    '/assets',
    express.static(join(WEB_DIST, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
  );
  app.use(express.static(WEB_DIST, { index: false, maxAge: 0 }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (SERVER_PATHS.test(request.path) || request.path.startsWith('/assets/')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  return true;
}
