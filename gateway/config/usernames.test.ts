import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandUsernames, MAX_LINES_PER_ENTRY } from './usernames.ts';

describe('expandUsernames (seed 004 syntax)', () => {
  const ok = (s: string) => {
    const r = expandUsernames(s);
    assert.ok(r.ok, r.ok ? '' : r.message);
    return r.usernames;
  };
  it('takes a single username', () => assert.deepEqual(ok('123'), ['123']));
  it('expands a range', () => assert.equal(ok('100-199').length, 100));
  it('mixes lists and ranges', () =>
    assert.deepEqual(ok('150;177;200-202'), ['150', '177', '200', '201', '202']));
  it('keeps leading zeros of equal-width ranges', () =>
    assert.deepEqual(ok('08-10'), ['08', '09', '10']));
  it('accepts alphanumeric SIP users', () =>
    assert.deepEqual(ok('office.1; fax'), ['office.1', 'fax']));
  for (const bad of [
    '',
    ';',
    '200-1',
    '1-2-3',
    '12 34',
    '1-',
    'a b',
    '1;1',
    `1-${MAX_LINES_PER_ENTRY + 1}`,
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(expandUsernames(bad).ok, false));
  }
});
