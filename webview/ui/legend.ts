/** The colour legend, from the same CSS variables the canvas reads. */
import { h } from './dom';

const ITEMS: [string, string][] = [
  ['running', 'Running'],
  ['blocked', 'Blocked (lock, semaphore)'],
  ['waiting', 'Waiting (condition, event, queue, join, result)'],
  ['sleeping', 'Sleeping'],
  ['exited', 'Exited'],
  ['held', 'Lock held'],
  ['counter', 'Count / queue length / event set'],
  ['instant', 'Notify, set, put/get, task'],
  ['error', 'Exception, deadlock'],
];

export function buildLegend(): HTMLElement {
  const ul = h('ul', { class: 'tl-legend', 'aria-label': 'Legend' });
  for (const [cls, text] of ITEMS) {
    ul.append(h('li', {}, h('span', { class: `tl-swatch tl-swatch-${cls}`, 'aria-hidden': 'true' }), h('span', { text })));
  }
  return ul;
}
