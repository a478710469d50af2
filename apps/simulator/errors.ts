import type { Response } from 'express';
import { fbtraceId } from './ids';
import { toJsonText, toMetaJson } from './json-text';

/*
 * Error bodies in the platforms' shapes. Graph errors carry a fresh fbtrace_id and are written with Meta's escaping;
 * X errors are RFC 7807 "problem" JSON.
 */

export interface GraphErrorSpec {
  message: string;
  type?: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

/** Keys in Meta's order: message, type, code, error_subcode, ..., fbtrace_id. */
export function graphErrorBody(spec: GraphErrorSpec): { error: Record<string, unknown> } {
  const { message, type, code, error_subcode, ...rest } = spec;
  return {
    error: { message, type: type ?? 'OAuthException', code, error_subcode, ...rest, fbtrace_id: fbtraceId() },
  };
}

export function sendGraph(res: Response, status: number, body: unknown): void {
  res.status(status).set('content-type', 'application/json; charset=UTF-8').send(toMetaJson(body));
}

export function sendGraphError(res: Response, spec: GraphErrorSpec, status = 400): void {
  sendGraph(res, status, graphErrorBody(spec));
}

export const GRAPH_ERRORS = {
  invalidToken: (): GraphErrorSpec => ({
    message: 'Invalid OAuth access token - Cannot parse access token',
    type: 'OAuthException',
    code: 190,
  }),
  missingToken: (): GraphErrorSpec => ({
    message: 'An active access token must be used to query information about the current user.',
    type: 'OAuthException',
    code: 2500,
  }),
  unsupportedPost: (id: string): GraphErrorSpec => ({
    message: `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  }),
  unsupportedGet: (id: string): GraphErrorSpec => ({
    message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  }),
  unsupportedDelete: (id: string): GraphErrorSpec => ({
    message: `Unsupported delete request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  }),
  unknownPath: (path: string): GraphErrorSpec => ({
    message: `Unknown path components: ${path}`,
    type: 'OAuthException',
    code: 2500,
  }),
  invalidParameter: (message: string, subcode?: number): GraphErrorSpec => ({
    message: `(#100) ${message}`,
    type: 'OAuthException',
    code: 100,
    ...(subcode !== undefined ? { error_subcode: subcode } : {}),
  }),
  outsideWindow: (): GraphErrorSpec => ({
    message:
      '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
    type: 'OAuthException',
    code: 10,
    error_subcode: 2018278,
  }),
  alreadyReplied: (): GraphErrorSpec => ({
    message: '(#10900) Activity already replied to',
    type: 'OAuthException',
    code: 10900,
  }),
  cannotReply: (): GraphErrorSpec => ({
    message: "(#10903) This activity can't be replied to",
    type: 'OAuthException',
    code: 10903,
  }),
  noMatchingUser: (): GraphErrorSpec => ({
    message: '(#100) No matching user found',
    type: 'OAuthException',
    code: 100,
    error_subcode: 2018001,
  }),
  transient: (): GraphErrorSpec => ({
    message: 'An unexpected error has occurred. Please retry your request later.',
    type: 'OAuthException',
    code: 2,
    is_transient: true,
  }),
};

export interface XProblem {
  title: string;
  detail: string;
  type: string;
  status: number;
  [extra: string]: unknown;
}

export function sendX(res: Response, status: number, body: unknown): void {
  res.status(status).set('content-type', 'application/json; charset=utf-8').send(toJsonText(body));
}

export function sendXProblem(res: Response, problem: XProblem): void {
  sendX(res, problem.status, problem);
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Invalid Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found Error',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const X_ERRORS = {
  unauthorized: (): XProblem => ({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }),
  tooManyRequests: (): XProblem => ({
    title: 'Too Many Requests',
    detail: 'Too Many Requests',
    type: 'about:blank',
    status: 429,
  }),
  duplicate: (): XProblem => ({
    detail: 'You are not allowed to create a Tweet with duplicate content.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  }),
  replyNotAllowed: (): XProblem => ({
    detail:
      'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  }),
  invalidRequest: (message: string): XProblem => ({
    errors: [{ parameters: {}, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
    status: 400,
  }),
  notFound: (): XProblem => ({
    title: 'Not Found Error',
    detail: 'Sorry, that page does not exist.',
    type: 'about:blank',
    status: 404,
  }),
  generic: (status: number): XProblem => {
    const title = STATUS_TITLES[status] ?? 'Error';
    return { title, detail: title, type: 'about:blank', status };
  },
};
