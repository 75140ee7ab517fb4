/**
 * Messages between the engine (gateway process) and a media worker process.
 * Each request names an operation and a call; the worker replies once.
 * Structured clone ("advanced" IPC serialization) carries them.
 */
import type { ErrorCode } from '#shared/errors.ts';
import type {
  AnswerOptions,
  CallMediaOptions,
  CallStats,
  ClientAnswerOptions,
  ClientOfferOptions,
  MediaEvent,
  OfferOptions,
} from './types.ts';

export interface CreateArgs {
  options: CallMediaOptions;
  publicAddress: string;
  bindAddress: string;
  rtpPort: number;
}

export interface WorkerUsage {
  pid: number;
  cpuMs: number;
  rssBytes: number;
}

type None = Record<string, never>;

export interface Ops {
  create: { args: CreateArgs; result: null };
  clientOffer: { args: { opts: ClientOfferOptions }; result: string };
  clientAnswer: { args: { sdp: string; opts: ClientAnswerOptions }; result: string };
  setClientAnswer: { args: { sdp: string }; result: null };
  pbxOffer: { args: { opts: OfferOptions }; result: string };
  pbxAnswer: { args: { sdp: string; opts: AnswerOptions }; result: string };
  setPbxAnswer: { args: { sdp: string }; result: null };
  sendDtmf: { args: { digit: string; durationMs: number }; result: null };
  stats: { args: None; result: CallStats };
  close: { args: None; result: null };
  /** Not about a call: CPU and memory of the worker process. */
  usage: { args: None; result: WorkerUsage };
}

export type OpName = keyof Ops;

export type Request = {
  [K in OpName]: { id: number; callId: string; op: K; args: Ops[K]['args'] };
}[OpName];

export interface WireError {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type WorkerMessage =
  | { type: 'ready'; pid: number }
  | { type: 'reply'; id: number; ok: true; value: Ops[OpName]['result'] }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'event'; callId: string; event: MediaEvent }
  | { type: 'log'; level: LogLevel; msg: string; data: Record<string, unknown> };
