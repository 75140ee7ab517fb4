import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanNumber, MAX_DIGITS, MAX_INPUT_LENGTH, type CleanFailure } from './clean.ts';

const show = (s: string) =>
  s.length > 60 ? `${JSON.stringify(s.slice(0, 40))}…(${s.length})` : JSON.stringify(s);

describe('cleanNumber: accepted, with separators dropped', () => {
  const cases: [string, string][] = [
    ['201', '201'],
    ['0', '0'],
    ['00', '00'],
    ['+49 89 1234567', '+49891234567'],
    ['+49 (0)89 1234-56', '+4989123456'],
    ['+49 (0) 89 / 1234 56', '+4989123456'],
    ['+49 ( 0 ) 89 1234', '+49891234'],
    ['+49(0)891234', '+49891234'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+41 (0)44 123 45 67', '+41441234567'],
    ['0049 (0)89 1234', '0049891234'],
    ['00 49 (0) 89 1234', '0049891234'],
    ['(+49) (0)89 1234', '+49891234'],
    ['+49 (89) 1234567', '+49891234567'],
    ['+1 (212) 555-0100', '+12125550100'],
    ['(089) 1234-567', '0891234567'],
    ['(0)89 1234', '0891234'], // national: the 0 is dialled
    ['(0)', '0'],
    ['089/12345-201', '08912345201'],
    ['089.123.456', '089123456'],
    ['089 - 123 . 456 / 78', '08912345678'],
    [' 089 123 456 ', '089123456'],
    ['089\t123\n', '089123'],
    ['089\r\n123', '089123'],
    ['089\u00a0123\u202f456', '089123456'], // no-break and narrow no-break spaces
    ['089\u2009123\u3000456', '089123456'], // thin and ideographic spaces
    ['089\u2010123\u2013456\u2014789\u2212', '089123456789'], // hyphen, dashes, minus
    ['\u202d+49 89 1234\u202c', '+49891234'], // LRO … PDF as contact apps copy them
    ['\u200e0891234\u200e', '0891234'], // left-to-right marks
    ['\u20660891234\u2069', '0891234'], // left-to-right isolate
    ['\u200b0891234\ufeff', '0891234'], // zero-width space, BOM
    ['08\u200d91\u2060234', '0891234'], // zero-width joiner, word joiner
    ['*21*0891234#', '*21*0891234#'],
    ['#21', '#21'],
    ['*8 201', '*8201'],
    ['*72*089 1234567*20', '*72*0891234567*20'],
    ['**21#', '**21#'],
    ['#', '#'],
    ['+*21', '+*21'], // characters allowed; toCanonical refuses the number
    ['1'.repeat(MAX_DIGITS), '1'.repeat(MAX_DIGITS)],
    [`+${'4'.repeat(MAX_DIGITS)}`, `+${'4'.repeat(MAX_DIGITS)}`],
    ['1 '.repeat(MAX_DIGITS), '1'.repeat(MAX_DIGITS)],
  ];
  for (const [input, number] of cases) {
    it(`${show(input)} → ${number}`, () =>
      assert.deepEqual(cleanNumber(input), { ok: true, number }));
  }
});

describe('cleanNumber: refused', () => {
  const cases: [string, CleanFailure][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    [' - / . ( ) ', 'empty'],
    ['()', 'empty'],
    ['+', 'empty'],
    ['+ ( )', 'empty'],
    ['+(0)', 'empty'],
    ['\u200b', 'empty'],
    ['\t\n', 'empty'],
    ['0800-FLOWERS', 'invalid-characters'], // no vanity mapping
    ['anonymous', 'invalid-characters'],
    ['Anonymous', 'invalid-characters'],
    ['tel:+49891234', 'invalid-characters'],
    ['sip:201@pbx', 'invalid-characters'],
    ['+49 89 1234 ext 201', 'invalid-characters'],
    ['0891234,201', 'invalid-characters'], // pause characters
    ['089 1234;201', 'invalid-characters'],
    ['49+89', 'invalid-characters'],
    ['++49', 'invalid-characters'],
    ['0891234+', 'invalid-characters'],
    ['089[1234]', 'invalid-characters'],
    ['089_1234', 'invalid-characters'],
    ['1e3', 'invalid-characters'],
    ['x', 'invalid-characters'],
    ['\u0660\u0668\u0669\u0661\u0662', 'invalid-characters'], // Arabic-Indic digits
    ['\u06f0\u06f8\u06f9', 'invalid-characters'], // Persian digits
    ['\u0968\u0966\u0967', 'invalid-characters'], // Devanagari digits
    ['\uff10\uff18\uff19\uff11', 'invalid-characters'], // fullwidth digits
    ['\uff0b49 89 1234', 'invalid-characters'], // fullwidth plus
    ['\u{1d7ce}\u{1d7cf}', 'invalid-characters'], // mathematical bold digits (astral)
    ['\u2460\u2461', 'invalid-characters'], // circled digits
    ['089\u00001234', 'invalid-characters'], // NUL
    ['089\u0007', 'invalid-characters'], // BEL
    ['\u001b[31m089', 'invalid-characters'], // ANSI escape
    ['089\u007f', 'invalid-characters'], // DEL
    ['089\u0085123', 'invalid-characters'], // NEL is not white space here
    ['089\u009b123', 'invalid-characters'], // C1 control
    ['\u202e4321', 'invalid-characters'], // right-to-left override: shown reversed
    ['\u202b0891234\u202c', 'invalid-characters'], // right-to-left embedding
    ['\u200f0891234', 'invalid-characters'], // right-to-left mark
    ['\u20671234\u2069', 'invalid-characters'], // right-to-left isolate
    ['\u20681234\u2069', 'invalid-characters'], // first-strong isolate
    ['089\ud800', 'invalid-characters'], // lone surrogate
    ['😀112', 'invalid-characters'],
    ['1'.repeat(MAX_DIGITS + 1), 'too-long'],
    [`+${'4'.repeat(MAX_DIGITS + 1)}`, 'too-long'],
    ['1 '.repeat(MAX_DIGITS + 1), 'too-long'],
    ['*'.repeat(MAX_DIGITS + 1), 'too-long'],
    ['1'.repeat(MAX_INPUT_LENGTH + 1), 'too-long'],
    [' '.repeat(MAX_INPUT_LENGTH + 1), 'too-long'], // refused before any work
    ['a'.repeat(10_000), 'too-long'],
  ];
  for (const [input, reason] of cases) {
    it(`${show(input)} → ${reason}`, () =>
      assert.deepEqual(cleanNumber(input), { ok: false, reason }));
  }
});

describe('cleanNumber: properties', () => {
  const samples = [
    '+49 (0)89 1234-56',
    '089 / 1234 567',
    '*21*0891234#',
    '0049 (0)89 1',
    '\u202d+1 212 555 0100\u202c',
  ];
  it('is idempotent', () => {
    for (const s of samples) {
      const once = cleanNumber(s);
      assert.ok(once.ok, s);
      assert.deepEqual(cleanNumber(once.number), once);
    }
  });
  it('returns only a leading + and dial characters', () => {
    for (const s of samples) {
      const r = cleanNumber(s);
      assert.ok(r.ok && /^\+?[0-9*#]+$/.test(r.number), s);
    }
  });
  it('answers a megabyte of input at once', () => {
    const start = performance.now();
    assert.deepEqual(cleanNumber('0'.repeat(1_000_000)), { ok: false, reason: 'too-long' });
    assert.ok(performance.now() - start < 50);
  });
});
