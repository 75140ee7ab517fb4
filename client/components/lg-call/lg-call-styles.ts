import { css } from 'lit';

export const callStyles = css`
  :host {
    display: block;
  }
  section {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
    max-width: 32rem;
    margin: 0 auto;
  }
  .party {
    text-align: center;
  }
  .party p {
    margin: 0.2rem 0;
  }
  h2 {
    font-size: 1.8rem;
    margin: 0;
    overflow-wrap: anywhere;
  }
  .number {
    font-size: 1.1rem;
  }
  .code-kind {
    font-size: 0.9rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--lg-muted);
  }
  .state {
    font-weight: 600;
  }
  .state.held {
    color: var(--lg-warn);
  }
  .timer {
    font-size: 1.5rem;
    font-variant-numeric: tabular-nums;
  }
  .end {
    text-align: center;
    min-height: 1.3rem;
  }
  .others {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  .others li {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.3rem 0.5rem;
    border: 1px solid var(--lg-border);
    border-radius: var(--lg-radius);
    background: var(--lg-surface);
  }
  .others .who {
    flex: 1;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .controls {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: 0.6rem;
  }
  .controls button {
    flex-direction: column;
    padding: 0.5rem 0.25rem;
    font-size: 0.85rem;
    overflow-wrap: anywhere;
  }
  .output {
    grid-column: 1 / -1;
    display: flex;
    align-items: center;
    gap: 0.3rem;
  }
  .output select {
    flex: 1;
    min-width: 0;
  }
  .main-actions {
    display: flex;
    justify-content: center;
  }
  .round {
    width: 4.5rem;
    height: 4.5rem;
    border-radius: 50%;
  }
  .round svg.icon {
    width: 2rem;
    height: 2rem;
  }
  .wide {
    min-width: 10rem;
  }
  .entry {
    display: grid;
    gap: 0.5rem;
  }
  .entry p {
    margin: 0;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
  }
  .tones {
    text-align: center;
    min-height: 1.3rem;
    font-variant-numeric: tabular-nums;
  }
`;
