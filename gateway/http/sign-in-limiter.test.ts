import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignInLimiter } from './sign-in-limiter.ts';

describe('sign-in limiter', () => {
  it('lets 5 failures pass, then makes the address wait, longer each time', () => {
    let now = 0;
    const l = new SignInLimiter(() => now);
    for (let i = 0; i < 5; i++) l.failed('a');
    assert.equal(l.blockedFor('a'), 0);
    l.failed('a');
    assert.equal(l.blockedFor('a'), 30_000);
    assert.equal(l.blockedFor('b'), 0, 'other addresses are not affected');
    now += 30_000;
    l.failed('a');
    assert.equal(l.blockedFor('a'), 60_000);
    l.succeeded('a');
    assert.equal(l.blockedFor('a'), 0);
  });

  it('forgets failures after the window', () => {
    let now = 0;
    const l = new SignInLimiter(() => now);
    for (let i = 0; i < 5; i++) l.failed('a');
    now += 11 * 60_000;
    l.failed('a');
    assert.equal(l.blockedFor('a'), 0);
  });
});
