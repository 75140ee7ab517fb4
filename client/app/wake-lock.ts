import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps the screen on (kiosk mode) where the browser allows it. The
 * browser drops the lock when the page is hidden, so it is taken again
 * whenever the page becomes visible.
 */
export class WakeLockController implements ReactiveController {
  private sentinel: WakeLockSentinel | undefined;
  private enabled = false;
  private readonly onVisibility = (): void => void this.acquire();

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  set active(on: boolean) {
    if (on === this.enabled) return;
    this.enabled = on;
    if (on) void this.acquire();
    else this.release();
  }

  get held(): boolean {
    return this.sentinel !== undefined && !this.sentinel.released;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.acquire();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.release();
  }

  private async acquire(): Promise<void> {
    if (!this.enabled || this.held || document.visibilityState !== 'visible') return;
    if (!('wakeLock' in navigator)) return;
    try {
      this.sentinel = await navigator.wakeLock.request('screen');
    } catch {
      // Refused (battery saver, permissions policy): the kiosk still works.
    }
  }

  private release(): void {
    this.sentinel?.release().catch(() => undefined);
    this.sentinel = undefined;
  }
}
