import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DTMF_DEFAULT_MS,
  DTMF_INFO_ACCEPT,
  DTMF_MAX_MS,
  DTMF_MIN_MS,
  dtmfRelayBody,
  dtmfRelayInfo,
  isBodilessInfo,
  isDtmfDigit,
  parseDtmfInfo,
  type DtmfDigit,
  type DtmfInfo,
} from './dtmf-info.ts';
import { bare, inDialog } from './test-support.ts';

const ALL = '0123456789*#ABCD'.split('') as DtmfDigit[];

/** An INFO through the real parser. */
function info(contentType: string | undefined, body: string, extra: string[] = []) {
  const ct = contentType === undefined ? [] : [`Content-Type: ${contentType}`];
  return inDialog('INFO', [...ct, ...extra], body);
}

const relay = (body: string): DtmfInfo => parseDtmfInfo(info('application/dtmf-relay', body));
const plain = (body: string): DtmfInfo => parseDtmfInfo(info('application/dtmf', body));
const digit = (r: DtmfInfo): string | undefined => (r.ok ? r.digit : undefined);
const status = (r: DtmfInfo): number => (r.ok ? 200 : r.status);

describe('parseDtmfInfo: application/dtmf-relay', () => {
  it('reads what JsSIP sends', () => {
    assert.deepEqual(relay('Signal=5\r\nDuration=100'), { ok: true, digit: '5', durationMs: 100 });
  });

  it('takes CRLF, LF or CR, any order, blank lines, spaces, any case of key', () => {
    const bodies = [
      'Signal=#\r\nDuration=250\r\n',
      'Signal=#\nDuration=250\n',
      'Signal=#\rDuration=250',
      'Duration=250\r\nSignal=#\r\n',
      '\r\n  signal =  #  \r\n\r\nDURATION= 250\r\n\r\n',
      'Signal=#\r\nVolume=10\r\nDuration=250\r\n', // unknown keys are ignored
    ];
    for (const body of bodies) {
      assert.deepEqual(
        relay(body),
        { ok: true, digit: '#', durationMs: 250 },
        JSON.stringify(body),
      );
    }
  });

  it('reads every digit, lower-case letters and event codes 10-15', () => {
    for (const d of ALL) assert.equal(digit(relay(`Signal=${d}`)), d);
    assert.equal(digit(relay('Signal=a')), 'A');
    assert.equal(digit(relay('Signal=d')), 'D');
    assert.equal(digit(relay('Signal=10')), '*');
    assert.equal(digit(relay('Signal=11')), '#');
    assert.equal(digit(relay('Signal=12')), 'A');
    assert.equal(digit(relay('Signal=15')), 'D');
    assert.equal(digit(relay('Signal=05')), '5');
  });

  it('defaults the duration to 160 ms and clamps it to 40..5000 ms', () => {
    const ms = (body: string): number | undefined => {
      const r = relay(body);
      return r.ok ? r.durationMs : undefined;
    };
    assert.equal(ms('Signal=1'), DTMF_DEFAULT_MS);
    assert.equal(ms('Signal=1\r\nDuration=0'), DTMF_MIN_MS);
    assert.equal(ms('Signal=1\r\nDuration=10'), DTMF_MIN_MS);
    assert.equal(ms('Signal=1\r\nDuration=99999'), DTMF_MAX_MS);
    assert.equal(ms(`Signal=1\r\nDuration=${'9'.repeat(500)}`), DTMF_MAX_MS);
    // Not a number of milliseconds: the key press is kept with the default duration.
    for (const d of ['-5', 'abc', '160ms', '1e3', '16.5', '']) {
      assert.equal(ms(`Signal=1\r\nDuration=${d}`), DTMF_DEFAULT_MS, d);
    }
  });

  it('answers 400 for a body without a usable digit', () => {
    const bad = [
      '',
      '\r\n\r\n',
      'Duration=160',
      'Signal=',
      'Signal=E',
      'Signal=R', // JsSIP's "flash"
      'Signal=16',
      'Signal=55',
      'Signal=-1',
      'Signal=5a',
      'Signal=55555555555555555555',
      'Signal=٣', // Arabic-Indic three
      'Signal=5\r\nSignal=6',
      'Signal=5\r\nsignal=5',
      'Signal=5\r\nDuration=1\r\nDuration=2',
      'hello',
      'Signal=5\r\ngarbage line',
      '\u0000\u0001\u00ff\ufffd',
    ];
    for (const body of bad) {
      const r = relay(body);
      assert.equal(status(r), 400, JSON.stringify(body));
      assert.ok(!r.ok && r.reason.startsWith('Bad Request - '));
    }
  });

  it('refuses a body far larger than any DTMF', () => {
    const r = relay('Signal=5\r\n' + 'X-Pad=1\r\n'.repeat(200));
    assert.deepEqual(r, { ok: false, status: 400, reason: 'Bad Request - DTMF body too large' });
  });

  it('accepts the type in any case, with parameters, in the compact form', () => {
    assert.equal(
      digit(parseDtmfInfo(info('Application/DTMF-Relay; charset=utf-8', 'Signal=7'))),
      '7',
    );
    assert.equal(digit(parseDtmfInfo(bare([['c', 'application/dtmf-relay']], 'Signal=8'))), '8');
  });
});

