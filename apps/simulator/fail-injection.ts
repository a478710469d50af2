import type { Request, RequestHandler } from 'express';
import { GRAPH_ERRORS, graphErrorBody, sendGraph, sendX, X_ERRORS } from './errors';
import { graphErrorPreset, graphUsageHeaders } from './graph-error-presets';
import type { SimulatorState } from './state';
import type { SimPlatform } from './types';

/** Answers the next API calls matching a `/_sim/fail-next` rule with the requested failure instead of serving them. */
export function failInjection(state: SimulatorState, platform: SimPlatform): RequestHandler {
  return (req, res, next) => {
    const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
    const rule = state.takeFailure(req.method, path);
    if (!rule) {
      next();
      return;
    }
    if (rule.status === 0) {
      // A dropped connection, as when the platform is unreachable mid-request.
      req.socket.destroy();
      return;
    }
    if (platform === 'twitter' && rule.status === 429 && !rule.headers) {
      res.set({
        'x-rate-limit-limit': '1',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 60),
      });
    }
    if (platform === 'facebook' && rule.graphError !== undefined) {
      res.set(graphUsageHeaders(rule.graphError, callerPageId(state, req)));
    }
    if (rule.headers) res.set(rule.headers);
    if (typeof rule.body === 'string') {
      res.status(rule.status).send(rule.body);
      return;
    }
    if (platform === 'facebook') {
      const fallback = rule.graphError !== undefined ? graphErrorPreset(rule.graphError) : GRAPH_ERRORS.transient();
      sendGraph(res, rule.status, rule.body ?? graphErrorBody(fallback));
    } else {
      sendX(res, rule.status, rule.body ?? X_ERRORS.generic(rule.status));
    }
  };
}

/** The page whose token made the call (the business object of `X-Business-Use-Case-Usage`); body not parsed yet. */
function callerPageId(state: SimulatorState, req: Request): string {
  const header = req.get('authorization');
  const fromHeader = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
  const fromQuery = (req.query as Record<string, unknown>).access_token;
  const token = fromHeader ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
  const page = token === undefined ? undefined : state.pageByToken(token);
  return page?.pageId ?? state.config.pages[0]?.pageId ?? '0';
}
