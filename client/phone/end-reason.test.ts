import { expect } from '@esm-bundle/chai';
import {
  answeredElsewhere,
  Cause,
  endReasonOf,
  reasonOfStatus,
  type EndInput,
} from './end-reason.ts';
import type { EndReason } from './types.ts';

type Row = [string, EndInput, EndReason, number?];

const out = (direction: EndInput['direction'], rest: Omit<EndInput, 'direction'>): EndInput => ({
  direction,
  ...rest,
});

const ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

const table: Row[] = [
  // Final responses to our INVITE.
  [
    '486 busy',
    out('outgoing', { originator: 'remote', cause: Cause.BUSY, status: 486 }),
    'busy',
    486,
  ],
  [
    '600 busy everywhere',
    out('outgoing', { originator: 'remote', cause: Cause.BUSY, status: 600 }),
    'busy',
    600,
  ],
  [
    '603 decline',
    out('outgoing', { originator: 'remote', cause: Cause.REJECTED, status: 603 }),
    'declined',
    603,
  ],
  [
    '607 unwanted',
    out('outgoing', { originator: 'remote', cause: Cause.SIP_FAILURE_CODE, status: 607 }),
    'declined',
    607,
  ],
  [
    '404',
    out('outgoing', { originator: 'remote', cause: Cause.NOT_FOUND, status: 404 }),
    'not-found',
    404,
  ],
  [
    '484',
    out('outgoing', { originator: 'remote', cause: Cause.ADDRESS_INCOMPLETE, status: 484 }),
    'not-found',
    484,
  ],
  [
    '604',
    out('outgoing', { originator: 'remote', cause: Cause.NOT_FOUND, status: 604 }),
    'not-found',
    604,
  ],
  [
    '480',
    out('outgoing', { originator: 'remote', cause: Cause.UNAVAILABLE, status: 480 }),
    'unavailable',
    480,
  ],
  [
    '408 response',
    out('outgoing', { originator: 'remote', cause: Cause.UNAVAILABLE, status: 408 }),
    'unavailable',
    408,
  ],
  [
    '410',
    out('outgoing', { originator: 'remote', cause: Cause.UNAVAILABLE, status: 410 }),
    'unavailable',
    410,
  ],
  [
    '502',
    out('outgoing', { originator: 'remote', cause: Cause.SIP_FAILURE_CODE, status: 502 }),
    'unavailable',
    502,
  ],
  [
    '503',
    out('outgoing', { originator: 'remote', cause: Cause.SIP_FAILURE_CODE, status: 503 }),
    'unavailable',
    503,
  ],
  [
    '504',
    out('outgoing', { originator: 'remote', cause: Cause.SIP_FAILURE_CODE, status: 504 }),
    'unavailable',
    504,
  ],
  [
    '403 (line not ours)',
    out('outgoing', { originator: 'remote', cause: Cause.REJECTED, status: 403 }),
    'failed',
    403,
  ],
  [
    '488',
    out('outgoing', { originator: 'remote', cause: Cause.INCOMPATIBLE_SDP, status: 488 }),
    'failed',
    488,
  ],
  [
    '500',
    out('outgoing', { originator: 'remote', cause: Cause.SIP_FAILURE_CODE, status: 500 }),
    'failed',
    500,
  ],
  [
    '302 not followed',
    out('outgoing', { originator: 'remote', cause: Cause.REDIRECTED, status: 302 }),
    'failed',
    302,
  ],
  // CANCEL.
  [
    'we cancel our call',
    out('outgoing', { originator: 'local', cause: Cause.CANCELED }),
    'cancelled',
  ],
  ['caller gives up', out('incoming', { originator: 'remote', cause: Cause.CANCELED }), 'missed'],
  [
    'caller gives up with a reason of its own',
    out('incoming', {
      originator: 'remote',
      cause: Cause.CANCELED,
      reasonHeader: 'SIP;cause=487;text="Request Terminated"',
    }),
    'missed',
  ],
  [
    'another device answered',
    out('incoming', { originator: 'remote', cause: Cause.CANCELED, reasonHeader: ELSEWHERE }),
    'answered-elsewhere',
  ],
  // BYE.
  [
    'far end hangs up',
    out('outgoing', { originator: 'remote', cause: Cause.BYE }),
    'remote-hangup',
  ],
  ['caller hangs up', out('incoming', { originator: 'remote', cause: Cause.BYE }), 'remote-hangup'],
  ['we hang up', out('incoming', { originator: 'local', cause: Cause.BYE }), 'local-hangup'],
  // The path broke.
  [
    'socket closed',
    out('outgoing', { originator: 'system', cause: Cause.CONNECTION_ERROR }),
    'network',
  ],
  [
    'no answer to INVITE',
    out('outgoing', { originator: 'system', cause: Cause.REQUEST_TIMEOUT }),
    'network',
  ],
  ['ICE failed', out('incoming', { originator: 'local', cause: Cause.RTP_TIMEOUT }), 'network'],
  ['no ACK', out('incoming', { originator: 'remote', cause: Cause.NO_ACK }), 'network'],
  ['dialog error', out('outgoing', { originator: 'system', cause: Cause.DIALOG_ERROR }), 'network'],
  // Microphone.
  [
    'getUserMedia refused',
    out('incoming', { originator: 'local', cause: Cause.USER_DENIED_MEDIA_ACCESS }),
    'no-microphone',
  ],
  // Ringing ran out.
  ['no answer in time', out('incoming', { originator: 'local', cause: Cause.NO_ANSWER }), 'missed'],
  ['INVITE Expires', out('incoming', { originator: 'system', cause: Cause.EXPIRES }), 'missed'],
  // We refused.
  [
    'we decline busy',
    out('incoming', { originator: 'local', cause: Cause.REJECTED, status: 486 }),
    'declined',
    486,
  ],
  [
    'we decline',
    out('incoming', { originator: 'local', cause: Cause.REJECTED, status: 603 }),
    'declined',
    603,
  ],
  // Everything else.
  [
    'bad answer SDP',
    out('outgoing', { originator: 'remote', cause: Cause.BAD_MEDIA_DESCRIPTION }),
    'failed',
  ],
  ['WebRTC error', out('incoming', { originator: 'system', cause: Cause.WEBRTC_ERROR }), 'failed'],
  ['internal', out('incoming', { originator: 'system', cause: Cause.INTERNAL_ERROR }), 'failed'],
  [
    'auth',
    out('outgoing', { originator: 'remote', cause: Cause.AUTHENTICATION_ERROR, status: 407 }),
    'failed',
    407,
  ],
];

