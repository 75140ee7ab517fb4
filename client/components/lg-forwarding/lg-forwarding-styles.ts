import { css } from 'lit';

/** What the forwarding rules add to the section styles (styles/sections.ts). */
export const forwardingStyles = css`
  :host {
    display: block;
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
  .rule-actions {
    justify-content: space-between;
  }
  .check {
    gap: 0.5rem;
  }
  .check input {
    width: 1.2rem;
    height: 1.2rem;
  }
`;
