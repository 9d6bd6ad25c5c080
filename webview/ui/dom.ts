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

/**
 * A codicon (VS Code's icon font, dist/codicons/codicon.css loaded by the page). Decorative by
 * default (the button around it has a text or an aria-label); with `label`, it is an image with
 * that name.
 */
export function icon(name: CodiconName, label?: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = `codicon codicon-${name} tl-icon`;
  if (label) {
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', label);
  } else el.setAttribute('aria-hidden', 'true');
  return el;
}

/** The codicons the panel uses, by what they stand for. */
export const ICONS = {
  stop: 'debug-stop',
  follow: 'pinned',
  fit: 'screen-full',
  flows: 'arrow-swap',
  zoomTo: 'zoom-in',
  chevronDown: 'chevron-down',
  chevronRight: 'chevron-right',
  close: 'close',
  source: 'go-to-file',
  warning: 'warning',
} as const;

export type CodiconName = (typeof ICONS)[keyof typeof ICONS];
