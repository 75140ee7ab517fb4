import { css } from 'lit';

export const appStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    min-height: 100dvh;
    background: var(--lg-bg);
    color: var(--lg-text);
  }
  .splash {
    display: grid;
    place-items: center;
    min-height: 100vh;
    margin: 0;
    color: var(--lg-muted);
  }
  lg-sign-in {
    min-height: 100vh;
  }
  .app {
    min-height: 100vh;
    min-height: 100dvh;
    display: flex;
    flex-direction: column;
  }
  .app.kiosk {
    display: grid;
  }
  .top {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    gap: 0.5rem 1rem;
    padding: max(0.5rem, env(safe-area-inset-top)) 1rem 0.5rem;
    background: var(--lg-surface);
    border-bottom: 1px solid var(--lg-border);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 700;
    font-size: 1.15rem;
    color: var(--lg-primary);
  }
  :host([theme='dark']) .brand {
    color: var(--lg-link);
  }
  nav {
    grid-column: 1 / -1;
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 0.3rem;
  }
  nav a {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.1rem;
    min-width: 0;
    min-height: var(--lg-touch);
    padding: 0.3rem 0.25rem;
    border-radius: 0.5rem;
    text-decoration: none;
    color: var(--lg-text);
    font-size: 0.8rem;
    overflow-wrap: anywhere;
    text-align: center;
  }
  nav a[aria-current='page'] {
    background: var(--lg-surface-2);
    font-weight: 700;
    box-shadow: inset 0 -3px 0 var(--lg-primary);
  }
  .banner,
  .callbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    margin: 0.75rem 1rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: var(--lg-radius);
    background: var(--lg-surface-2);
  }
  .banner-actions {
    display: flex;
    gap: 0.5rem;
  }
  .callbar {
    min-height: var(--lg-touch);
    background: var(--lg-accept);
    color: #fff;
    font-weight: 600;
    text-decoration: none;
    justify-content: center;
  }
  main {
    flex: 1;
    width: 100%;
    max-width: 48rem;
    margin: 0 auto;
    padding: 1rem;
  }
  .phone-grid {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1.25rem;
  }
  .side {
    display: grid;
    gap: 1.25rem;
    min-width: 0;
  }
  .messages {
    position: fixed;
    left: 50%;
    bottom: max(1rem, env(safe-area-inset-bottom));
    transform: translateX(-50%);
    z-index: 20;
    display: grid;
    gap: 0.5rem;
    width: min(calc(100% - 2rem), 32rem);
  }
  .message {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.4rem 0.4rem 0.4rem 0.9rem;
    border-radius: var(--lg-radius);
    background: var(--lg-danger);
    color: #fff;
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
  }
  .message span {
    flex: 1;
  }
  .message button {
    background: transparent;
    border-color: transparent;
    color: #fff;
  }
  @media (max-width: 47.99rem) {
    .in-call .side {
      display: none;
    }
  }
  @media (min-width: 48rem) {
    .top {
      grid-template-columns: auto auto 1fr;
    }
    nav {
      grid-column: auto;
      display: flex;
      justify-content: flex-end;
    }
    nav a {
      flex-direction: row;
      gap: 0.4rem;
      padding: 0.3rem 0.9rem;
      font-size: 0.95rem;
    }
    main.phone {
      max-width: 64rem;
    }
    .phone-grid {
      grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr);
      align-items: start;
      gap: 2rem;
    }
  }
`;
