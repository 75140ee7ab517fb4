import { css } from 'lit';

export const forwardingStyles = css`
  :host {
    display: block;
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
  p:empty {
    display: none;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.75rem;
  }
  fieldset {
    margin: 0;
    min-width: 0;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 1px solid var(--lg-border);
    border-radius: var(--lg-radius);
    display: grid;
    gap: 0.6rem;
  }
  fieldset.invalid {
    border-color: var(--lg-danger);
    box-shadow: inset 0 0 0 1px var(--lg-danger);
  }
  fieldset.off {
    border-style: dashed;
  }
  legend {
    font-weight: 600;
    padding: 0 0.3rem;
  }
  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
    gap: 0.6rem;
  }
  .field {
    display: grid;
    gap: 0.3rem;
    font-weight: 600;
    min-width: 0;
  }
  .field select,
  .field input {
    font-weight: normal;
    width: 100%;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .rule-actions {
    justify-content: space-between;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    min-height: var(--lg-touch, 44px);
    padding: 0 0.9rem;
    border: 1px solid var(--lg-border);
    border-radius: 999px;
    cursor: pointer;
  }
  .check input {
    min-height: 0;
    width: 1.2rem;
    height: 1.2rem;
    margin: 0;
  }
  .ok {
    color: var(--lg-accept);
    font-weight: 600;
  }
`;
