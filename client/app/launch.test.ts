import { expect } from '@esm-bundle/chai';
import { parseLaunch, parseQuery, withoutAuto } from './launch.ts';

describe('parseLaunch', () => {
  it('reads nothing from an empty query', () => {
    expect(parseLaunch('')).to.deep.equal({ badDial: false, auto: false, kiosk: false });
  });

  it('prefills a number, keeping a literal "+"', () => {
    expect(parseLaunch('?dial=+49 89 123').dial).to.equal('+4989123');
    expect(parseLaunch('?dial=%2B4989123').dial).to.equal('+4989123');
  });

  it('reads auto and line', () => {
    const l = parseLaunch('?dial=201&auto=1&line=hfo%2F202');
    expect(l).to.include({ dial: '201', auto: true, line: 'hfo/202', kiosk: false });
  });

  it('reads kiosk mode with its label ("+" is a space there)', () => {
    const l = parseLaunch('?kiosk=1&dial=100&label=Front+Desk');
    expect(l).to.include({ kiosk: true, dial: '100', label: 'Front Desk' });
    expect(parseLaunch('?kiosk=1&dial=100&label=Empfang%20%26%20Info').label).to.equal(
      'Empfang & Info',
    );
  });

  it('takes the number out of tel: and sip: URIs from protocol handlers', () => {
    expect(parseLaunch('?dial=tel%3A%2B4989123').dial).to.equal('+4989123');
    expect(parseLaunch('?dial=sip%3A201%40pbx.example.com').dial).to.equal('201');
    expect(parseLaunch('?dial=tel%3A%2B49-89-12%2034').dial).to.equal('+49891234');
  });

  it('flags a dial parameter that holds no number', () => {
    const l = parseLaunch('?dial=sip%3Aalice%40example.com');
    expect(l.dial).to.equal(undefined);
    expect(l.badDial).to.equal(true);
    expect(parseLaunch('?dial=').badDial).to.equal(false);
  });

  it('understands flag spellings and ignores others', () => {
    expect(parseLaunch('?auto').auto).to.equal(true);
    expect(parseLaunch('?auto=true').auto).to.equal(true);
    expect(parseLaunch('?auto=0').auto).to.equal(false);
    expect(parseLaunch('?kiosk=no').kiosk).to.equal(false);
  });

  it('survives broken percent escapes', () => {
    expect(parseQuery('?label=%E0%A4%A&dial=201').get('label')).to.equal('%E0%A4%A');
    expect(parseLaunch('?label=%E0%A4%A&dial=201').dial).to.equal('201');
  });
});

describe('withoutAuto', () => {
  it('drops auto and keeps the rest', () => {
    expect(withoutAuto('https://x.test/?dial=%2B49&auto=1&line=a#/phone')).to.equal(
      'https://x.test/?dial=%2B49&line=a#/phone',
    );
    expect(withoutAuto('https://x.test/?auto=1')).to.equal('https://x.test/');
    expect(withoutAuto('https://x.test/?dial=1')).to.equal('https://x.test/?dial=1');
  });
});
