import { css } from 'lit';

export const settingsStyles = css`
  :host {
    display: grid;
    gap: 1.25rem;
    align-content: start;
  }
  h2 {
    margin: 0;
  }
  section {
    display: grid;
    gap: 0.6rem;
    padding: 1rem;
    border: 1px solid var(--lg-border);
    border-radius: var(--lg-radius);
    background: var(--lg-surface);
  }
  h3 {
    margin: 0;
    font-size: 1.05rem;
  }
  p {
    margin: 0;
  }
  .field {
    display: grid;
    gap: 0.3rem;
    font-weight: 600;
  }
  .field select {
    font-weight: normal;
    width: 100%;
  }
  .row,
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .choice {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    min-height: var(--lg-touch);
    padding: 0 0.9rem;
    border: 1px solid var(--lg-border);
    border-radius: 999px;
    cursor: pointer;
  }
  .choice:has(input:checked) {
    border-color: var(--lg-primary);
    box-shadow: inset 0 0 0 1px var(--lg-primary);
  }
  .choice input {
    min-height: 0;
    margin: 0;
  }
  .meter {
    display: grid;
    gap: 0.3rem;
  }
  meter {
    width: 100%;
    height: 1.25rem;
  }
`;
