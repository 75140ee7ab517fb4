import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../sip/transaction/layer-clock.ts';
import { StartQueue } from './stagger.ts';

describe('start queue', () => {
  it('starts entries delayMs apart; the first at once', () => {
    const clock = new FakeClock();
    const started: [string, number][] = [];
    const q = new StartQueue({ clock, delayMs: 300, busy: () => 0, window: 10 });
    for (const k of ['a', 'b', 'c']) q.push(k, () => started.push([k, clock.now()]));
    clock.advance(1000);
    assert.deepEqual(started, [
      ['a', 0],
      ['b', 300],
      ['c', 600],
    ]);
    q.push('d', () => started.push(['d', clock.now()]));
    assert.deepEqual(started.at(-1), ['d', 1000], 'a late entry waits only for the spacing');
  });

  it('holds back at the window until pumped; remove() and a re-push drop the old entry', () => {
    const clock = new FakeClock();
    let busy = 0;
    const started: string[] = [];
    const q = new StartQueue({ clock, delayMs: 0, busy: () => busy, window: 2 });
    for (const k of ['a', 'b', 'c', 'd']) q.push(k, () => (busy++, started.push(k)));
    assert.deepEqual(started, ['a', 'b']);
    q.remove('c');
    q.push('b2', () => started.push('b2'));
    busy = 0;
    q.pump();
    assert.deepEqual(started, ['a', 'b', 'd', 'b2']);
    q.clear();
    assert.equal(q.length, 0);
  });
});
