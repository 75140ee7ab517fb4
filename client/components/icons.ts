/**
 * Inline SVG icons (no icon font). Shapes after Feather Icons (MIT,
 * feathericons.com). Decorative: the button or text next to them names them.
 */
import { svg, type SVGTemplateResult } from 'lit';

const icon = (body: SVGTemplateResult): SVGTemplateResult =>
  svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none"
    stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

const handset = svg`<path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.8a2 2 0 0 1-.5 2.1L8.1 9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.8.7a2 2 0 0 1 1.7 2z"/>`;

export const icons = {
  phone: icon(handset),
  hangup: icon(svg`<g transform="rotate(135 12 12)">${handset}</g>`),
  mic: icon(
    svg`<path d="M12 1a3 3 0 0 0-3 3v8a3 3 0 0 0 6 0V4a3 3 0 0 0-3-3z"/><path d="M19 10v2a7 7 0 0 1-14 0v-2"/><path d="M12 19v4M8 23h8"/>`,
  ),
  micOff: icon(
    svg`<path d="M1 1l22 22M9 9v3a3 3 0 0 0 5.1 2.1M15 9.3V4a3 3 0 0 0-5.9-.6"/><path d="M17 16.9A7 7 0 0 1 5 12v-2m14 0v2c0 .8-.1 1.5-.4 2.2M12 19v4M8 23h8"/>`,
  ),
  pause: icon(
    svg`<rect x="6" y="4" width="4" height="16"/><rect x="14" y="4" width="4" height="16"/>`,
  ),
  keypad: icon(
    svg`<g fill="currentColor" stroke="none"><circle cx="5" cy="4" r="2"/><circle cx="12" cy="4" r="2"/><circle cx="19" cy="4" r="2"/><circle cx="5" cy="11" r="2"/><circle cx="12" cy="11" r="2"/><circle cx="19" cy="11" r="2"/><circle cx="5" cy="18" r="2"/><circle cx="12" cy="18" r="2"/><circle cx="19" cy="18" r="2"/></g>`,
  ),
  speaker: icon(
    svg`<path d="M11 5L6 9H2v6h4l5 4V5z"/><path d="M19.1 4.9a10 10 0 0 1 0 14.2M15.5 8.5a5 5 0 0 1 0 7"/>`,
  ),
  transfer: icon(svg`<path d="M5 12h14M12 5l7 7-7 7"/>`),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  swap: icon(
    svg`<path d="M17 1l4 4-4 4"/><path d="M3 11V9a4 4 0 0 1 4-4h14M7 23l-4-4 4-4"/><path d="M21 13v2a4 4 0 0 1-4 4H3"/>`,
  ),
  backspace: icon(
    svg`<path d="M21 4H8l-7 8 7 8h13a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zM18 9l-6 6M12 9l6 6"/>`,
  ),
  redial: icon(svg`<path d="M1 4v6h6"/><path d="M3.5 15a9 9 0 1 0 2.1-9.4L1 10"/>`),
  clock: icon(svg`<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`),
  settings: icon(
    svg`<path d="M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3M1 14h6M9 8h6M17 16h6"/>`,
  ),
  incoming: icon(svg`<path d="M17 7L7 17M17 17H7V7"/>`),
  outgoing: icon(svg`<path d="M7 17L17 7M7 7h10v10"/>`),
  close: icon(svg`<path d="M18 6L6 18M6 6l12 12"/>`),
} as const;
