/**
 * A system notification for a ringing call while the page is hidden. It
 * goes through the service worker's registration where there is one
 * (Android allows no page notifications), else `new Notification`. It
 * never asks for permission: the shell asks at a moment the user chose.
 */
import type { CallView } from '../phone/types.ts';
import { isRinging } from './calls.ts';

export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

export class CallNotifier {
  private readonly shown = new Map<string, Notification | undefined>();

  constructor(
    private readonly describe: (call: CallView) => NotificationText,
    private readonly icon = '/icons/icon-192.png',
  ) {}

  update(calls: readonly CallView[]): void {
    const ringing = calls.filter(isRinging);
    const visible = document.visibilityState !== 'hidden';
    for (const id of [...this.shown.keys()]) {
      if (visible || !ringing.some((c) => c.id === id)) this.close(id);
    }
    if (visible || !notificationsSupported() || Notification.permission !== 'granted') return;
    for (const call of ringing) if (!this.shown.has(call.id)) this.show(call);
  }

  closeAll(): void {
    for (const id of [...this.shown.keys()]) this.close(id);
  }

  private show(call: CallView): void {
    const { title, body } = this.describe(call);
    const options: NotificationOptions = { body, tag: call.id, icon: this.icon };
    options.requireInteraction = true;
    this.shown.set(call.id, undefined);
    const sw = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    if (sw?.controller) {
      sw.ready.then((reg) => reg.showNotification(title, options)).catch(() => undefined);
      return;
    }
    try {
      const n = new Notification(title, options);
      n.onclick = () => {
        window.focus();
        n.close();
      };
      this.shown.set(call.id, n);
    } catch {
      // No page notifications here (and no service worker): the ringtone must do.
    }
  }

  private close(id: string): void {
    const n = this.shown.get(id);
    this.shown.delete(id);
    n?.close();
    const sw = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    if (!sw?.controller) return;
    sw.ready
      .then((reg) => reg.getNotifications({ tag: id }))
      .then((list) => {
        for (const x of list) x.close();
      })
      .catch(() => undefined);
  }
}
