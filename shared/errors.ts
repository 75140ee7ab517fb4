/**
 * The one error type of Linegate. Every failure that crosses a module boundary
 * is a LinegateError with a machine-readable `code`; the message is for humans
 * (logs, HTTP 4xx bodies, SIP reason phrases), the `cause` keeps the original.
 */
export type ErrorCode =
  | 'config.invalid' // a config file key has a bad value (details: key, line)
  | 'config.unreadable' // the config file cannot be read or is not YAML
  | 'sip.parse' // a SIP message is malformed (details: reason phrase for a 400)
  | 'sip.too-large' // a SIP message exceeds a size limit
  | 'sip.transport' // a datagram or WebSocket frame could not be sent
  | 'sip.transaction' // transaction timeout or transport failure (RFC 3261 §8.1.3.1)
  | 'sip.auth' // digest authentication failed or could not be answered
  | 'http.bad-request'
  | 'http.not-found'
  | 'http.forbidden'
  | 'server.insecure' // plain HTTP on a non-loopback address
  | 'internal';

export class LinegateError extends Error {
  override readonly name = 'LinegateError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isLinegateError(e: unknown, code?: ErrorCode): e is LinegateError {
  return e instanceof LinegateError && (code === undefined || e.code === code);
}
