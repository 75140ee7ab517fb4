import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host every `periodMs` while connected (call timers). */
export class ClockController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly periodMs = 1000,
  ) {
    host.addController(this);
  }

  get now(): number {
    return Date.now();
  }

  hostConnected(): void {
    this.timer = setInterval(() => this.host.requestUpdate(), this.periodMs);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
