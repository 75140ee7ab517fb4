/**
 * Registers the service worker and tells the page when a new version is
 * installed and waiting. Accepting sends the worker SKIP_WAITING (sw.ts
 * listens for it) and reloads once the new worker controls the page.
 */
export type ApplyUpdate = () => void;

export function registerServiceWorker(
  onUpdate: (apply: ApplyUpdate) => void,
  url = '/sw.js',
  checkEveryMs = 60 * 60 * 1000,
): void {
  const sw = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!sw) return;
  let reloading = false;
  sw.addEventListener('controllerchange', () => {
    if (reloading) location.reload();
  });
  const offer = (worker: ServiceWorker): void => {
    // The first install has no controller yet: nothing to update from.
    if (!sw.controller) return;
    onUpdate(() => {
      reloading = true;
      worker.postMessage({ type: 'SKIP_WAITING' });
    });
  };
  sw.register(url, { scope: '/' })
    .then((reg) => {
      if (reg.waiting) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const installing = reg.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed') offer(installing);
        });
      });
      setInterval(() => void reg.update().catch(() => undefined), checkEveryMs);
    })
    // Without a service worker the app works online; it just cannot open offline.
    .catch(() => undefined);
}
