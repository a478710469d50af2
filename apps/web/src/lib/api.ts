import type { ApiProblem } from './types';

const TOKEN_KEY = 'switchboard.token';

/** A failed call: its status, message and the fields it names (400s say which). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }

  /** The problems of one field, as `details` names them (`{field, message}`). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const detail of this.details) {
      if (detail && typeof detail === 'object' && 'field' in detail && 'message' in detail) {
        const { field, message } = detail as { field: string; message: string };
        errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
      }
    }
    return errors;
  }
}

type Listener = () => void;

/** How far the server's clock is ahead of this browser's, when more than the Date header's precision can tell. */
let serverOffsetMs = 0;

/** Now by the server's clock: countdowns and ages compare it with the server's instants. */
export function serverNow(): number {
  return Date.now() + serverOffsetMs;
}

/** The Date header is to the second: clocks closer than this are taken as one. */
const SKEW_TOLERANCE_MS = 2_000;

function learnClock(response: Response, sentAt: number): void {
  const header = response.headers.get('date');
  const server = header ? Date.parse(header) : NaN;
  if (Number.isNaN(server)) return;
  const offset = server + 500 - (sentAt + Date.now()) / 2;
  serverOffsetMs = Math.abs(offset) > SKEW_TOLERANCE_MS ? Math.round(offset) : 0;
}

/**
 * The REST client: the token kept in localStorage (a reload keeps the session), every call authorised with it, and
 * any 401 ending the session for every page at once (back to the login page; drafts stay in localStorage).
 */
class Api {
  private token: string | null = localStorage.getItem(TOKEN_KEY);
  private readonly ended = new Set<Listener>();

  get bearer(): string | null {
    return this.token;
  }

  signIn(token: string): void {
    this.token = token;
    localStorage.setItem(TOKEN_KEY, token);
  }

  signOut(): void {
    this.token = null;
    localStorage.removeItem(TOKEN_KEY);
    for (const listener of this.ended) listener();
  }

  onSignedOut(listener: Listener): () => void {
    this.ended.add(listener);
    return () => this.ended.delete(listener);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const sentAt = Date.now();
    const response = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    learnClock(response, sentAt);
    if (response.status === 401 && this.token && path !== '/api/auth/login') this.signOut();
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const problem = (parsed ?? {}) as Partial<ApiProblem>;
      throw new ApiError(response.status, problem.error ?? response.statusText, problem.details ?? []);
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** A file the API streams (a CSV report), fetched with the token and handed to the browser as a download. */
  async download(path: string, fallbackName: string): Promise<void> {
    const response = await fetch(path, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
    if (response.status === 401) this.signOut();
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as Partial<ApiProblem>;
      throw new ApiError(response.status, problem.error ?? response.statusText, problem.details ?? []);
    }
    const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export const api = new Api();

/** The words to show for any error a call may throw. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
