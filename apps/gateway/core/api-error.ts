import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Every API error body is `{"error": "...", "details": [...]}`; validation names the fields. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, message: string, details: unknown[] = []) {
    super({ error: message, details }, status);
  }

  static badRequest(message: string, details: FieldProblem[] = []): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, message, details);
  }

  static notFound(what: string, id: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, `${what} ${id} not found`);
  }

  static conflict(message: string, details: unknown[] = []): ApiError {
    return new ApiError(HttpStatus.CONFLICT, message, details);
  }

  /** The request is well formed but the platform's rules forbid it (a closed Messenger window…): `details` says which. */
  static unprocessable(message: string, details: unknown[] = []): ApiError {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, message, details);
  }

  static unauthorized(message = 'authentication required'): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, message);
  }

  static forbidden(message = 'not allowed for your role'): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, message);
  }

  static unavailable(message: string): ApiError {
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, message);
  }

  static tooManyRequests(message: string, retryAfterSeconds: number): TooManyRequests {
    return new TooManyRequests(message, retryAfterSeconds);
  }
}

/** A 429: the HTTP edge adds `Retry-After`. */
export class TooManyRequests extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(HttpStatus.TOO_MANY_REQUESTS, message, [{ retryAfterSeconds }]);
  }
}
