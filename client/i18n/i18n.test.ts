import { expect } from '@esm-bundle/chai';
import { de } from './de.ts';
import { en } from './en.ts';
import {
  LOCALES,
  detectLocale,
  dictionaries,
  format,
  getLocale,
  getLocalePref,
  onLocaleChange,
  setLocalePref,
  t,
} from './index.ts';

const placeholders = (s: string): string[] =>
  [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('i18n', () => {
  afterEach(() => setLocalePref('en'));

  it('has every key in both languages, with the same placeholders, none empty', () => {
    expect(Object.keys(de).sort()).to.deep.equal(Object.keys(en).sort());
    for (const locale of LOCALES) {
      const dict = dictionaries[locale];
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(dict[key].trim(), `${locale} ${key}`).not.to.equal('');
        expect(placeholders(dict[key]), `${locale} ${key}`).to.deep.equal(placeholders(en[key]));
      }
    }
  });

  it('is really translated: most German texts differ from the English ones', () => {
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => de[k] === en[k]);
    // Names and words both languages share (Linegate, Audio, OK, Deutsch, English …).
    expect(same.length).to.be.lessThan(10);
  });

  it('follows the browser languages, English otherwise', () => {
    expect(detectLocale(['de-AT', 'en'])).to.equal('de');
    expect(detectLocale(['fr-FR', 'en-GB'])).to.equal('en');
    expect(detectLocale(['fr'])).to.equal('en');
    expect(detectLocale([])).to.equal('en');
  });

  it('remembers a chosen language, and "system" forgets it', () => {
    let changes = 0;
    const off = onLocaleChange(() => changes++);
    setLocalePref('de');
    expect(getLocale()).to.equal('de');
    expect(getLocalePref()).to.equal('de');
    expect(localStorage.getItem('linegate.locale')).to.equal('de');
    expect(document.documentElement.lang).to.equal('de');
    expect(t('dial.call')).to.equal('Anrufen');
    setLocalePref('system');
    expect(getLocalePref()).to.equal('system');
    expect(localStorage.getItem('linegate.locale')).to.equal(null);
    expect(getLocale()).to.equal(detectLocale());
    off();
    expect(changes).to.be.greaterThan(0);
  });

  it('fills placeholders', () => {
    expect(t('dial.callNumber', { number: '201' })).to.equal('Call 201');
    expect(format('{a} and {b}', { a: 1 })).to.equal('1 and {b}');
  });
});
