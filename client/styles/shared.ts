/** Styles every component shares: buttons, fields, focus ring, screen-reader text. */
import { css } from 'lit';

export const shared = css`
  :host {
    box-sizing: border-box;
    color: var(--lg-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  button,
  input,
  select,
  a {
    font: inherit;
    color: inherit;
  }
  button,
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: var(--lg-touch, 44px);
    min-width: var(--lg-touch, 44px);
    padding: 0.5rem 1rem;
    border: 1px solid var(--lg-border);
    border-radius: var(--lg-radius, 0.75rem);
    background: var(--lg-surface);
    cursor: pointer;
    text-decoration: none;
    touch-action: manipulation;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--lg-primary);
    border-color: var(--lg-primary);
    color: var(--lg-on-primary);
  }
  button.accept {
    background: var(--lg-accept);
    border-color: var(--lg-accept);
    color: #fff;
  }
  button.danger {
    background: var(--lg-danger);
    border-color: var(--lg-danger);
    color: #fff;
  }
  button[aria-pressed='true'] {
    background: var(--lg-text);
    color: var(--lg-surface);
    border-color: var(--lg-text);
  }
  input,
  select {
    min-height: var(--lg-touch, 44px);
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--lg-border);
    border-radius: 0.5rem;
    background: var(--lg-surface);
    max-width: 100%;
  }
  :focus-visible {
    outline: 3px solid var(--lg-focus);
    outline-offset: 2px;
  }
  svg.icon {
    width: 1.4em;
    height: 1.4em;
    flex: none;
  }
  .muted {
    color: var(--lg-muted);
  }
  .alert {
    color: var(--lg-danger);
    font-weight: 600;
  }
  h2 {
    font-size: 1.25rem;
    margin: 0 0 0.75rem;
  }
`;
