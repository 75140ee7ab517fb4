/**
 * The boxed sections of the settings view and their fields: lg-settings and
 * the sections it holds (lg-forwarding, lg-after-sign-in) look alike.
 */
import { css } from 'lit';

export const sectionStyles = css`
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
  /* A radio button or checkbox with its label, as a pill. */
  .choice,
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    min-height: var(--lg-touch, 44px);
    padding: 0 0.9rem;
    border: 1px solid var(--lg-border);
    border-radius: 999px;
    cursor: pointer;
  }
  .choice input,
  .check input {
    min-height: 0;
    margin: 0;
  }
  .ok {
    color: var(--lg-accept);
    font-weight: 600;
  }
`;
