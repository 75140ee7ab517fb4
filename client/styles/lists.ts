/** The unstyled, gapped lists of the phone view's panels (colleagues, feature codes, journal). */
import { css } from 'lit';

export const listStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
`;
