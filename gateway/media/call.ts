/**
 * One call inside a media worker: the two legs, the two directions of the
 * bridge between them, and the DTMF generator toward the PBX.
 */
import { ClientLeg } from './client-leg.ts';
import { DtmfSender } from './dtmf-sender.ts';
import { PbxLeg } from './pbx-leg.ts';
import { Path } from './path.ts';
import type { CreateArgs } from './protocol.ts';
import type { BridgeMode, CallStats, MediaEvent } from './types.ts';

export class Call {
  readonly client: ClientLeg;
  readonly pbx: PbxLeg;
  private readonly toPbx: Path;
  private readonly toClient: Path;
  readonly dtmf: DtmfSender;

  constructor(
    readonly id: string,
    args: CreateArgs,
    emit: (e: MediaEvent) => void,
    now: () => number,
  ) {
    const o = args.options;
    this.client = new ClientLeg(
      id,
      {
        publicAddress: o.publicAddress ?? args.publicAddress,
        bindAddress:
          args.bindAddress === '0.0.0.0' || args.bindAddress === '::'
            ? undefined
            : args.bindAddress,
        iceServers: o.iceServers ?? [],
        codecs: o.clientCodecs,
        dtmf: o.clientDtmf ?? true,
      },
      now,
      (state) => emit({ type: 'client-state', state }),
    );
    this.pbx = new PbxLeg(
      id,
      args.rtpPort,
      o.publicAddress ?? args.publicAddress,
      args.bindAddress,
      o.pbxCodecs,
      now,
    );
    this.toPbx = new Path(this.client, this.pbx, now, (digit, durationMs) =>
      emit({ type: 'dtmf', from: 'client', digit, durationMs }),
    );
    this.toClient = new Path(this.pbx, this.client, now, (digit, durationMs) =>
      emit({ type: 'dtmf', from: 'pbx', digit, durationMs }),
    );
    this.client.onAudio = (_leg, raw, pkt, codec) => this.toPbx.audio(raw, pkt, codec);
    this.client.onEvent = (_leg, raw, pkt, rate) => this.toPbx.event(raw, pkt, rate);
    this.pbx.onAudio = (_leg, raw, pkt, codec) => this.toClient.audio(raw, pkt, codec);
    this.pbx.onEvent = (_leg, raw, pkt, rate) => this.toClient.event(raw, pkt, rate);
    this.dtmf = new DtmfSender(this.pbx, this.toPbx, now);
  }

  init(): Promise<void> {
    return this.pbx.bind();
  }

  get mode(): BridgeMode {
    const c = this.client.neg?.codec;
    const p = this.pbx.neg?.codec;
    if (!c || !p) return 'idle';
    return c === p ? 'relay' : 'transcode';
  }

  stats(): CallStats {
    return {
      mode: this.mode,
      client: { ...this.client.stats(), state: this.client.connectionState },
      pbx: { ...this.pbx.stats(), rtpPort: this.pbx.port },
    };
  }

  tick(nowMs: number, wallMs: number): void {
    this.client.tickRtcp(nowMs, wallMs);
    this.pbx.tickRtcp(nowMs, wallMs);
  }

  close(): void {
    this.dtmf.close();
    this.client.close();
    this.pbx.close();
  }
}
