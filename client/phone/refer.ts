/**
 * Blind transfer by REFER (RFC 3515) and how it ended: the REFER's own
 * response (202 accepted, else refused) and then the NOTIFYs whose
 * message/sipfrag body carries the transfer target's status (RFC 3515
 * §2.4.5). Resolves on a 2xx sipfrag; rejects with a PhoneError that says
 * why otherwise.
 */
import type { RTCSession } from 'jssip/lib/RTCSession.js';
import { Cause } from './end-reason.ts';
import { PhoneError } from './types.ts';

/** After the 202, how long the far end has to report the result. */
export const NOTIFY_TIMEOUT_MS = 30_000;

/** The PhoneError for a REFER that was refused (status) or never answered (cause). */
export function referRefused(status: number | undefined, cause: string | undefined): PhoneError {
  if (status === 405 || status === 420 || status === 489 || status === 501) {
    return new PhoneError('unsupported', `The gateway cannot transfer calls (${status}).`);
  }
  if (
    status === undefined &&
    (cause === Cause.CONNECTION_ERROR || cause === Cause.REQUEST_TIMEOUT)
  ) {
    return new PhoneError('network', 'The transfer got no answer from the gateway.');
  }
  return new PhoneError(
    'failed',
    status === undefined
      ? `The transfer failed (${cause ?? 'unknown'}).`
      : `The transfer was refused (${status}).`,
  );
}

/** The PhoneError for a transfer the target did not take (sipfrag status). */
export function transferFailed(status: number | undefined): PhoneError {
  switch (status) {
    case 486:
    case 600:
      return new PhoneError('failed', 'The transfer target is busy.');
    case 404:
    case 484:
    case 604:
      return new PhoneError('invalid-number', 'The transfer target does not exist.');
    default:
      return new PhoneError(
        'failed',
        `The transfer target did not answer (${status ?? 'no status'}).`,
      );
  }
}

interface SipfragEvent {
  readonly status_line?: { readonly status_code?: unknown } | null;
}
interface RequestFailedEvent {
  readonly response?: { readonly status_code?: unknown } | null;
  readonly cause?: unknown;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : Number(v) || undefined;

export function referOutcome(
  session: RTCSession,
  target: string,
  onEnd: (f: () => void) => () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let accepted = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const settle = (err?: PhoneError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      if (err) reject(err);
      else resolve();
    };
    // A far end that takes the transfer often hangs up before its last NOTIFY.
    const off = onEnd(() =>
      settle(
        accepted ? undefined : new PhoneError('failed', 'The call ended before the transfer.'),
      ),
    );
    const eventHandlers = {
      requestSucceeded: () => {
        accepted = true;
        timer = setTimeout(
          () => settle(new PhoneError('failed', 'The transfer got no final answer.')),
          NOTIFY_TIMEOUT_MS,
        );
      },
      requestFailed: (e: RequestFailedEvent) =>
        settle(
          referRefused(
            num(e.response?.status_code),
            typeof e.cause === 'string' ? e.cause : undefined,
          ),
        ),
      accepted: () => settle(),
      failed: (e: SipfragEvent) => settle(transferFailed(num(e.status_line?.status_code))),
    };
    try {
      // The caller checked that the call is up, the one state JsSIP refers from.
      session.refer(target, { eventHandlers });
    } catch (err) {
      settle(
        new PhoneError(
          'invalid-number',
          `The transfer target is not valid (${err instanceof Error ? err.message : String(err)}).`,
        ),
      );
    }
  });
}
