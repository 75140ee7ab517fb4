import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countStates, describeFailure, failureLabel, isPermanent, statusState } from './status.ts';

describe('line status', () => {
  it('failed = an administrator must act; retrying = transient', () => {
    const retrying = (reason: Parameters<typeof isPermanent>[0]) =>
      statusState({ kind: 'retrying', at: 0, failures: 1, reason });
    assert.equal(retrying({ kind: 'auth', detail: 'x' }), 'failed');
    assert.equal(retrying({ kind: 'rejected', status: 403, reason: 'Forbidden' }), 'failed');
    assert.equal(retrying({ kind: 'rejected', status: 404, reason: 'Not Found' }), 'failed');
    assert.equal(retrying({ kind: 'rejected', status: 603, reason: 'Decline' }), 'failed');
    assert.equal(retrying({ kind: 'rejected', status: 503, reason: 'x' }), 'retrying');
    assert.equal(retrying({ kind: 'rejected', status: 480, reason: 'x' }), 'retrying');
    assert.equal(retrying({ kind: 'timeout' }), 'retrying');
    assert.equal(retrying({ kind: 'transport', detail: 'x' }), 'retrying');
    assert.equal(
      statusState({ kind: 'registered', until: 1, refreshAt: 1, foreignContacts: [] }),
      'registered',
    );
  });

  it('describes failures in words and labels them for metrics', () => {
    assert.equal(
      describeFailure({ kind: 'rejected', status: 403, reason: 'Forbidden' }),
      'registrar answered 403 Forbidden',
    );
    assert.match(describeFailure({ kind: 'timeout' }), /timeout/);
    assert.equal(failureLabel({ kind: 'rejected', status: 503, reason: 'x' }), '503');
    assert.equal(failureLabel({ kind: 'auth', detail: 'x' }), 'auth');
  });

  it('counts states', () => {
    const c = countStates([{ state: 'registered' }, { state: 'registered' }, { state: 'failed' }]);
    assert.equal(c.registered, 2);
    assert.equal(c.failed, 1);
    assert.equal(c.retrying, 0);
    assert.equal(c.total, 3);
  });
});
