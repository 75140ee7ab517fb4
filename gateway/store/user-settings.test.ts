import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from './db.ts';
import { UserSettings } from './user-settings.ts';

describe('user settings', () => {
  it('keeps each user their after-sign-in action across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-settings-'));
    try {
      const first = openStore(dir);
      const s = new UserSettings(first.db);
      assert.deepEqual(s.afterSignIn('alice'), { dial: null });
      s.set('alice', 'after-sign-in', { dial: '*73*', name: 'Forwarding off' });
      s.set('bob', 'after-sign-in', { dial: '*31', name: 'Hide number' });
      s.set('bob', 'after-sign-in', { dial: null });
      first.close();
      const again = new UserSettings(openStore(dir).db);
      assert.deepEqual(again.afterSignIn('alice'), { dial: '*73*', name: 'Forwarding off' });
      assert.deepEqual(again.afterSignIn('bob'), { dial: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
