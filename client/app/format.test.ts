import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../i18n/index.ts';
import { errorKey, endReasonKey, isFailure } from './end-reason.ts';
import { formatDuration, lineName, partyDetail, partyName } from './format.ts';
import { PhoneError, type EndReason } from '../phone/types.ts';
import { LINE_A, LINE_B } from '../test-support/fake-phone.ts';

describe('formatDuration', () => {
  it('writes m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).to.equal('0:00');
    expect(formatDuration(5_400)).to.equal('0:05');
    expect(formatDuration(62_000)).to.equal('1:02');
    expect(formatDuration(3_723_000)).to.equal('1:02:03');
    expect(formatDuration(-5)).to.equal('0:00');
  });
});

describe('parties and lines', () => {
  beforeEach(() => setLocalePref('en'));

  it('names the other side by name, number or anonymous', () => {
    expect(partyName({ number: '201', name: 'Bob', anonymous: false })).to.equal('Bob');
    expect(partyName({ number: '201', anonymous: false })).to.equal('201');
    expect(partyName({ number: '', anonymous: true })).to.equal('Anonymous');
    expect(partyName({ number: '', anonymous: false })).to.equal('Unknown');
    expect(partyDetail({ number: '201', name: 'Bob', anonymous: false })).to.equal('201');
    expect(partyDetail({ number: '201', anonymous: false })).to.equal(undefined);
  });

  it('labels lines', () => {
    expect(lineName([LINE_A, LINE_B], 'hfo/201')).to.equal('Sales (201)');
    expect(lineName([LINE_A, LINE_B], 'hfo/202')).to.equal('202');
    expect(lineName([LINE_A], 'x/9')).to.equal('x/9');
    expect(lineName([LINE_A], undefined)).to.equal(undefined);
  });
});

describe('end reasons and errors', () => {
  const reasons: readonly EndReason[] = [
    'local-hangup',
    'remote-hangup',
    'busy',
    'declined',
    'unavailable',
    'not-found',
    'cancelled',
    'answered-elsewhere',
    'missed',
    'network',
    'no-microphone',
    'failed',
  ];

  it('has a message for every reason', () => {
    expect(new Set(reasons.map(endReasonKey)).size).to.equal(reasons.length);
  });

  it('counts only unwanted ends as failures', () => {
    expect(reasons.filter(isFailure)).to.deep.equal([
      'busy',
      'declined',
      'unavailable',
      'not-found',
      'missed',
      'network',
      'no-microphone',
      'failed',
    ]);
  });

  it('maps phone errors by code, anything else to "failed"', () => {
    expect(errorKey(new PhoneError('credentials', 'x'))).to.equal('error.credentials');
    expect(errorKey({ code: 'rate-limited' })).to.equal('error.rate-limited');
    expect(errorKey(new Error('boom'))).to.equal('error.failed');
    expect(errorKey({ code: 'weird' })).to.equal('error.failed');
    expect(errorKey(undefined)).to.equal('error.failed');
  });
});
