/**
 * Tiny DOM helpers. Everything is built with DOM APIs (no innerHTML, no inline style
 * attributes): the panel's CSP has no 'unsafe-inline', and CSSOM writes (el.style.x = ...)
 * are allowed where a style attribute would not be.
 */

type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** Replaces an element's children. */
export function setChildren(el: Element, ...children: (Node | string | null | undefined | false)[]): void {
  el.replaceChildren(...(children.filter((c) => c !== null && c !== undefined && c !== false) as (Node | string)[]));
}

/** Sets text only when it changed (avoids needless layout and screen reader chatter). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A small inline SVG icon from path data (codicons are not bundled). */
export function icon(pathD: string, label?: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('class', 'tl-icon');
  if (label) svg.setAttribute('aria-label', label);
  else svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', pathD);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export const ICONS = {
  stop: 'M3 3h10v10H3z',
  follow: 'M2 3h2v10H2zM6 3l8 5-8 5z',
  fit: 'M1 1h5v2H3v3H1zm9 0h5v5h-2V3h-3zM1 10h2v3h3v2H1zm12 0h2v5h-5v-2h3z',
  flows: 'M1 4h9V1l5 4-5 4V6H1zm14 8H6v3l-5-4 5-4v3h9z',
  chevronDown: 'M3 5l5 5 5-5z',
  chevronRight: 'M5 3l5 5-5 5z',
  close: 'M3.5 2.1L8 6.6l4.5-4.5 1.4 1.4L9.4 8l4.5 4.5-1.4 1.4L8 9.4l-4.5 4.5-1.4-1.4L6.6 8 2.1 3.5z',
  source: 'M6 3L1 8l5 5 1.4-1.4L3.8 8l3.6-3.6zm4 0L8.6 4.4 12.2 8l-3.6 3.6L10 13l5-5z',
  warning: 'M8 1l7 13H1zm-1 5v4h2V6zm0 5v2h2v-2z',
};
