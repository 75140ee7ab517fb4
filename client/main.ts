import './app/lg-app.ts';

// The service worker precaches the app shell so the PWA opens offline.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    // Without a service worker the app still works online; it just cannot
    // open offline, so a failed registration is not worth bothering the user.
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
