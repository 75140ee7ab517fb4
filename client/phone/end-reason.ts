/**
 * Why a call ended, for the message the user sees: JsSIP's 'failed' and
 * 'ended' events (originator, cause, the message that ended the call) and
 * the SIP status mapped to an EndReason. Pure, so the whole table is tested.
 */
import type { CallDirection, EndReason } from './types.ts';

/** JsSIP's cause strings (jssip/lib/Constants.js `causes`), spelled out: its enum is declared only. */
export const Cause = {
  CONNECTION_ERROR: 'Connection Error',
  REQUEST_TIMEOUT: 'Request Timeout',
  SIP_FAILURE_CODE: 'SIP Failure Code',
  INTERNAL_ERROR: 'Internal Error',
  BUSY: 'Busy',
  REJECTED: 'Rejected',
  REDIRECTED: 'Redirected',
  UNAVAILABLE: 'Unavailable',
  NOT_FOUND: 'Not Found',
  ADDRESS_INCOMPLETE: 'Address Incomplete',
  INCOMPATIBLE_SDP: 'Incompatible SDP',
  MISSING_SDP: 'Missing SDP',
  AUTHENTICATION_ERROR: 'Authentication Error',
  BYE: 'Terminated',
  WEBRTC_ERROR: 'WebRTC Error',
  CANCELED: 'Canceled',
  NO_ANSWER: 'No Answer',
  EXPIRES: 'Expires',
  NO_ACK: 'No ACK',
  DIALOG_ERROR: 'Dialog Error',
  USER_DENIED_MEDIA_ACCESS: 'User Denied Media Access',
  BAD_MEDIA_DESCRIPTION: 'Bad Media Description',
  RTP_TIMEOUT: 'RTP Timeout',
} as const;

export interface EndInput {
  /** Who ended it, as JsSIP says: 'local', 'remote' or 'system'. */
  readonly originator: string;
  /** JsSIP's cause (Cause.*). */
  readonly cause: string;
  readonly direction: CallDirection;
  /**
   * SIP status: of the final response that ended the call, or the one we
   * sent when we refused an incoming call.
   */
  readonly status?: number | undefined;
  /** Reason header (RFC 3326) of the request that ended the call (CANCEL, BYE). */
  readonly reasonHeader?: string | undefined;
}

export interface CallEnd {
  readonly reason: EndReason;
  readonly status?: number | undefined;
}

/** Causes that mean the path to the gateway broke rather than anybody deciding. */
const NETWORK_CAUSES: ReadonlySet<string> = new Set([
  Cause.CONNECTION_ERROR,
  Cause.REQUEST_TIMEOUT,
  Cause.RTP_TIMEOUT,
  Cause.DIALOG_ERROR,
  Cause.NO_ACK,
]);

/** SIP status → reason; everything else is 'failed' with the status. */
export function reasonOfStatus(status: number): EndReason {
  switch (status) {
    case 486:
    case 600:
      return 'busy';
    case 603:
    case 607:
      return 'declined';
    case 404:
    case 484:
    case 604:
      return 'not-found';
    case 408:
    case 410:
    case 480:
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'failed';
  }
}

/**
 * RFC 3326 Reason "SIP;cause=200": the gateway CANCELs the other devices of
 * a call that one device answered (RFC 3261 §9.1 leaves the reason to it).
 */
export function answeredElsewhere(reasonHeader: string | undefined): boolean {
  return reasonHeader !== undefined && /(^|[;\s])cause\s*=\s*"?200\b/i.test(reasonHeader);
}

export function endReasonOf(input: EndInput): CallEnd {
  const { originator, cause, status } = input;
  const withStatus = (reason: EndReason): CallEnd =>
    status === undefined ? { reason } : { reason, status };
  if (cause === Cause.CANCELED) {
    if (originator !== 'remote') return { reason: 'cancelled' };
    return { reason: answeredElsewhere(input.reasonHeader) ? 'answered-elsewhere' : 'missed' };
  }
  if (cause === Cause.BYE) {
    return { reason: originator === 'remote' ? 'remote-hangup' : 'local-hangup' };
  }
  if (NETWORK_CAUSES.has(cause)) return withStatus('network');
  if (cause === Cause.USER_DENIED_MEDIA_ACCESS) return { reason: 'no-microphone' };
  // Our no-answer timer or the INVITE's Expires ran out while it rang.
  if (cause === Cause.NO_ANSWER || cause === Cause.EXPIRES) {
    return withStatus(input.direction === 'incoming' ? 'missed' : 'unavailable');
  }
  // We refused an incoming call (decline): whatever status we sent, the user declined.
  if (cause === Cause.REJECTED && originator === 'local') return withStatus('declined');
  if (status !== undefined) return withStatus(reasonOfStatus(status));
  return { reason: 'failed' };
}
