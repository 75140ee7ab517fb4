import { expect } from '@esm-bundle/chai';
import { audioConstraints, mediaConstraints, microphoneError } from './media.ts';
import { referRefused, transferFailed } from './refer.ts';

describe('media', () => {
  it('asks for the chosen microphone with voice processing, never video', () => {
    expect(audioConstraints(undefined)).to.deep.equal({
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    });
    expect(audioConstraints('mic-2')).to.deep.include({ deviceId: { exact: 'mic-2' } });
    expect(mediaConstraints('')).to.deep.equal({
      audio: audioConstraints(undefined),
      video: false,
    });
  });
  it('maps getUserMedia errors to PhoneErrors', () => {
    const code = (name: string) => microphoneError(new DOMException('x', name)).code;
    expect(code('NotAllowedError')).to.equal('no-microphone');
    expect(code('NotFoundError')).to.equal('no-microphone');
    expect(code('NotReadableError')).to.equal('no-microphone');
    expect(code('OverconstrainedError')).to.equal('no-microphone');
    expect(code('SecurityError')).to.equal('no-microphone');
    expect(code('TypeError')).to.equal('failed');
    expect(microphoneError('weird').code).to.equal('failed');
  });
});

describe('transfer outcomes', () => {
  it('a gateway without REFER says unsupported', () => {
    for (const s of [405, 420, 489, 501])
      expect(referRefused(s, 'Rejected').code).to.equal('unsupported');
  });
  it('no answer to the REFER is the network', () => {
    expect(referRefused(undefined, 'Request Timeout').code).to.equal('network');
    expect(referRefused(undefined, 'Connection Error').code).to.equal('network');
    expect(referRefused(403, 'Rejected').code).to.equal('failed');
  });
  it('a target that does not exist is an invalid number', () => {
    expect(transferFailed(404).code).to.equal('invalid-number');
    expect(transferFailed(486).message).to.match(/busy/);
    expect(transferFailed(undefined).code).to.equal('failed');
  });
});
