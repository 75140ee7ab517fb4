/**
 * Lines of a group start one after another, `registerDelayMs` apart
 * ("Register-Verzögerung", seed 004: more than ~25 lines should keep the
 * 300 ms so that their refreshes stay spread). Each line's refreshes then
 * keep the offset it started with, since they all use the same lifetime.
 *
 * With a delay of 0 the queue still holds back while `window` lines of the
 * group wait for an answer, so that thousands of lines do not go out as one
 * burst that overflows socket buffers — and a registrar that does not answer
 * is not flooded either.
 */
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';

export interface StartQueueOptions {
  readonly clock: Clock;
  readonly delayMs: number;
  /** How many lines of the group wait for a REGISTER answer right now. */
  readonly busy: () => number;
  readonly window: number;
}

interface Entry {
  readonly key: string;
  readonly start: () => void;
}

export class StartQueue {
  readonly #opts: Omit<StartQueueOptions, 'delayMs'>;
  #delayMs: number;
  #entries: Entry[] = [];
  #last = Number.NEGATIVE_INFINITY;
  #timer: TimerHandle | undefined;
  #pumping = false;

  constructor(opts: StartQueueOptions) {
    this.#opts = opts;
    this.#delayMs = opts.delayMs;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** Queues a start; one already queued under the same key is replaced. */
  push(key: string, start: () => void): void {
    this.remove(key);
    this.#entries.push({ key, start });
    this.pump();
  }

  remove(key: string): void {
    this.#entries = this.#entries.filter((e) => e.key !== key);
  }

  setDelay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Starts what is due; call again when busy() may have dropped. */
  pump(): void {
    if (this.#pumping || this.#timer !== undefined) return;
    this.#pumping = true;
    try {
      this.#drain();
    } finally {
      this.#pumping = false;
    }
  }

  clear(): void {
    this.#entries = [];
    if (this.#timer !== undefined) this.#opts.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #drain(): void {
    const { clock, busy, window } = this.#opts;
    for (let next = this.#entries[0]; next !== undefined; next = this.#entries[0]) {
      if (busy() >= window) return; // resumed by pump() when a line gets its answer
      const wait = this.#last + this.#delayMs - clock.now();
      if (wait > 0) {
        this.#timer = clock.setTimer(wait, () => {
          this.#timer = undefined;
          this.pump();
        });
        return;
      }
      this.#entries.shift();
      this.#last = clock.now();
      next.start();
    }
  }
}
