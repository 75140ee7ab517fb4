import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Phone } from '../phone/types.ts';

export interface Subscribable {
  subscribe(listener: () => void): () => void;
}

/**
 * Re-renders its host on every change of a store the host holds (the
 * phone, the call history), following the store when the host replaces
 * it. `onChange` runs first, for behaviour that reacts to changes.
 */
export class SubscriptionController<T extends Subscribable> implements ReactiveController {
  private current: T | undefined;
  private off: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => T | undefined,
    private readonly onChange?: (store: T) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = undefined;
    this.current = undefined;
  }

  private sync(): void {
    const store = this.source();
    if (store === this.current) return;
    this.off?.();
    this.current = store;
    this.off = store?.subscribe(() => {
      this.onChange?.(store);
      this.host.requestUpdate();
    });
    if (store) this.onChange?.(store);
  }
}

export interface PhoneHost extends ReactiveControllerHost {
  readonly phone?: Phone | undefined;
}

/** Re-renders its host on every change of the phone in its `phone` property. */
export class PhoneController extends SubscriptionController<Phone> {
  constructor(host: PhoneHost, onChange?: (phone: Phone) => void) {
    super(host, () => host.phone, onChange);
  }
}
