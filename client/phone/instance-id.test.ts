import { expect } from '@esm-bundle/chai';
import { claimInstanceId, INSTANCE_KEY_PREFIX, storedInstanceId } from './instance-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

describe('instance id', () => {
  it('is a UUID kept in storage: the same on every start', () => {
    const storage = memoryStorage();
    const id = storedInstanceId(storage, 0);
    expect(id).to.match(UUID);
    expect(storage.getItem(`${INSTANCE_KEY_PREFIX}0`)).to.equal(id);
    expect(storedInstanceId(storage, 0)).to.equal(id);
    expect(storedInstanceId(storage, 1)).to.not.equal(id);
  });
  it('replaces a malformed stored value', () => {
    const storage = memoryStorage();
    storage.setItem(`${INSTANCE_KEY_PREFIX}0`, 'not-a-uuid');
    expect(storedInstanceId(storage, 0)).to.match(UUID);
  });
  it('works without storage, or with storage that throws', () => {
    expect(storedInstanceId(undefined, 0)).to.match(UUID);
    const broken = memoryStorage();
    broken.getItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    expect(storedInstanceId(broken, 0)).to.match(UUID);
  });
  it('gives two tabs two slots, and a released slot back to the next', async () => {
    const storage = memoryStorage();
    const first = await claimInstanceId(storage);
    const second = await claimInstanceId(storage);
    try {
      expect(second.slot).to.not.equal(first.slot);
      expect(second.id).to.not.equal(first.id);
      const firstSlot = first.slot;
      const firstId = first.id;
      first.release();
      first.release();
      // The lock manager lets go of a lock a moment after its holder does.
      await new Promise((r) => setTimeout(r, 10));
      const again = await claimInstanceId(storage);
      expect(again.slot).to.equal(firstSlot);
      expect(again.id).to.equal(firstId);
      again.release();
    } finally {
      first.release();
      second.release();
    }
  });
  it('without Web Locks uses slot 0', async () => {
    const storage = memoryStorage();
    const claim = await claimInstanceId(storage, null);
    expect(claim.slot).to.equal(0);
    expect(claim.id).to.equal(storedInstanceId(storage, 0));
  });
});
