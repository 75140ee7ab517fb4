import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Whether the browser can play on a chosen output device (HTMLMediaElement.setSinkId). */
export function canSelectOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** Undefined outside secure contexts (plain http on a LAN address). */
function mediaDevices(): MediaDevices | undefined {
  return (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
}

export interface Device {
  readonly id: string;
  readonly label: string;
}

/**
 * The audio inputs and outputs (enumerateDevices), kept fresh on
 * `devicechange`. Browsers give labels only once the microphone was allowed;
 * `requestLabels` asks for it (from a button, never unasked).
 */
export class DevicesController implements ReactiveController {
  inputs: readonly Device[] = [];
  outputs: readonly Device[] = [];
  /** The user refused the microphone. */
  denied = false;
  readonly outputSelectable = canSelectOutput();
  private readonly onChange = (): void => void this.refresh();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get labelled(): boolean {
    return [...this.inputs, ...this.outputs].some((d) => d.label !== '');
  }

  hostConnected(): void {
    mediaDevices()?.addEventListener('devicechange', this.onChange);
    void this.refresh();
  }

  hostDisconnected(): void {
    mediaDevices()?.removeEventListener('devicechange', this.onChange);
  }

  async refresh(): Promise<void> {
    const md = mediaDevices();
    if (!md) return;
    try {
      const all = await md.enumerateDevices();
      // "default" (and Windows' "communications") repeat a real device; our
      // own "System default" entry stands for them.
      const pick = (kind: MediaDeviceKind): Device[] =>
        all
          .filter(
            (d) => d.kind === kind && d.deviceId && !/^(default|communications)$/.test(d.deviceId),
          )
          .map((d) => ({ id: d.deviceId, label: d.label }));
      this.inputs = pick('audioinput');
      this.outputs = pick('audiooutput');
    } catch {
      this.inputs = [];
      this.outputs = [];
    }
    this.host.requestUpdate();
  }

  async requestLabels(): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
      this.denied = false;
    } catch {
      this.denied = true;
    }
    await this.refresh();
  }
}
