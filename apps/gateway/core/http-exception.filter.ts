import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '@switchboard/observability';
import { TooManyRequests } from './api-error';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** Maps whatever was thrown to the API's error shape, once, at the HTTP edge. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { status, body } = this.describe(exception);
    if (status >= 500) {
      // An interaction route names its interaction: the line carries its id.
      const interactionId = request.path.match(/^\/api\/interactions\/([0-9a-f-]{36})/)?.[1];
      this.logger.error(
        { err: exception, path: request.path, ...(interactionId ? { interactionId } : {}) },
        'request failed',
      );
    }
    if (exception instanceof TooManyRequests) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: { error: string; details: unknown[] } } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'error' in payload && 'details' in payload) {
        return { status, body: payload as { error: string; details: unknown[] } };
      }
      const message =
        typeof payload === 'string' ? payload : ((payload as { message?: string }).message ?? exception.message);
      return { status, body: { error: Array.isArray(message) ? message.join('; ') : String(message), details: [] } };
    }
    const parserError = exception as BodyParserError;
    if (parserError?.type === 'entity.parse.failed') {
      return { status: HttpStatus.BAD_REQUEST, body: { error: 'request body is not valid JSON', details: [] } };
    }
    if (parserError?.type === 'entity.too.large') {
      return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: { error: 'request body is too large', details: [] } };
    }
    if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return { status: parserError.status, body: { error: parserError.message ?? 'bad request', details: [] } };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { error: 'internal error', details: [] } };
  }
}
