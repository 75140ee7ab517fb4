/**
 * The examples of index.ts, and properties across every test location: a
 * dial string reads back as the number it was made from, and no input —
 * however hostile — throws or yields anything but dial characters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cleanNumber,
  dialable,
  displayNumber,
  isInternal,
  toCanonical,
  toDialString,
  type Location,
} from './index.ts';
import { allLocations, munich } from './test-support.ts';

describe('the examples in index.ts', () => {
  it('cleans', () => {
    assert.deepEqual(cleanNumber('+49 (0)89 1234-56'), { ok: true, number: '+4989123456' });
    assert.deepEqual(cleanNumber('0800-FLOWERS'), { ok: false, reason: 'invalid-characters' });
  });
  it('reads', () => {
    assert.deepEqual(toCanonical('201', munich), { kind: 'internal', extension: '201' });
    assert.deepEqual(toCanonical('0 030 1234567', munich), {
      kind: 'external',
      e164: '+49301234567',
    });
    assert.deepEqual(toCanonical('01234567', munich), { kind: 'external', e164: '+49891234567' });
    assert.deepEqual(toCanonical('+49 89 12345 201', munich), {
      kind: 'internal',
      extension: '201',
    });
    assert.deepEqual(toCanonical('*21*0891234#', munich), {
      kind: 'special',
      what: 'feature-code',
      dial: '*21*0891234#',
    });
    assert.deepEqual(toCanonical('112', munich), {
      kind: 'special',
      what: 'emergency',
      dial: '112',
    });
  });
  it('dials', () => {
    const dial = (input: string, loc: Location) => {
      const r = dialable(input, loc);
      return r.ok ? r.dial : r.reason;
    };
    assert.equal(dial('+49 89 1234567', munich), '01234567');
    assert.equal(dial('+49 30 1234567', munich), '00301234567');
    assert.equal(dial('+44 20 7946 0958', munich), '000442079460958');
    assert.equal(dial('+49 89 1234567', { ...munich, dialAreaCodeLocally: true }), '00891234567');
    assert.equal(dial('+49 89 1234567', { ...munich, outsideLine: '' }), '1234567');
    assert.equal(dial('0', munich), 'invalid-number');
  });
  it('shows', () => {
    assert.equal(displayNumber('201', munich), '201');
    assert.equal(displayNumber('+49891234567', munich), '+49 89 1234567');
    assert.equal(displayNumber('0301234567', { ...munich, outsideLine: '' }), '+49 301234567');
    assert.equal(displayNumber('+4989123450', munich), '+49 89 123450');
    assert.equal(displayNumber('anonymous', munich), '');
    assert.equal(isInternal('201', munich), true);
    assert.equal(isInternal('+49 89 12345 201', munich), true);
    assert.equal(isInternal('01234567', munich), false);
  });
});

/** Inputs of every shape, for every location. */
const corpus = [
  '201',
  '20',
  '2',
  '0958',
  '0100',
  '1234',
  '20101',
  '22',
  '110',
  '112',
  '911',
  '999',
  '000',
  '15',
  '115',
  '116117',
  '11833',
  '0112',
  '9112',
  '*21*0891234#',
  '#21',
  '*990',
  '1234567',
  '01234567',
  '0 089 1234567',
  '0 030 1234567',
  '089 1234567',
  '0049 89 1234567',
  '0 0049 89 1234567',
  '9 020 7123 4567',
  '9 1 415 555 2671',
  '9 011 49 89 1234567',
  '0 0011 49 89 1234567',
  '9 810 49 89 1234567',
  '+49 89 1234567',
  '+49 (0)89 12345-201',
  '+49 89 12345 0',
  '+49 89 123',
  '+49 89 110',
  '+49 30 1234567',
  '+49 171 1234567',
  '+43 1 5123 1000',
  '+41 44 2345 201',
  '+44 20 7946 0958',
  '+44 20 7123 4567',
  '+1 212 555 0100',
  '+1 212 736 0000',
  '+1 415 555 2671',
  '+39 06 4567 201',
  '+39 06 1234 5678',
  '+33 1 4455 1234',
  '+34 91 234 56 78',
  '+36 1 234 5678',
  '+7 495 123 45 67',
  '+61 2 5550 1234',
  '+61 2 9876 5432',
  '+81 3 1234 5678',
  '+372 612 3456',
  '+123456789012345',
];

describe('dial strings read back as the number they came from', () => {
  for (const [name, loc] of Object.entries(allLocations)) {
    it(name, () => {
      for (const input of corpus) {
        const first = dialable(input, loc);
        if (!first.ok) continue;
        const again = dialable(first.dial, loc);
        assert.ok(again.ok, `${input} → ${first.dial} → ${again.ok ? '' : again.reason}`);
        assert.deepEqual(again.canonical, first.canonical, `${input} → ${first.dial}`);
        assert.equal(again.dial, first.dial, `${input}: dialling is idempotent`);
        assert.equal(toDialString(first.canonical, loc), first.dial);
      }
    });
  }
});

describe('the shown number reads back the same (calling back a caller)', () => {
  for (const [name, loc] of Object.entries(allLocations)) {
    it(name, () => {
      for (const input of corpus) {
        const canonical = toCanonical(input, loc);
        if (canonical?.kind !== 'external') continue;
        assert.deepEqual(toCanonical(displayNumber(input, loc), loc), canonical, input);
      }
    });
  }
});

/** A small deterministic generator (mulberry32): the same "random" inputs every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('hostile input', () => {
  const alphabet = [
    ...'0123456789+*#()-./ '.split(''), // ASCII only
    '(0)',
    '00',
    '\u0000',
    '\u001b',
    '\u007f',
    '\u00a0',
    '\u200b',
    '\u200e',
    '\u202e',
    '\u2066',
    '\ufeff',
    '\u0663',
    '\uff11',
    '\ud83d',
    '😀',
    'a',
    'Z',
    '\n',
  ];
  const next = random(7);
  const inputs: string[] = [];
  for (let i = 0; i < 5000; i++) {
    let s = '';
    const length = Math.floor(next() * 40);
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)] ?? '';
    inputs.push(s);
  }
  inputs.push('9'.repeat(100_000), '+'.repeat(300), '('.repeat(200) + '0' + ')'.repeat(200));

  it('never throws and dials only digits, * and #', () => {
    for (const loc of Object.values(allLocations)) {
      for (const input of inputs) {
        const r = dialable(input, loc);
        if (r.ok) assert.match(r.dial, /^[0-9*#]+$/, JSON.stringify(input));
      }
    }
  });
  it('shows only digits, +, *, # and spaces', () => {
    for (const loc of Object.values(allLocations)) {
      for (const input of inputs) {
        assert.match(displayNumber(input, loc), /^[0-9+*# ]*$/, JSON.stringify(input));
      }
    }
  });
  it('agrees with cleanNumber about what is refused', () => {
    for (const input of inputs) {
      const cleaned = cleanNumber(input);
      const r = dialable(input, munich);
      if (!cleaned.ok) assert.deepEqual(r, { ok: false, reason: cleaned.reason });
    }
  });
  it('is fast on long input', () => {
    const start = performance.now();
    for (let i = 0; i < 1000; i++) dialable(`+49 (0) 89 ${'1 - '.repeat(60)}`, munich);
    assert.ok(performance.now() - start < 500);
  });
});
