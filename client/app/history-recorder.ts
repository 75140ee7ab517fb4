import type { Phone } from '../phone/types.ts';
import { entryOf, type CallHistory } from './history.ts';

/** Writes each call into the history once, when it has ended. */
export class HistoryRecorder {
  private readonly recorded = new Set<string>();

  constructor(private readonly history: CallHistory) {}

  update(phone: Phone): void {
    for (const call of phone.calls) {
      if (call.state !== 'ended' || this.recorded.has(call.id)) continue;
      this.recorded.add(call.id);
      this.history.add(entryOf(call));
    }
  }
}
