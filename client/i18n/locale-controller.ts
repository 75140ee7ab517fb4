import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onLocaleChange } from './index.ts';

/** Re-renders its host when the language changes. */
export class LocaleController implements ReactiveController {
  private off: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = onLocaleChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = undefined;
  }
}
