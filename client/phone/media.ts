/**
 * The browser's audio around a call: the microphone (getUserMedia with the
 * chosen input, errors turned into PhoneErrors), one <audio> element per
 * call that plays the remote stream on the chosen output (setSinkId).
 */
import { PhoneError } from './types.ts';

/** Constraints for the microphone: the chosen input, voice processing on. */
export function audioConstraints(input: string | undefined): MediaTrackConstraints {
  const voice: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  };
  return input === undefined || input === '' ? voice : { ...voice, deviceId: { exact: input } };
}

export function mediaConstraints(input: string | undefined): MediaStreamConstraints {
  return { audio: audioConstraints(input), video: false };
}

/** getUserMedia's failure as the PhoneError the views explain. */
export function microphoneError(err: unknown): PhoneError {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new PhoneError(
        'no-microphone',
        'The microphone may not be used: allow it for this site.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new PhoneError('no-microphone', 'No microphone was found.');
    case 'NotReadableError':
    case 'AbortError':
      return new PhoneError('no-microphone', 'The microphone is in use or could not be started.');
    default:
      return new PhoneError(
        'failed',
        `The microphone could not be opened (${name || String(err)}).`,
      );
  }
}

/**
 * A stream from the chosen microphone. A device that went away (unplugged
 * headset: OverconstrainedError/NotFoundError for an exact deviceId) falls
 * back to the system default rather than failing the call.
 */
export async function openMicrophone(input: string | undefined): Promise<MediaStream> {
  const devices = (globalThis.navigator as Navigator | undefined)?.mediaDevices;
  if (devices === undefined) {
    throw new PhoneError('unsupported', 'This page cannot use a microphone (it needs HTTPS).');
  }
  try {
    return await devices.getUserMedia(mediaConstraints(input));
  } catch (err) {
    const name = err instanceof Error || err instanceof DOMException ? err.name : '';
    const gone = name === 'OverconstrainedError' || name === 'NotFoundError';
    if (input === undefined || input === '' || !gone) throw microphoneError(err);
  }
  try {
    return await devices.getUserMedia(mediaConstraints(undefined));
  } catch (err) {
    throw microphoneError(err);
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export function canChooseOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/**
 * An <audio> element for a call's remote audio. It stays out of the DOM:
 * an element plays (and makes Chromium decode the track) without being
 * attached.
 */
export function createAudioOut(): HTMLAudioElement {
  const audio = new Audio();
  audio.autoplay = true;
  return audio;
}

/** Routes an element to `output` (undefined: the system default). */
export async function setOutput(
  audio: HTMLAudioElement,
  output: string | undefined,
): Promise<void> {
  if (!canChooseOutput()) {
    if (output === undefined || output === '') return;
    throw new PhoneError('unsupported', 'This browser cannot choose the speaker.');
  }
  if (audio.sinkId === (output ?? '')) return;
  try {
    await audio.setSinkId(output ?? '');
  } catch (err) {
    const name = err instanceof Error || err instanceof DOMException ? err.name : String(err);
    throw new PhoneError('failed', `The speaker could not be chosen (${name}).`);
  }
}

export function play(audio: HTMLAudioElement, stream: MediaStream | null): void {
  audio.srcObject = stream;
  // Autoplay may be refused before the user touched the page; the next
  // gesture (answering, dialing) lets it play.
  if (stream !== null) audio.play().catch(() => undefined);
}
