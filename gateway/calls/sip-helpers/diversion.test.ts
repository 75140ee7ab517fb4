import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diversionOf } from './diversion.ts';
import { bare, pbxInvite } from './test-support.ts';

describe('diversionOf: Diversion (RFC 5806)', () => {
  it('reads one redirection', () => {
    const invite = pbxInvite([
      'Diversion: <sip:+4930111@pbx.example.com>;reason=unconditional;counter=1;privacy=off',
    ]);
    assert.deepEqual(diversionOf(invite), {
      originalNumber: '+4930111',
      reason: 'unconditional',
      count: 1,
    });
  });

  it('takes the last entry as the first redirection, in one field or several', () => {
    const expected = { originalNumber: '100', reason: 'user-busy', count: 2 };
    const one = pbxInvite([
      'Diversion: <sip:200@pbx.example.com>;reason=no-answer, <sip:100@pbx.example.com>;reason=user-busy',
    ]);
    assert.deepEqual(diversionOf(one), expected);
    const two = pbxInvite([
      'Diversion: <sip:200@pbx.example.com>;reason=no-answer',
      'DIVERSION: <sip:100@pbx.example.com>;reason=user-busy',
    ]);
    assert.deepEqual(diversionOf(two), expected);
  });

  it('adds up counters; a bad counter counts as one', () => {
    const count = (...counters: string[]): number | undefined =>
      diversionOf(
        pbxInvite([
          `Diversion: ${counters.map((c, i) => `<sip:${i + 1}@pbx>;counter=${c}`).join(', ')}`,
        ]),
      )?.count;
    assert.equal(count('3'), 3);
    assert.equal(count('2', '5'), 7);
    for (const bad of ['0', '00', '999', '-1', 'x', '"2"', '1.5']) assert.equal(count(bad), 1, bad);
  });

  it('unquotes and lower-cases the reason, and leaves it out when absent', () => {
    const quoted = diversionOf(pbxInvite(['Diversion: <sip:100@pbx>;reason="User-Busy"']));
    assert.equal(quoted?.reason, 'user-busy');
    const none = diversionOf(pbxInvite(['Diversion: <tel:+1-201-555-0123>']));
    // Strict deep equality: no "reason" key at all, not even an undefined one.
    assert.deepEqual(none, { originalNumber: '+12015550123', count: 1 });
    const hostile = diversionOf(bare([['Diversion', '<sip:1@x>;reason="a\\"b\u0001c"']]));
    assert.equal(hostile?.reason, 'a"b c');
  });

  it('skips an entry that does not parse, and one without a number', () => {
    const badLast = diversionOf(
      pbxInvite(['Diversion: <sip:200@pbx>;reason=no-answer, <<garbage']),
    );
    assert.equal(badLast?.originalNumber, '200');
    const noUser = diversionOf(
      pbxInvite(['Diversion: <sip:200@pbx>;reason=no-answer, <sip:pbx.example.com>;reason=x']),
    );
    assert.deepEqual(noUser, { originalNumber: '200', reason: 'no-answer', count: 2 });
    assert.equal(diversionOf(pbxInvite(['Diversion: garbage;;;'])), undefined);
    assert.equal(diversionOf(pbxInvite(['Diversion: <http://example.com/x>'])), undefined);
  });

  it('survives many entries (more than the parser lets through)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `<sip:${i}@pbx>;counter=99`).join(',');
    const d = diversionOf(bare([['Diversion', many]]));
    assert.deepEqual(d, { originalNumber: '1999', count: 2000 * 99 });
  });

  it('comes before History-Info', () => {
    const invite = pbxInvite([
      'History-Info: <sip:300@pbx>;index=1, <sip:1001@pbx;cause=486>;index=1.1;mp=1',
      'Diversion: <sip:100@pbx>;reason=unconditional',
    ]);
    assert.equal(diversionOf(invite)?.originalNumber, '100');
  });
});

