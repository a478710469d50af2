import type { Request } from 'express';
import type { RecordedRequest } from './types';
import { isPlainObject } from './validation';

export function recordRequest(req: Request): RecordedRequest {
  return {
    method: req.method,
    path: req.originalUrl.split('?')[0] ?? req.originalUrl,
    query: { ...(req.query as Record<string, unknown>) },
    body: req.body as unknown,
  };
}

/** body-parser's error for a malformed JSON or form body. */
export function isBodyParseError(error: unknown): boolean {
  return (
    (isPlainObject(error) || error instanceof Error) && (error as { type?: unknown }).type === 'entity.parse.failed'
  );
}
