/** The runtime's public surface, re-exported by the package's index. */

export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  MissingCredentialsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SDKError,
  UnprocessableEntityError,
} from "./errors.js";
export { type ClientOptions as BaseClientOptions, type Credential, type Fetch, type RequestOptions } from "./core.js";
export { type LogLevel } from "./logging.js";
export { Page, PagePromise } from "./pagination.js";
export { APIPromise, type WithResponse } from "./promise.js";
export { type Uploadable } from "./serialize.js";
export { type ServerSentEvent, Stream } from "./streaming.js";