describe('diversionOf: History-Info (RFC 7044, RFC 4458)', () => {
  it('reads the original target and the cause of the first redirection', () => {
    const invite = pbxInvite([
      'History-Info: <sip:+4930111@pbx.example.com>;index=1, <sip:1001@pbx.example.com;cause=486>;index=1.1;mp=1',
    ]);
    assert.deepEqual(diversionOf(invite), {
      originalNumber: '+4930111',
      reason: 'user-busy',
      count: 1,
    });
  });

  it('maps RFC 4458 causes to reasons; another code stands for itself', () => {
    const reasonOf = (cause: string): string | undefined =>
      diversionOf(
        pbxInvite([`History-Info: <sip:1@x>;index=1, <sip:2@x;cause=${cause}>;index=1.1`]),
      )?.reason;
    assert.equal(reasonOf('302'), 'unconditional');
    assert.equal(reasonOf('486'), 'user-busy');
    assert.equal(reasonOf('408'), 'no-answer');
    assert.equal(reasonOf('480'), 'deflection');
    assert.equal(reasonOf('487'), 'deflection');
    assert.equal(reasonOf('404'), 'unknown');
    assert.equal(reasonOf('503'), 'unavailable');
    assert.equal(reasonOf('301'), '301');
    assert.equal(reasonOf('abc'), undefined);
    assert.equal(reasonOf('3020'), undefined);
  });

  it('falls back to the SIP Reason escaped in the URI of the target that failed', () => {
    const invite = pbxInvite([
      'History-Info: <sip:bob@x?Reason=SIP%3Bcause%3D302%3Btext%3D%22Moved%22>;index=1, <sip:alice@x>;index=1.1;mp=1',
    ]);
    assert.deepEqual(diversionOf(invite), {
      originalNumber: 'bob',
      reason: 'unconditional',
      count: 1,
    });
    const mp = pbxInvite([
      'History-Info: <sip:100@x>;index=1, <sip:200@x?Reason=SIP%3Bcause%3D408>;index=1.1;rc=1, <sip:300@x?reason=SIP%3Bcause%3D486>;index=1.2;mp=1.1',
    ]);
    assert.equal(diversionOf(mp)?.reason, 'no-answer');
  });

  it('ignores Q.850 reasons and reason headers that do not parse', () => {
    const q850 = pbxInvite([
      'History-Info: <sip:100@x?Reason=Q.850%3Bcause%3D17>;index=1, <sip:200@x>;index=1.1;mp=1',
    ]);
    assert.deepEqual(diversionOf(q850), { originalNumber: '100', count: 1 });
    const broken = pbxInvite([
      'History-Info: <sip:100@x?Reason=SIP%3B%3B%3Bcause>;index=1, <sip:200@x>;index=1.1;mp=1',
    ]);
    assert.deepEqual(diversionOf(broken), { originalNumber: '100', count: 1 });
  });

  it('sorts entries by index', () => {
    const invite = pbxInvite([
      'History-Info: <sip:300@x;cause=408>;index=1.1.1;mp=1.1, <sip:200@x;cause=486>;index=1.1;mp=1',
      'History-Info: <sip:100@x>;index=1',
    ]);
    assert.deepEqual(diversionOf(invite), {
      originalNumber: '100',
      reason: 'user-busy',
      count: 2,
    });
  });

  it('keeps the received order when an index is missing or malformed', () => {
    for (const index of ['', ';index=x', ';index=1..2', `;index=${'1.'.repeat(40)}1`]) {
      const invite = pbxInvite([
        `History-Info: <sip:100@x>${index}, <sip:200@x;cause=302>;index=1.1`,
      ]);
      assert.equal(diversionOf(invite)?.originalNumber, '100', index);
    }
    const huge = pbxInvite([
      'History-Info: <sip:200@x;cause=302>;index=1.99999999999999999999, <sip:100@x>;index=1',
    ]);
    assert.equal(diversionOf(huge)?.originalNumber, '100');
  });

  it('is no forwarding: a registered contact, an unchanged target, a lone entry', () => {
    const cases = [
      'History-Info: <sip:bob@example.com>;index=1, <sip:bob@192.0.2.4>;index=1.1;rc=1',
      'History-Info: <sip:bob@example.com>;index=1, <sip:a8f3k@192.0.2.4>;index=1.1;rc=1',
      'History-Info: <sip:bob@example.com>;index=1, <sip:bob@example.com>;index=1.1;np=1',
      'History-Info: <sip:bob@example.com>;index=1',
      'History-Info: <sip:bob@example.com>;index=1, <sip:bob@192.0.2.4>;index=1.1',
    ];
    for (const h of cases) assert.equal(diversionOf(pbxInvite([h])), undefined, h);
  });

  it('counts an untagged retarget to another number (RFC 4244 servers)', () => {
    const invite = pbxInvite(['History-Info: <sip:100@x>;index=1, <sip:200@x>;index=1.1']);
    assert.deepEqual(diversionOf(invite), { originalNumber: '100', count: 1 });
  });

  it('is undefined when the original target has no number or nothing parses', () => {
    const noUser = pbxInvite([
      'History-Info: <sip:pbx.example.com>;index=1, <sip:200@x>;index=1.1;mp=1',
    ]);
    assert.equal(diversionOf(noUser), undefined);
    assert.equal(diversionOf(pbxInvite(['History-Info: <<<, >>>'])), undefined);
    assert.equal(diversionOf(pbxInvite()), undefined);
  });

  it('reads tel URIs and their cause parameter', () => {
    const invite = pbxInvite([
      'History-Info: <tel:+49-30-111>;index=1, <tel:+49-30-222;cause=408>;index=1.1;mp=1',
    ]);
    assert.deepEqual(diversionOf(invite), {
      originalNumber: '+4930111',
      reason: 'no-answer',
      count: 1,
    });
  });
});