describe('endReasonOf', () => {
  for (const [name, input, reason, status] of table) {
    it(`${name} → ${reason}${status === undefined ? '' : ` (${status})`}`, () => {
      expect(endReasonOf(input)).to.deep.equal(
        status === undefined ? { reason } : { reason, status },
      );
    });
  }
});

describe('reasonOfStatus', () => {
  it('maps the statuses the views explain, and the rest to failed', () => {
    const cases: [number, EndReason][] = [
      [486, 'busy'],
      [600, 'busy'],
      [603, 'declined'],
      [607, 'declined'],
      [404, 'not-found'],
      [484, 'not-found'],
      [604, 'not-found'],
      [480, 'unavailable'],
      [408, 'unavailable'],
      [410, 'unavailable'],
      [502, 'unavailable'],
      [503, 'unavailable'],
      [504, 'unavailable'],
      [487, 'failed'],
      [500, 'failed'],
      [415, 'failed'],
    ];
    for (const [status, reason] of cases)
      expect(reasonOfStatus(status), String(status)).to.equal(reason);
  });
});

describe('answeredElsewhere', () => {
  it('reads RFC 3326 cause=200 however it is spaced', () => {
    expect(answeredElsewhere(ELSEWHERE)).to.equal(true);
    expect(answeredElsewhere('SIP ;cause=200 ;text="Call completed elsewhere"')).to.equal(true);
    expect(answeredElsewhere('sip; CAUSE = 200')).to.equal(true);
  });
  it('is false for other causes and no header', () => {
    expect(answeredElsewhere(undefined)).to.equal(false);
    expect(answeredElsewhere('SIP;cause=487')).to.equal(false);
    expect(answeredElsewhere('SIP;cause=2000')).to.equal(false);
    expect(answeredElsewhere('Q.850;cause=16')).to.equal(false);
  });
});
