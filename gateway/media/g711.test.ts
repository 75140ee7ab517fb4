import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALAW_TO_LINEAR,
  ULAW_TO_LINEAR,
  alawCompress,
  alawExpand,
  g711Convert,
  g711Decode,
  g711Encode,
  ulawCompress,
  ulawExpand,
} from './g711.ts';

describe('G.711 (bit-exact with the ITU-T G.191 reference)', () => {
  it('expands reference code points', () => {
    // Values from the G.711 tables: A-law 0xD5/0x55 are ±8, 0xAA/0x2A the extremes.
    assert.equal(alawExpand(0xd5), 8);
    assert.equal(alawExpand(0x55), -8);
    assert.equal(alawExpand(0xaa), 32256);
    assert.equal(alawExpand(0x2a), -32256);
    assert.equal(ulawExpand(0xff), 0);
    assert.equal(ulawExpand(0x7f), 0);
    assert.equal(ulawExpand(0xfe), 8);
    assert.equal(ulawExpand(0x80), 32124);
    assert.equal(ulawExpand(0x00), -32124);
  });

  it('compresses reference samples', () => {
    assert.equal(alawCompress(0), 0xd5);
    assert.equal(alawCompress(15), 0xd5);
    assert.equal(alawCompress(16), 0xd4);
    assert.equal(alawCompress(-1), 0x55);
    assert.equal(alawCompress(32767), 0xaa);
    assert.equal(alawCompress(-32768), 0x2a);
    assert.equal(ulawCompress(0), 0xff);
    assert.equal(ulawCompress(-1), 0x7f);
    assert.equal(ulawCompress(32767), 0x80);
    assert.equal(ulawCompress(-32768), 0x00);
  });

  it('round-trips every code (µ-law −0 maps to +0)', () => {
    for (let c = 0; c < 256; c++) {
      assert.equal(alawCompress(alawExpand(c)), c, `A-law ${c}`);
      assert.equal(ulawCompress(ulawExpand(c)), c === 0x7f ? 0xff : c, `µ-law ${c}`);
    }
  });

  it('quantises every 16-bit sample to its own interval (monotonic, bounded error)', () => {
    for (const [compress, expand, name] of [
      [alawCompress, alawExpand, 'A'],
      [ulawCompress, ulawExpand, 'µ'],
    ] as const) {
      let prev = -Infinity;
      for (let x = -32768; x < 32768; x++) {
        const y = expand(compress(x));
        assert.ok(y >= prev, `${name}-law not monotonic at ${x}`);
        prev = y;
        // Largest step is 1024 (A-law) / 1024 (µ-law top segment): error ≤ half a step.
        assert.ok(Math.abs(y - x) <= 1024, `${name}-law error at ${x}`);
      }
    }
  });

  it('tables agree with the reference functions for all inputs', () => {
    const all = new Int16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i - 32768;
    const a = g711Encode('PCMA', all);
    const u = g711Encode('PCMU', all);
    for (let i = 0; i < 65536; i++) {
      assert.equal(a[i], alawCompress(i - 32768));
      assert.equal(u[i], ulawCompress(i - 32768));
    }
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(g711Decode('PCMA', codes), ALAW_TO_LINEAR);
    assert.deepEqual(g711Decode('PCMU', codes), ULAW_TO_LINEAR);
  });

  it('converts between laws like decode + encode', () => {
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const viaPcm = g711Encode('PCMU', g711Decode('PCMA', codes));
    g711Convert('PCMA', 'PCMU', codes);
    assert.deepEqual(codes, viaPcm);
  });
});
