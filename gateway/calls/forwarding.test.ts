import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForwardRule } from '#shared/api.ts';
import { forwardingFor, ruleProblem, type ForwardingInput } from './forwarding.ts';

const rule = (over: Partial<ForwardRule> = {}): ForwardRule => ({
  line: 'pbx/201',
  when: 'always',
  calls: 'all',
  target: '206',
  enabled: true,
  ...over,
});

const input = (over: Partial<ForwardingInput> = {}): ForwardingInput => ({
  line: 'pbx/201',
  caller: '0891234567',
  rulesOf: [],
  busy: new Set(),
  isInternal: (n) => n.length <= 3,
  mailboxes: [],
  devices: 1,
  ...over,
});

describe('which forwarding applies to an incoming call (seeds 001/002)', () => {
  it('always-rules by the kind of caller; disabled rules and other lines do not count', () => {
    const rulesOf = [{ user: 'alice', rules: [rule({ calls: 'external' })] }];
    assert.deepEqual(forwardingFor(input({ rulesOf })), {
      kind: 'forward',
      target: '206',
      why: 'always',
      user: 'alice',
    });
    assert.equal(forwardingFor(input({ rulesOf, caller: '203' })).kind, 'none');
    const internal = [{ user: 'alice', rules: [rule({ calls: 'internal' })] }];
    assert.equal(forwardingFor(input({ rulesOf: internal, caller: '203' })).kind, 'forward');
    assert.equal(forwardingFor(input({ rulesOf: internal, caller: '' })).kind, 'none');
    const off = [{ user: 'alice', rules: [rule({ enabled: false }), rule({ line: 'pbx/202' })] }];
    assert.equal(forwardingFor(input({ rulesOf: off })).kind, 'none');
  });

  it('busy-rules only while their user is in a call on the line; always wins over busy', () => {
    const rulesOf = [{ user: 'alice', rules: [rule({ when: 'busy', target: '207' })] }];
    assert.equal(forwardingFor(input({ rulesOf })).kind, 'none');
    const busy = forwardingFor(input({ rulesOf, busy: new Set(['alice']) }));
    assert.deepEqual(busy, { kind: 'forward', target: '207', why: 'busy', user: 'alice' });
    const both = [
      { user: 'bob', rules: [rule({ when: 'busy', target: '207' })] },
      { user: 'alice', rules: [rule({ target: '208' })] },
    ];
    const d = forwardingFor(input({ rulesOf: both, busy: new Set(['bob']) }));
    assert.equal(d.kind === 'forward' && d.target, '208');
  });

  it('mailbox forwarding only when nobody is signed in, after the rules', () => {
    const mailboxes = [{ user: 'alice', mailbox: '*990' }];
    assert.equal(forwardingFor(input({ mailboxes })).kind, 'none');
    assert.deepEqual(forwardingFor(input({ mailboxes, devices: 0 })), {
      kind: 'forward',
      target: '*990',
      why: 'mailbox',
      user: 'alice',
    });
  });
});

describe('checking rules a user sends', () => {
  it('names the first problem', () => {
    assert.equal(ruleProblem(rule(), ['pbx/201']), undefined);
    assert.match(ruleProblem(rule(), ['pbx/202']) ?? '', /line must be one of yours/);
    assert.match(ruleProblem({ ...rule(), when: 'never' }, ['pbx/201']) ?? '', /when/);
    assert.match(ruleProblem({ ...rule(), calls: 'some' }, ['pbx/201']) ?? '', /calls/);
    assert.match(ruleProblem({ ...rule(), target: 'bob' }, ['pbx/201']) ?? '', /target/);
    assert.match(ruleProblem({ ...rule(), enabled: 'yes' }, ['pbx/201']) ?? '', /enabled/);
    assert.match(ruleProblem(null, ['pbx/201']) ?? '', /object/);
  });
});
