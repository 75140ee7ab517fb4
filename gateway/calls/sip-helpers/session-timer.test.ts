import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../../sip/message/build.ts';
import { roundTrip } from '../../sip/dialog/test-support.ts';
import {
  DEFAULT_MAX_SE,
  MAX_TIMER_MS,
  expiryDelayMs,
  minSEOf,
  parseMinSE,
  parseSessionExpires,
  refreshDelayMs,
  requestTimerHeaders,
  requiresTimer,
  sessionExpiresOf,
  supportsTimer,
  timerDelayMs,
  uacSessionTimer,
  uasSessionTimer,
  type UasSessionTimer,
} from './session-timer.ts';
import { bare, inDialog, ok, pbxInvite } from './test-support.ts';

/** The timer a UAS answer gives, failing the test on any other kind. */
function timerOf(r: UasSessionTimer): Extract<UasSessionTimer, { kind: 'timer' }> {
  assert.equal(r.kind, 'timer', JSON.stringify(r));
  return r;
}

const headersOf = (r: UasSessionTimer): [string, string][] =>
  'responseHeaders' in r ? r.responseHeaders.map((h) => [h.name, h.value]) : [];

describe('parseSessionExpires (RFC 4028 §4)', () => {
  it('reads delta-seconds and the refresher, case-insensitively', () => {
    assert.deepEqual(parseSessionExpires('1800'), { interval: 1800, refresher: undefined });
    assert.deepEqual(parseSessionExpires('1800;refresher=uac'), {
      interval: 1800,
      refresher: 'uac',
    });
    assert.deepEqual(parseSessionExpires(' 90 ; Refresher = UAS '), {
      interval: 90,
      refresher: 'uas',
    });
    assert.deepEqual(parseSessionExpires('00090'), { interval: 90, refresher: undefined });
    assert.equal(parseSessionExpires('0')?.interval, 0);
    assert.equal(parseSessionExpires('4294967295')?.interval, 4294967295);
  });

  it('ignores other parameters (generic-param)', () => {
    assert.deepEqual(parseSessionExpires('600;x-foo=bar;flag;refresher=uas'), {
      interval: 600,
      refresher: 'uas',
    });
  });

  it('refuses garbage, signs, overlarge values, lists and a bad refresher', () => {
    for (const v of [
      '',
      ' ',
      'abc',
      '-90',
      '+90',
      '1e3',
      '0x10',
      '1800.5',
      '1800abc',
      '18 00',
      '1800;',
      '1800,90',
      '1800, 90;refresher=uac',
      '4294967296',
      '9'.repeat(400),
      '1800;refresher',
      '1800;refresher=',
      '1800;refresher=proxy',
      '1800;refresher="uac"',
      '1800;refresher=uac;refresher=uas',
      '1800;refresher=uac;REFRESHER=uac',
      '1800;;refresher=uac',
      '1800\r\nX-Evil: 1',
    ]) {
      assert.equal(parseSessionExpires(v), undefined, JSON.stringify(v));
    }
  });
});

describe('parseMinSE (§5)', () => {
  it('reads delta-seconds and tolerates parameters', () => {
    assert.equal(parseMinSE('90'), 90);
    assert.equal(parseMinSE(' 120;ext=1 '), 120);
    for (const v of ['', 'ninety', '-1', '90 90', '4294967296', '90,120']) {
      assert.equal(parseMinSE(v), undefined, v);
    }
  });
});

