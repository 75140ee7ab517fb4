/**
 * When the button a keyboard user pressed disappears with the view it was
 * in (call → ended → button), focus falls to the page. This puts it on the
 * new view's main control — only then, never stealing it from elsewhere.
 */
export function focusIfLost(root: ShadowRoot | null | undefined, selector: string): void {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  if (active && active !== document.body) return;
  root?.querySelector<HTMLElement>(selector)?.focus();
}
