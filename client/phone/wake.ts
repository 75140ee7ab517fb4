/**
 * Moments when the connection to the gateway is likely dead although
 * nobody told JsSIP: the network came back or changed, the tab comes back
 * after a long time in the background, the machine woke from sleep, the
 * page was restored from the back/forward cache. The phone then reconnects
 * (or re-registers) at once instead of waiting for a timeout or JsSIP's
 * back-off.
 */

export interface WakeHandlers {
  /** navigator.onLine changed. */
  online(on: boolean): void;
  /** Check the connection now. */
  wake(why: 'online' | 'network-change' | 'visible' | 'resumed' | 'pageshow'): void;
}

export interface WakeOptions {
  /** Hidden at least this long counts as a long sleep (default 30 s). */
  readonly longSleepMs?: number;
  /** Period of the drift check that notices a sleeping machine (default 5 s). */
  readonly tickMs?: number;
}

export interface WakeWatcher {
  readonly online: boolean;
  stop(): void;
}

interface NetworkInformationLike extends EventTarget {
  readonly type?: string;
}

export function watchWake(handlers: WakeHandlers, opts: WakeOptions = {}): WakeWatcher {
  const longSleepMs = opts.longSleepMs ?? 30_000;
  const tickMs = opts.tickMs ?? 5_000;
  const now = () => Date.now();
  let hiddenAt = document.visibilityState === 'hidden' ? now() : undefined;
  let lastTick = now();
  let lastTickVisible = document.visibilityState === 'visible';

  const onOnline = () => {
    handlers.online(true);
    handlers.wake('online');
  };
  const onOffline = () => handlers.online(false);
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      hiddenAt = now();
      return;
    }
    const away = hiddenAt === undefined ? 0 : now() - hiddenAt;
    hiddenAt = undefined;
    if (away >= longSleepMs) handlers.wake('visible');
  };
  const onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted) handlers.wake('pageshow');
  };
  const onNetworkChange = () => handlers.wake('network-change');
  // Timers stop while the machine sleeps: a tick that comes far too late
  // means it slept. Only visible-to-visible ticks count, since browsers
  // throttle the timers of hidden tabs to once a minute.
  const tick = setInterval(() => {
    const t = now();
    const visible = document.visibilityState === 'visible';
    if (visible && lastTickVisible && t - lastTick > tickMs + longSleepMs) handlers.wake('resumed');
    lastTick = t;
    lastTickVisible = visible;
  }, tickMs);

  const connection = (navigator as Navigator & { connection?: NetworkInformationLike }).connection;
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  window.addEventListener('pageshow', onPageShow);
  document.addEventListener('visibilitychange', onVisibility);
  connection?.addEventListener('change', onNetworkChange);

  return {
    get online() {
      return navigator.onLine;
    },
    stop() {
      clearInterval(tick);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('pageshow', onPageShow);
      document.removeEventListener('visibilitychange', onVisibility);
      connection?.removeEventListener('change', onNetworkChange);
    },
  };
}
