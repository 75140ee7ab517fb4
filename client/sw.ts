/// <reference lib="webworker" />
/**
 * Service worker (Workbox, injectManifest): precaches the app shell so the
 * PWA opens offline; navigations fall back to the cached index.html. The API,
 * /sip and /healthz are never served from the cache.
 */
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/sip/, /^\/healthz/, /^\/metrics/],
  }),
);

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (data && typeof data === 'object' && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

// An incoming-call notification (shown through the registration, tag = call
// id) brings the app to the front: the open window if there is one, else a new one.
self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      const open = windows[0];
      if (open !== undefined) {
        await open.focus();
        return;
      }
      await self.clients.openWindow('/');
    }),
  );
});
