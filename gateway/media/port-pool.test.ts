import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { PortPool } from './port-pool.ts';

describe('RTP port pool', () => {
  it('hands out even RTP ports with the odd RTCP port inside the range', () => {
    const pool = new PortPool([20001, 20008]);
    const got = [pool.acquire(), pool.acquire(), pool.acquire()];
    assert.deepEqual(got, [20002, 20004, 20006]);
    assert.equal(pool.available, 0); // 20008 has no 20009 inside the range
  });

  it('fails with a clear error when exhausted and recovers after release', () => {
    const pool = new PortPool([30000, 30003]);
    const a = pool.acquire();
    const b = pool.acquire();
    assert.throws(
      () => pool.acquire(),
      (e: unknown) =>
        isLinegateError(e, 'internal') && /port pool exhausted.*30000, 30003/.test(e.message),
    );
    pool.release(a);
    assert.equal(pool.acquire(), a);
    assert.equal(pool.inUse, 2);
    pool.release(b);
    pool.release(b); // double release is harmless
    assert.equal(pool.inUse, 1);
  });

  it('reuses freed pairs last (FIFO)', () => {
    const pool = new PortPool([40000, 40007]);
    const first = pool.acquire();
    pool.release(first);
    assert.notEqual(pool.acquire(), first);
  });

  it('rejects a range without a pair', () => {
    assert.throws(() => new PortPool([5001, 5001]), /no even\/odd port pair/);
  });
});
