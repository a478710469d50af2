/** A small REST client for tests: every call returns status and parsed body, so assertions can check both. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private token: string | null = null,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const response = await client.post<{ token: string }>('/api/auth/login', { username, password });
    if (response.status !== 200) {
      throw new Error(`login ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    client.token = response.body.token;
    return client;
  }

  get bearer(): string {
    if (!this.token) throw new Error('not logged in');
    return this.token;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }

  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }

  patch<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }

  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** POST that must answer `expected`; returns the body. */
  async create<T = { id: string }>(path: string, body: unknown, expected = 201): Promise<T> {
    const response = await this.post<T>(path, body);
    if (response.status !== expected) {
      throw new Error(`POST ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }
}
