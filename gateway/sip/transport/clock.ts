/**
 * Time as the SIP stack sees it: a clock and one-shot timers, injected so that
 * the transaction layer runs on fake time in tests (DESIGN.md: "sockets and
 * clocks are injected, so tests use fake time and never sleep"). It lives in
 * the transport layer, the lowest one that needs timers (WebSocket
 * keep-alives); the transaction layer imports it from here.
 */

/** Opaque handle of an armed timer. */
export type TimerHandle = object | number;

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /** Calls fn once, ms milliseconds from now; 0 means the next turn of the event loop. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Disarms a timer; harmless for one that already fired or was cleared. */
  clearTimer(handle: TimerHandle): void;
}

/** The real clock: performance.now() and setTimeout. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (ms, fn) => setTimeout(fn, ms),
  clearTimer: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
