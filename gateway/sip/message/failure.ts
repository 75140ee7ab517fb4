/**
 * What went wrong with a received message, in the terms of the response a
 * server would send (RFC 3261 §21.4.1 400, §21.5.6 505, §21.4.11 513).
 */
import { LinegateError } from '#shared/errors.ts';

export class Failure extends Error {
  constructor(
    /** Short human text: "Missing Call-ID". */
    readonly what: string,
    readonly status: 400 | 505 | 513 = 400,
  ) {
    super(what);
  }

  /** Reason phrase of the response: "Bad Request - Missing Call-ID". */
  get reason(): string {
    if (this.status === 505) return 'Version Not Supported';
    if (this.status === 513) return `Message Too Large - ${this.what}`;
    return `Bad Request - ${this.what}`;
  }

  toError(extra: Record<string, unknown> = {}): LinegateError {
    const code = this.status === 513 ? 'sip.too-large' : 'sip.parse';
    return new LinegateError(code, this.what, {
      details: { reason: this.reason, status: this.status, ...extra },
    });
  }
}
