import type { MessageKey } from '../i18n/index.ts';
import type { EndReason, PhoneErrorCode } from '../phone/types.ts';

/** The message the user sees for a call's end. */
export function endReasonKey(reason: EndReason): MessageKey {
  switch (reason) {
    case 'local-hangup':
      return 'end.local-hangup';
    case 'remote-hangup':
      return 'end.remote-hangup';
    case 'busy':
      return 'end.busy';
    case 'declined':
      return 'end.declined';
    case 'unavailable':
      return 'end.unavailable';
    case 'not-found':
      return 'end.not-found';
    case 'cancelled':
      return 'end.cancelled';
    case 'answered-elsewhere':
      return 'end.answered-elsewhere';
    case 'missed':
      return 'end.missed';
    case 'network':
      return 'end.network';
    case 'no-microphone':
      return 'end.no-microphone';
    case 'failed':
      return 'end.failed';
  }
}

/** Ends the user did not ask for: shown as an alert, not just a status. */
export function isFailure(reason: EndReason): boolean {
  switch (reason) {
    case 'local-hangup':
    case 'remote-hangup':
    case 'cancelled':
    case 'answered-elsewhere':
      return false;
    case 'busy':
    case 'declined':
    case 'unavailable':
    case 'not-found':
    case 'missed':
    case 'network':
    case 'no-microphone':
    case 'failed':
      return true;
  }
}

const ERROR_CODES: readonly PhoneErrorCode[] = [
  'credentials',
  'rate-limited',
  'network',
  'not-connected',
  'no-microphone',
  'no-such-call',
  'invalid-number',
  'unsupported',
  'not-single-line',
  'failed',
];

/**
 * The message for a rejected command. Reads `code` rather than testing
 * instanceof, so an error from another copy of the class still reads right.
 */
export function errorKey(err: unknown): MessageKey {
  const code: unknown = err && typeof err === 'object' && 'code' in err ? err.code : undefined;
  const known = ERROR_CODES.find((c) => c === code);
  return known ? `error.${known}` : 'error.failed';
}
