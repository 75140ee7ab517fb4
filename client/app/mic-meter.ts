import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Live microphone level (0…1) for the settings' meter; stops when its host goes. */
export class MicMeterController implements ReactiveController {
  level = 0;
  running = false;
  private stream: MediaStream | undefined;
  private ctx: AudioContext | undefined;
  private frame: number | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Rejects when the microphone is refused or missing. */
  async start(deviceId?: string): Promise<void> {
    this.stop();
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: deviceId ? { deviceId: { exact: deviceId } } : true,
    });
    this.ctx = new AudioContext();
    this.ctx.resume().catch(() => undefined);
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 1024;
    this.ctx.createMediaStreamSource(this.stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.running = true;
    const tick = (): void => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around 0.05–0.2 RMS; scale so it fills most of the meter.
      this.level = Math.min(1, rms * 5);
      this.host.requestUpdate();
      this.frame = requestAnimationFrame(tick);
    };
    tick();
  }

  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = undefined;
    this.ctx?.close().catch(() => undefined);
    this.ctx = undefined;
    this.running = false;
    this.level = 0;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.stop();
  }
}