describe('sessionExpiresOf, minSEOf, supportsTimer', () => {
  it('finds the compact form "x" and any case', () => {
    const m = bare([
      ['x', '1800;refresher=uas'],
      ['min-se', '120'],
    ]);
    assert.deepEqual(sessionExpiresOf(m), {
      ok: true,
      value: { interval: 1800, refresher: 'uas' },
    });
    assert.deepEqual(minSEOf(m), { ok: true, value: 120 });
    assert.deepEqual(sessionExpiresOf(bare([['SESSION-EXPIRES', '90']])), {
      ok: true,
      value: { interval: 90, refresher: undefined },
    });
  });

  it('reports absence as no value, and repetition or bad syntax as a reason', () => {
    assert.deepEqual(sessionExpiresOf(bare([])), { ok: true, value: undefined });
    assert.deepEqual(
      sessionExpiresOf(
        bare([
          ['Session-Expires', '1800'],
          ['x', '1800'],
        ]),
      ),
      { ok: false, reason: 'More than one Session-Expires' },
    );
    assert.deepEqual(sessionExpiresOf(bare([['Session-Expires', 'soon']])), {
      ok: false,
      reason: 'Malformed Session-Expires',
    });
    assert.deepEqual(minSEOf(bare([['Min-SE', '-5']])), { ok: false, reason: 'Malformed Min-SE' });
  });

  it('sees "timer" in Supported (compact "k") or Require, as a whole token, in any case', () => {
    assert.equal(supportsTimer(bare([['Supported', 'timer']])), true);
    assert.equal(supportsTimer(bare([['k', '100rel, TIMER ,replaces']])), true);
    assert.equal(supportsTimer(bare([['Supported', 'replaces']])), false);
    assert.equal(supportsTimer(bare([['Supported', 'timers, xtimer']])), false);
    assert.equal(supportsTimer(bare([['Supported', '']])), false);
    assert.equal(supportsTimer(bare([])), false);
    assert.equal(supportsTimer(bare([['Require', 'timer']])), true);
    assert.equal(requiresTimer(bare([['Supported', 'timer']])), false);
    assert.equal(requiresTimer(bare([['require', 'Timer']])), true);
  });
});

