import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from './db.ts';
import { LineSettings } from './line-settings.ts';

describe('line settings', () => {
  it('keeps do-not-disturb across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-line-settings-'));
    try {
      const first = openStore(dir);
      const s = new LineSettings(first.db);
      assert.equal(s.dnd('pbx/201'), false);
      s.setDnd('pbx/201', true);
      s.setDnd('pbx/202', true);
      s.setDnd('pbx/202', false);
      first.close();
      const again = new LineSettings(openStore(dir).db);
      assert.equal(again.dnd('pbx/201'), true);
      assert.equal(again.dnd('pbx/202'), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
