import { expect } from '@esm-bundle/chai';
import { FakePhone } from '../test-support/fake-phone.ts';
import { CallHistory, entryOf, isMissed, type HistoryEntry } from './history.ts';
import { HistoryRecorder } from './history-recorder.ts';

const KEY = 'linegate.history.test';

function entry(over: Partial<HistoryEntry> & { id: string }): HistoryEntry {
  return {
    direction: 'outgoing',
    number: '201',
    startedAt: 1000,
    endedAt: 2000,
    reason: 'local-hangup',
    ...over,
  };
}

describe('CallHistory', () => {
  beforeEach(() => localStorage.removeItem(KEY));

  it('keeps entries newest first across instances, each id once, capped', () => {
    const h = new CallHistory(KEY, 3);
    for (const id of ['a', 'b', 'c', 'd']) h.add(entry({ id }));
    h.add(entry({ id: 'd' }));
    expect(h.entries.map((e) => e.id)).to.deep.equal(['d', 'c', 'b']);
    expect(new CallHistory(KEY).entries.map((e) => e.id)).to.deep.equal(['d', 'c', 'b']);
  });

  it('ignores garbage in storage', () => {
    localStorage.setItem(KEY, '[{"id":1},{"nope":true},null]');
    expect(new CallHistory(KEY).entries).to.deep.equal([]);
    localStorage.setItem(KEY, '{not json');
    expect(new CallHistory(KEY).entries).to.deep.equal([]);
  });

  it('tells subscribers and clears', () => {
    const h = new CallHistory(KEY);
    let n = 0;
    h.subscribe(() => n++);
    h.add(entry({ id: 'a' }));
    h.clear();
    expect(n).to.equal(2);
    expect(h.entries).to.deep.equal([]);
    expect(localStorage.getItem(KEY)).to.equal('[]');
  });

  it('suggests numbers containing the typed digits, most recent first, once each', () => {
    const h = new CallHistory(KEY);
    h.add(entry({ id: '1', number: '0891234', name: 'Bob' }));
    h.add(entry({ id: '2', number: '0301234' }));
    h.add(entry({ id: '3', number: '0891234', direction: 'incoming' }));
    h.add(entry({ id: '4', number: '', direction: 'incoming' }));
    expect(h.suggest('1234')).to.deep.equal([{ number: '0891234' }, { number: '0301234' }]);
    expect(h.suggest('089')).to.deep.equal([{ number: '0891234' }]);
    expect(h.suggest('')).to.deep.equal([]);
    expect(h.suggest('0891234')).to.deep.equal([]);
  });

  it('knows the number dialled last', () => {
    const h = new CallHistory(KEY);
    expect(h.lastDialled).to.equal(undefined);
    h.add(entry({ id: '1', number: '201' }));
    h.add(entry({ id: '2', number: '555', direction: 'incoming' }));
    expect(h.lastDialled).to.equal('201');
  });
});

describe('isMissed', () => {
  it('is an incoming call nobody took and we did not refuse', () => {
    const inc = { id: 'x', direction: 'incoming' as const };
    expect(isMissed(entry({ ...inc, reason: 'missed' }))).to.equal(true);
    expect(isMissed(entry({ ...inc, reason: 'cancelled' }))).to.equal(true);
    expect(isMissed(entry({ ...inc, reason: 'answered-elsewhere' }))).to.equal(false);
    expect(isMissed(entry({ ...inc, reason: 'declined' }))).to.equal(false);
    expect(isMissed(entry({ ...inc, reason: 'remote-hangup', answeredAt: 1500 }))).to.equal(false);
    expect(isMissed(entry({ id: 'y', reason: 'busy' }))).to.equal(false);
  });
});

describe('HistoryRecorder', () => {
  beforeEach(() => localStorage.removeItem(KEY));

  it('records each ended call once, anonymous without a number', async () => {
    const phone = new FakePhone();
    phone.connection = 'connected';
    const h = new CallHistory(KEY);
    const rec = new HistoryRecorder(h);
    phone.subscribe(() => rec.update(phone));
    const a = phone.simulateIncoming({ anonymous: true });
    const b = await phone.call('0891234', { line: 'hfo/202' });
    phone.remoteEnd(a, 'missed');
    phone.remoteEnd(b, 'busy', 486);
    phone.dismiss(a);
    expect(h.entries.map((e) => [e.direction, e.number, e.reason, e.status, e.line])).to.deep.equal(
      [
        ['outgoing', '0891234', 'busy', 486, 'hfo/202'],
        ['incoming', '', 'missed', undefined, 'hfo/201'],
      ],
    );
    expect(JSON.stringify(h.entries)).not.to.match(/password|secret/i);
  });

  it('turns a call view into an entry', () => {
    const e = entryOf({
      id: 'c',
      direction: 'incoming',
      state: 'ended',
      remote: { number: '201', name: ' Bob ', anonymous: false },
      startedAt: 1,
      answeredAt: 2,
      endedAt: 3,
      muted: false,
      held: false,
      remoteHeld: false,
      end: { reason: 'remote-hangup' },
    });
    expect(e).to.deep.equal({
      id: 'c',
      direction: 'incoming',
      number: '201',
      name: 'Bob',
      startedAt: 1,
      answeredAt: 2,
      endedAt: 3,
      reason: 'remote-hangup',
    });
  });
});