describe('parseDtmfInfo: application/dtmf', () => {
  it('reads the digit alone, with the default duration', () => {
    assert.deepEqual(plain('5'), { ok: true, digit: '5', durationMs: DTMF_DEFAULT_MS });
    assert.equal(digit(plain('#\r\n')), '#');
    assert.equal(digit(plain(' b ')), 'B');
    assert.equal(digit(plain('10')), '*');
  });

  it('answers 400 for anything else', () => {
    for (const body of ['', '55', 'Signal=5', 'x', '5 5'])
      assert.equal(status(plain(body)), 400, body);
  });
});

describe('parseDtmfInfo: other content', () => {
  it('answers 415 for another content type, naming it', () => {
    assert.deepEqual(parseDtmfInfo(info('text/plain', 'Signal=5')), {
      ok: false,
      status: 415,
      reason: 'Unsupported Media Type - text/plain',
    });
    assert.equal(status(parseDtmfInfo(info('application/sdp', 'v=0'))), 415);
    assert.equal(status(parseDtmfInfo(info('application/dtmf-relay-x', 'Signal=5'))), 415);
    const long = parseDtmfInfo(info(`application/${'x'.repeat(200)}`, 'Signal=5'));
    assert.deepEqual(long, {
      ok: false,
      status: 415,
      reason: 'Unsupported Media Type - Content-Type',
    });
  });

  it('answers 415 for an encoded body, which it cannot read', () => {
    const r = parseDtmfInfo(info('application/dtmf-relay', 'Signal=5', ['Content-Encoding: gzip']));
    assert.equal(status(r), 415);
    const identity = info('application/dtmf-relay', 'Signal=5', ['Content-Encoding: identity']);
    assert.equal(digit(parseDtmfInfo(identity)), '5');
  });

  it('answers 400 for a body without or with two Content-Types', () => {
    assert.deepEqual(parseDtmfInfo(bare([], 'Signal=5')), {
      ok: false,
      status: 400,
      reason: 'Bad Request - Missing Content-Type',
    });
    const twice = bare(
      [
        ['Content-Type', 'application/dtmf-relay'],
        ['c', 'application/dtmf'],
      ],
      'Signal=5',
    );
    assert.deepEqual(parseDtmfInfo(twice), {
      ok: false,
      status: 400,
      reason: 'Bad Request - Malformed Content-Type',
    });
    assert.equal(status(parseDtmfInfo(bare([['Content-Type', 'dtmf']], 'Signal=5'))), 400);
  });

  it('tells a bodiless INFO (a dialog probe) apart: 415 from the parser, 200 from the caller', () => {
    const empty = info(undefined, '');
    assert.equal(isBodilessInfo(empty), true);
    assert.equal(status(parseDtmfInfo(empty)), 415);
    assert.equal(isBodilessInfo(info('application/dtmf-relay', 'Signal=1')), false);
    assert.equal(isBodilessInfo(info('application/dtmf-relay', '')), false);
    assert.equal(DTMF_INFO_ACCEPT, 'application/dtmf-relay, application/dtmf');
  });
});

describe('dtmfRelayBody: an INFO to the browser', () => {
  it('writes Signal then Duration, CRLF-terminated', () => {
    assert.equal(dtmfRelayBody('5', 160), 'Signal=5\r\nDuration=160\r\n');
    assert.equal(dtmfRelayBody('#', 99999), 'Signal=#\r\nDuration=5000\r\n');
    assert.equal(dtmfRelayBody('A', 1), 'Signal=A\r\nDuration=40\r\n');
    assert.equal(dtmfRelayBody('*', 100.6), 'Signal=*\r\nDuration=101\r\n');
    assert.equal(dtmfRelayBody('0', Number.NaN), 'Signal=0\r\nDuration=160\r\n');
    assert.equal(dtmfRelayBody('0', -1), 'Signal=0\r\nDuration=40\r\n');
  });

  it('is read back by our parser for every digit', () => {
    for (const d of ALL) {
      const r = parseDtmfInfo(info('application/dtmf-relay', dtmfRelayBody(d, 200)));
      assert.deepEqual(r, { ok: true, digit: d, durationMs: 200 });
    }
  });

  it("is read by JsSIP's parser (RTCSession/DTMF.js: line 1 Signal, line 2 Duration)", () => {
    // The two regular expressions JsSIP 3.13 applies to an incoming INFO.
    const tone = /^(Signal\s*?=\s*?)([0-9A-D#*]{1})(\s)?.*/;
    const duration = /^(Duration\s?=\s?)([0-9]{1,4})(\s)?.*/;
    for (const d of ALL) {
      const lines = dtmfRelayBody(d, 5000).split('\n');
      assert.equal((lines[0] ?? '').replace(tone, '$2'), d);
      assert.equal(parseInt((lines[1] ?? '').replace(duration, '$2'), 10), 5000);
    }
  });

  it('comes with its Content-Type for the dialog layer', () => {
    const { contentType, body } = dtmfRelayInfo('9', 120);
    assert.equal(contentType, 'application/dtmf-relay');
    assert.equal(body.toString('utf8'), 'Signal=9\r\nDuration=120\r\n');
  });
});

describe('isDtmfDigit', () => {
  it('accepts the 16 digits, upper-case, one character', () => {
    for (const d of ALL) assert.equal(isDtmfDigit(d), true);
    for (const s of ['a', 'E', '10', '', ' 1', 'flash', '**'])
      assert.equal(isDtmfDigit(s), false, s);
  });
});
