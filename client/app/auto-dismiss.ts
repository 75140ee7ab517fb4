import type { CallView, Phone } from '../phone/types.ts';

/** Dismisses each ended call after a delay, so its reason shows for a while and then goes. */
export class AutoDismiss {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly delayMs: (call: CallView) => number) {}

  update(phone: Phone): void {
    const ended = new Set<string>();
    for (const call of phone.calls) {
      if (call.state !== 'ended') continue;
      ended.add(call.id);
      if (this.timers.has(call.id)) continue;
      this.timers.set(
        call.id,
        setTimeout(() => {
          this.timers.delete(call.id);
          if (phone.calls.some((c) => c.id === call.id)) phone.dismiss(call.id);
        }, this.delayMs(call)),
      );
    }
    // Dismissed by hand: forget the timer.
    for (const [id, timer] of this.timers) {
      if (!ended.has(id)) {
        clearTimeout(timer);
        this.timers.delete(id);
      }
    }
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