describe('uasSessionTimer: the UAS side (§9)', () => {
  it('runs no timer when the request has no Session-Expires', () => {
    assert.deepEqual(uasSessionTimer(pbxInvite(['Supported: timer'])), { kind: 'none' });
    assert.deepEqual(uasSessionTimer(pbxInvite(['Min-SE: garbage'])), { kind: 'none' });
  });

  it('lets a UAC that supports timers refresh when it did not choose (Table 2)', () => {
    const r = timerOf(uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 1800'])));
    assert.equal(r.interval, 1800);
    assert.equal(r.refresher, 'uac');
    assert.equal(r.weRefresh, false);
    assert.deepEqual(headersOf(r), [
      ['Session-Expires', '1800;refresher=uac'],
      ['Require', 'timer'],
    ]);
  });

  it("keeps the UAC's choice of refresher", () => {
    const uas = timerOf(uasSessionTimer(inDialog('UPDATE', ['k: timer', 'x: 600;refresher=uas'])));
    assert.equal(uas.refresher, 'uas');
    assert.equal(uas.weRefresh, true);
    assert.deepEqual(headersOf(uas), [
      ['Session-Expires', '600;refresher=uas'],
      ['Require', 'timer'],
    ]);
    const uac = timerOf(
      uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 600;refresher=UAC'])),
    );
    assert.equal(uac.refresher, 'uac');
    assert.equal(uac.weRefresh, false);
  });

  it('refreshes itself, without Require, for a UAC that does not support timers', () => {
    for (const se of ['1800', '1800;refresher=uac', '1800;refresher=uas']) {
      const r = timerOf(uasSessionTimer(pbxInvite([`Session-Expires: ${se}`])));
      assert.equal(r.refresher, 'uas');
      assert.equal(r.weRefresh, true);
      assert.deepEqual(headersOf(r), [['Session-Expires', '1800;refresher=uas']]);
    }
  });

  it('answers 422 with our Min-SE below our minimum, when the UAC supports timers', () => {
    const r = uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 89']));
    assert.equal(r.kind, 'too-small');
    assert.deepEqual(r, {
      kind: 'too-small',
      minSE: 90,
      status: 422,
      reason: 'Session Interval Too Small',
      responseHeaders: [{ name: 'Min-SE', value: '90' }],
    });
    const custom = uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 299']), {
      minSE: 300,
    });
    assert.equal(custom.kind === 'too-small' && custom.minSE, 300);
    assert.equal(
      uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 0'])).kind,
      'too-small',
    );
    const exact = uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 300']), {
      minSE: 300,
    });
    assert.equal(timerOf(exact).interval, 300);
  });

  it('never uses a minimum below the RFC floor of 90 s, whatever is configured', () => {
    for (const minSE of [0, -5, 10, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = uasSessionTimer(pbxInvite(['Supported: timer', 'Session-Expires: 60']), { minSE });
      assert.equal(r.kind === 'too-small' && r.minSE, 90, String(minSE));
    }
  });

  it('cannot 422 a UAC without support: accepts, raising only an illegal (< 90 s) interval', () => {
    const r = timerOf(uasSessionTimer(pbxInvite(['Session-Expires: 120']), { minSE: 600 }));
    assert.equal(r.interval, 120);
    assert.equal(r.weRefresh, true);
    const tiny = timerOf(uasSessionTimer(pbxInvite(['Session-Expires: 1'])));
    assert.equal(tiny.interval, 90);
    assert.deepEqual(headersOf(tiny), [['Session-Expires', '90;refresher=uas']]);
  });

  it('reduces a long interval to our maximum, but not below the request Min-SE', () => {
    const huge = ['Supported: timer', 'Session-Expires: 4294967295'];
    assert.equal(timerOf(uasSessionTimer(pbxInvite(huge))).interval, DEFAULT_MAX_SE);
    assert.equal(timerOf(uasSessionTimer(pbxInvite(huge), { maxSE: 600 })).interval, 600);
    assert.equal(timerOf(uasSessionTimer(pbxInvite([...huge, 'Min-SE: 7200']))).interval, 7200);
    // A maximum below the minimum is the minimum.
    assert.equal(
      timerOf(uasSessionTimer(pbxInvite(huge), { minSE: 300, maxSE: 100 })).interval,
      300,
    );
    // Never increased: a Min-SE above the Session-Expires does not raise it.
    assert.equal(
      timerOf(uasSessionTimer(pbxInvite(['Supported: timer', 'x: 100', 'Min-SE: 500']))).interval,
      100,
    );
  });

  it('answers 400 for a malformed or repeated Session-Expires or Min-SE', () => {
    const cases: [string[], string][] = [
      [['Session-Expires: soon'], 'Bad Request - Malformed Session-Expires'],
      [['Session-Expires: -1800'], 'Bad Request - Malformed Session-Expires'],
      [['Session-Expires: 1800;refresher=both'], 'Bad Request - Malformed Session-Expires'],
      [['Session-Expires: 1800', 'x: 90'], 'Bad Request - More than one Session-Expires'],
      [
        ['Session-Expires: 1800', 'Min-SE: 90;', 'Supported: timer'],
        'Bad Request - Malformed Min-SE',
      ],
      [
        ['Session-Expires: 1800', 'Min-SE: 90', 'Min-SE: 120'],
        'Bad Request - More than one Min-SE',
      ],
    ];
    for (const [extra, reason] of cases) {
      assert.deepEqual(uasSessionTimer(pbxInvite(extra)), { kind: 'invalid', status: 400, reason });
    }
  });

  it('puts headers on a 2xx that the peer reads back as the same timer, roles swapped', () => {
    for (const se of ['1800', '1800;refresher=uas', '1800;refresher=uac']) {
      const invite = pbxInvite(['Supported: timer', `Session-Expires: ${se}`]);
      const ours = timerOf(uasSessionTimer(invite));
      const res = roundTrip(
        createResponse(invite, 200, undefined, { toTag: true, headers: ours.responseHeaders }),
      );
      assert.equal(res.kind, 'response');
      const theirs = uacSessionTimer(res);
      assert.equal(theirs.kind, 'timer');
      assert.equal(theirs.interval, ours.interval);
      assert.equal(theirs.weRefresh, !ours.weRefresh, se);
    }
  });
});

