/** Errors thrown by the client: one base class, one subclass per kind of failure. */

/** Base class of every error this SDK throws. */
export class SDKError extends Error {
  override name = "SDKError";
}

/** The server answered with a status outside 2xx. `body` is the parsed error body (JSON when it is JSON). */
export class APIError<TBody = unknown> extends SDKError {
  override name = "APIError";
  readonly status: number;
  readonly headers: Headers;
  readonly body: TBody;
  readonly response: Response | undefined;

  constructor(status: number, body: TBody, headers: Headers, message?: string, response?: Response) {
    super(message ?? APIError.describe(status, body));
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.response = response;
  }

  /** A message from the error body when it carries one (`{"error": {"message": ...}}` or `{"message": ...}`). */
  static describe(status: number, body: unknown): string {
    const inner = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
    const error = inner?.["error"];
    const nested = error !== null && typeof error === "object" ? (error as Record<string, unknown>)["message"] : error;
    const message = typeof nested === "string" ? nested : inner?.["message"];
    if (typeof message === "string" && message) return `${status} ${message}`;
    if (typeof body === "string" && body) return `${status} ${body.slice(0, 500)}`;
    return `${status} status code (no message in the body)`;
  }

  /** The subclass for `status`. */
  static of(status: number, body: unknown, headers: Headers, response?: Response): APIError {
    const Kind = STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Kind(status, body, headers, undefined, response);
  }
}

export class BadRequestError<TBody = unknown> extends APIError<TBody> {
  override name = "BadRequestError";
}
export class AuthenticationError<TBody = unknown> extends APIError<TBody> {
  override name = "AuthenticationError";
}
export class PermissionDeniedError<TBody = unknown> extends APIError<TBody> {
  override name = "PermissionDeniedError";
}
export class NotFoundError<TBody = unknown> extends APIError<TBody> {
  override name = "NotFoundError";
}
export class ConflictError<TBody = unknown> extends APIError<TBody> {
  override name = "ConflictError";
}
export class UnprocessableEntityError<TBody = unknown> extends APIError<TBody> {
  override name = "UnprocessableEntityError";
}
export class RateLimitError<TBody = unknown> extends APIError<TBody> {
  override name = "RateLimitError";
}
export class InternalServerError<TBody = unknown> extends APIError<TBody> {
  override name = "InternalServerError";
}

const STATUS_ERRORS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The request did not reach the server, or no answer came back (network failure). */
export class APIConnectionError extends SDKError {
  override name = "APIConnectionError";
  constructor(message = "Connection error.", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No answer within the timeout. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
  constructor(message = "Request timed out.") {
    super(message);
  }
}

/** The caller aborted the request through its `signal`. */
export class APIUserAbortError extends SDKError {
  override name = "APIUserAbortError";
  constructor(message = "Request was aborted.") {
    super(message);
  }
}

/** A credential the operation needs is missing (neither passed to the client nor in the environment). */
export class MissingCredentialsError extends SDKError {
  override name = "MissingCredentialsError";
}
