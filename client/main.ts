/**
 * Entry point: the shell gets the real phone (JsSIP against the gateway)
 * and the service worker is registered, with an update prompt in the shell
 * when a new version waits.
 */
import './app/lg-app.ts';
import { registerServiceWorker } from './app/sw-update.ts';
import { createPhone } from './phone/index.ts';

const app =
  document.querySelector('lg-app') ?? document.body.appendChild(document.createElement('lg-app'));
app.phone = createPhone();

window.addEventListener('load', () => {
  registerServiceWorker((apply) => app.shell.offerUpdate(apply));
});
