import { toJsonText } from './json-text';
import type { GraphErrorSpec } from './errors';

/*
 * Graph errors that `/_sim/fail-next {graphError}` can inject by code (platform-apis.md §1.6): the throttling codes
 * with the usage headers Meta sends along, and the other errors a care backend has to classify.
 */

/** Every Graph call (the Graph router sees paths that start with the version). */
export const GRAPH_PATH_PATTERN = '^/v\\d+\\.\\d+/';

interface GraphErrorPreset {
  status: number;
  spec: GraphErrorSpec;
  /** Which usage header goes with it: app-level (`X-App-Usage`) or page-level (`X-Business-Use-Case-Usage`). */
  usage: 'app' | 'page' | null;
}

/** Minutes a throttled caller waits, reported in `estimated_time_to_regain_access`. */
const REGAIN_ACCESS_MINUTES = 5;

const PRESETS: Record<number, GraphErrorPreset> = {
  1: {
    status: 500,
    spec: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, is_transient: true },
    usage: null,
  },
  2: {
    status: 503,
    spec: {
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      code: 2,
      is_transient: true,
    },
    usage: null,
  },
  4: {
    status: 400,
    spec: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, is_transient: true },
    usage: 'app',
  },
  10: {
    status: 400,
    spec: {
      message:
        '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
      type: 'OAuthException',
      code: 10,
      error_subcode: 2018278,
    },
    usage: null,
  },
  17: {
    status: 400,
    spec: { message: '(#17) User request limit reached', type: 'OAuthException', code: 17, is_transient: true },
    usage: 'app',
  },
  32: {
    status: 400,
    spec: { message: '(#32) Page request limit reached', type: 'OAuthException', code: 32, is_transient: true },
    usage: 'page',
  },
  100: {
    status: 400,
    spec: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 },
    usage: null,
  },
  190: {
    status: 400,
    spec: {
      message:
        'Error validating access token: The session has been invalidated because the user changed their password.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 460,
    },
    usage: null,
  },
  200: {
    status: 403,
    spec: {
      message: '(#200) Requires pages_messaging permission to manage the object',
      type: 'OAuthException',
      code: 200,
    },
    usage: null,
  },
  551: {
    status: 400,
    spec: {
      message: "(#551) This person isn't available right now.",
      type: 'OAuthException',
      code: 551,
      error_subcode: 1545041,
    },
    usage: null,
  },
  613: {
    status: 400,
    spec: {
      message: '(#613) Calls to this api have exceeded the rate limit.',
      type: 'OAuthException',
      code: 613,
      is_transient: true,
    },
    usage: 'page',
  },
  80001: {
    status: 400,
    spec: {
      message:
        '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
      type: 'OAuthException',
      code: 80001,
      is_transient: true,
    },
    usage: 'page',
  },
  2018218: {
    status: 400,
    spec: noProfileError(),
    usage: null,
  },
};

export const GRAPH_ERROR_PRESETS: readonly number[] = Object.keys(PRESETS).map(Number);

export function graphErrorStatus(code: number): number {
  return PRESETS[code]?.status ?? 400;
}

export function graphErrorPreset(code: number): GraphErrorSpec {
  return { ...(PRESETS[code]?.spec ?? PRESETS[2]?.spec ?? { message: 'Error', code }) };
}

/** The usage headers Meta sends with a throttling error: everything at 100 %, access back in a few minutes. */
export function graphUsageHeaders(code: number, businessObjectId: string): Record<string, string> {
  const usage = PRESETS[code]?.usage ?? null;
  if (usage === null) return {};
  const headers: Record<string, string> = {
    'x-app-usage': toJsonText({ call_count: 100, total_cputime: 28, total_time: 41 }),
  };
  if (usage === 'page') {
    headers['x-business-use-case-usage'] = toJsonText({
      [businessObjectId]: [
        {
          type: 'pages',
          call_count: 100,
          total_cputime: 28,
          total_time: 41,
          estimated_time_to_regain_access: REGAIN_ACCESS_MINUTES,
        },
      ],
    });
  }
  return headers;
}

/** User Profile API answer for an account created with a phone number (no profile exists). */
export function noProfileError(): GraphErrorSpec {
  return { message: 'No profile available for this user.', type: 'OAuthException', code: 100, error_subcode: 2018218 };
}
