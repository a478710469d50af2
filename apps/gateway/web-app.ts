import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
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
