import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from './db.ts';

describe('store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the database with WAL and migrations, and reopens it', () => {
    const s = openStore(join(dir, 'data'));
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    s.db.prepare('INSERT INTO meta VALUES (?, ?)').run('k', 'v');
    s.close();
    s.close(); // closing twice is harmless
    const again = openStore(join(dir, 'data'));
    assert.deepEqual(again.db.prepare('SELECT value FROM meta WHERE key = ?').get('k'), {
      value: 'v',
    });
    again.close();
  });

  it('names the data key when the directory cannot be created', () => {
    // A regular file where the directory should be: mkdir fails with ENOTDIR.
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    assert.throws(() => openStore(join(file, 'data')), /data: cannot open the database/);
  });
});