describe('uacSessionTimer: a 2xx to our request (§7.2)', () => {
  it('has no timer without Session-Expires', () => {
    assert.deepEqual(uacSessionTimer(ok(['Supported: timer'])), { kind: 'none' });
  });

  it('refreshes when refresher=uac, watches when uas', () => {
    assert.deepEqual(uacSessionTimer(ok(['Session-Expires: 1800;refresher=uac'])), {
      kind: 'timer',
      interval: 1800,
      refresher: 'uac',
      weRefresh: true,
    });
    assert.deepEqual(uacSessionTimer(ok(['x: 600;refresher=UAS', 'Require: timer'])), {
      kind: 'timer',
      interval: 600,
      refresher: 'uas',
      weRefresh: false,
    });
  });

  it('takes the refresh when the UAS left the refresher out', () => {
    const r = uacSessionTimer(ok(['Session-Expires: 1800']));
    assert.equal(r.kind === 'timer' && r.weRefresh, true);
  });

  it('does not let the peer set a refresh rate below the 90 s floor', () => {
    for (const se of ['0', '1', '89']) {
      const r = uacSessionTimer(ok([`Session-Expires: ${se};refresher=uac`]));
      assert.equal(r.kind === 'timer' && r.interval, 90, se);
    }
  });

  it('reports a malformed or repeated Session-Expires', () => {
    assert.deepEqual(uacSessionTimer(ok(['Session-Expires: never'])), {
      kind: 'invalid',
      reason: 'Malformed Session-Expires',
    });
    assert.deepEqual(uacSessionTimer(ok(['Session-Expires: 90', 'Session-Expires: 90'])), {
      kind: 'invalid',
      reason: 'More than one Session-Expires',
    });
  });
});

describe('requestTimerHeaders (§7.1, §7.4)', () => {
  it('asks for an interval with our Min-SE, refresher only when given', () => {
    assert.deepEqual(requestTimerHeaders({ interval: 1800 }), [
      { name: 'Session-Expires', value: '1800' },
      { name: 'Min-SE', value: '90' },
    ]);
    assert.deepEqual(requestTimerHeaders({ interval: 600, refresher: 'uac', minSE: 120 }), [
      { name: 'Session-Expires', value: '600;refresher=uac' },
      { name: 'Min-SE', value: '120' },
    ]);
  });

  it('never asks for less than the Min-SE it sends, nor for nonsense', () => {
    assert.equal(requestTimerHeaders({ interval: 100, minSE: 300 })[0]?.value, '300');
    assert.equal(requestTimerHeaders({ interval: 10 })[0]?.value, '90');
    assert.equal(requestTimerHeaders({ interval: Number.NaN })[0]?.value, '1800');
    assert.equal(requestTimerHeaders({ interval: 1800.7 })[0]?.value, '1800');
  });
});

describe('refresh and expiry instants', () => {
  it('refreshes at half the interval (§7.2, §9)', () => {
    assert.equal(refreshDelayMs(1800), 900_000);
    assert.equal(refreshDelayMs(90), 45_000);
  });

  it('gives up min(32 s, interval / 3) before expiry (§10)', () => {
    assert.equal(expiryDelayMs(1800), 1_768_000);
    assert.equal(expiryDelayMs(96), 64_000);
    assert.equal(expiryDelayMs(90), 60_000);
  });

  it('stays within what setTimeout can wait, and never negative', () => {
    assert.equal(refreshDelayMs(4294967295), MAX_TIMER_MS);
    assert.equal(expiryDelayMs(4294967295), MAX_TIMER_MS);
    assert.equal(refreshDelayMs(Number.POSITIVE_INFINITY), MAX_TIMER_MS);
    for (const bad of [0, -100, Number.NaN]) {
      assert.equal(refreshDelayMs(bad), 0);
      assert.equal(expiryDelayMs(bad), 0);
    }
  });

  it('picks the timer of the role', () => {
    assert.equal(timerDelayMs({ interval: 1800, weRefresh: true }), 900_000);
    assert.equal(timerDelayMs({ interval: 1800, weRefresh: false }), 1_768_000);
  });
});
