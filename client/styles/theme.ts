/**
 * Design tokens as CSS custom properties on lg-app's host; they inherit
 * into every component's shadow root. Light and dark follow the system
 * unless lg-app's `theme` attribute says otherwise.
 */
import { css } from 'lit';

const light = css`
  color-scheme: light;
  --lg-bg: #f4f6f8;
  --lg-surface: #ffffff;
  --lg-surface-2: #e8ecf1;
  --lg-text: #16191d;
  --lg-muted: #545b64;
  --lg-border: #b9c1cb;
  --lg-primary: #0b5cad;
  --lg-on-primary: #ffffff;
  --lg-accept: #12813a;
  --lg-danger: #b3261e;
  --lg-warn: #8a5300;
  --lg-focus: #1a5fd0;
  --lg-link: #0b5cad;
`;

const dark = css`
  color-scheme: dark;
  --lg-bg: #111316;
  --lg-surface: #1b1e22;
  --lg-surface-2: #2a2f35;
  --lg-text: #e8eaed;
  --lg-muted: #a9b0b9;
  --lg-border: #4a525c;
  --lg-primary: #2f74c8;
  --lg-on-primary: #ffffff;
  --lg-accept: #1f8a46;
  --lg-danger: #c4362c;
  --lg-warn: #f0b45a;
  --lg-focus: #8ab8ff;
  --lg-link: #9cc6ff;
`;

export const themeTokens = css`
  :host {
    ${light}
    --lg-radius: 0.75rem;
    --lg-touch: 44px;
    font-family:
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
`;
