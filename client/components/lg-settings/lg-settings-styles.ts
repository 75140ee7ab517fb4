import { css } from 'lit';

/** What the settings view adds to the section styles (styles/sections.ts). */
export const settingsStyles = css`
  :host {
    display: grid;
    gap: 1.25rem;
    align-content: start;
  }
  h2 {
    margin: 0;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .choice:has(input:checked) {
    border-color: var(--lg-primary);
    box-shadow: inset 0 0 0 1px var(--lg-primary);
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
