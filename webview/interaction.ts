/**
 * Mouse and keyboard on the timeline. Wheel zooms around the pointer (shift+wheel scrolls lanes,
 * a horizontal wheel or trackpad swipe pans), drag pans, shift+drag selects a box whose duration
 * is shown, click selects, double-click zooms to the item. Keys follow Perfetto and
 * chrome://tracing: W/S zoom, A/D pan, arrows, Home/End, F fit, Z zoom to selection, Esc clears.
 * Any of these stops live following until "Follow" is pressed.
 */
import type { Hit } from './hitTest';
import type { BoxSelection } from './render/timelineRenderer';
import { panBy, timeAtX, wheelZoomFactor, zoomAt, type View } from './viewport';

export interface InteractionHost {
  readonly canvas: HTMLCanvasElement;
  readonly scroller: HTMLElement;
  view(): View;
  extent(): number;
  /** Sets a view the user asked for (ends following); `pan` for moves that keep the scale. */
  setUserView(v: View, pan?: boolean): void;
  hitAt(x: number, y: number): Hit | null;
  /** Pointer over (x, y) of the canvas (CSS px), or null when it left. */
  hover(hit: Hit | null, x: number, y: number): void;
  select(hit: Hit | null): void;
  setBox(box: BoxSelection | null, final: boolean): void;
  zoomToHit(hit: Hit): void;
  zoomToSelection(): void;
  fit(): void;
  clearSelection(): void;
}

const DRAG_THRESHOLD_PX = 3;
const KEY_ZOOM = 0.8;
const KEY_PAN = 0.15;

interface Drag {
  mode: 'pan' | 'box';
  pointerId: number;
  x: number;
  y: number;
  view: View;
  scrollTop: number;
  t: number;
  contentY: number;
  moved: boolean;
}

function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

export function attachInteraction(host: InteractionHost, doc: Document): () => void {
  const { canvas, scroller } = host;
  let drag: Drag | null = null;
  let pointerX: number | null = null;

  const local = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const width = () => canvas.getBoundingClientRect().width || 1;

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const { x, y } = local(e);
    const v = host.view();
    drag = {
      mode: e.shiftKey ? 'box' : 'pan',
      pointerId: e.pointerId,
      x,
      y,
      view: v,
      scrollTop: scroller.scrollTop,
      t: timeAtX(v, x, width()),
      contentY: y + scroller.scrollTop,
      moved: false,
    };
    canvas.setPointerCapture(e.pointerId);
    scroller.focus({ preventScroll: true });
    e.preventDefault();
  };

  const onPointerMove = (e: PointerEvent) => {
    const { x, y } = local(e);
    pointerX = x;
    if (!drag) {
      host.hover(host.hitAt(x, y), x, y);
      return;
    }
    const dx = x - drag.x;
    const dy = y - drag.y;
    if (!drag.moved && Math.abs(dx) < DRAG_THRESHOLD_PX && Math.abs(dy) < DRAG_THRESHOLD_PX) return;
    if (!drag.moved) {
      drag.moved = true;
      host.hover(null, x, y);
      if (drag.mode === 'pan') canvas.classList.add('tl-panning');
    }
    if (drag.mode === 'pan') {
      const nsPerPx = (drag.view.t1 - drag.view.t0) / width();
      host.setUserView(panBy(drag.view, -dx * nsPerPx, host.extent()), true);
      scroller.scrollTop = drag.scrollTop - dy;
    } else {
      const v = host.view();
      host.setBox({ t0: drag.t, t1: timeAtX(v, x, width()), y0: drag.contentY, y1: y + scroller.scrollTop }, false);
    }
  };

  const onPointerUp = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const d = drag;
    drag = null;
    canvas.classList.remove('tl-panning');
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    const { x, y } = local(e);
    if (!d.moved) {
      host.setBox(null, true);
      host.select(host.hitAt(x, y));
    } else if (d.mode === 'box') {
      const v = host.view();
      host.setBox({ t0: d.t, t1: timeAtX(v, x, width()), y0: d.contentY, y1: y + scroller.scrollTop }, true);
    }
  };

  const onPointerLeave = () => {
    pointerX = null;
    if (!drag) host.hover(null, 0, 0);
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const { x } = local(e);
    const v = host.view();
    const ax = Math.abs(e.deltaX);
    const ay = Math.abs(e.deltaY);
    if (e.shiftKey && !e.ctrlKey) {
      scroller.scrollTop += e.deltaY || e.deltaX;
      return;
    }
    if (ax > ay && !e.ctrlKey) {
      const nsPerPx = (v.t1 - v.t0) / width();
      host.setUserView(panBy(v, e.deltaX * nsPerPx, host.extent()), true);
      return;
    }
    if (ay === 0) return;
    const anchor = timeAtX(v, x, width());
    host.setUserView(zoomAt(v, anchor, wheelZoomFactor(e.deltaY, e.deltaMode), host.extent()));
    // What is under the pointer changed with the scale: refresh the tooltip.
    const { y } = local(e);
    host.hover(host.hitAt(x, y), x, y);
  };

  const onDblClick = (e: MouseEvent) => {
    const { x, y } = local(e);
    const hit = host.hitAt(x, y);
    if (hit) host.zoomToHit(hit);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
    // Buttons keep Enter/Space; everything else is ours while the timeline tab is shown.
    if (!canvas.isConnected || canvas.offsetParent === null) return;
    const v = host.view();
    const w = v.t1 - v.t0;
    const ext = host.extent();
    const anchor = pointerX !== null ? timeAtX(v, pointerX, width()) : (v.t0 + v.t1) / 2;
    const big = e.shiftKey ? 3 : 1;
    let handled = true;
    switch (e.key) {
      case 'w':
      case 'W':
      case '+':
      case '=':
        host.setUserView(zoomAt(v, anchor, Math.pow(KEY_ZOOM, big), ext));
        break;
      case 's':
      case 'S':
      case '-':
      case '_':
        host.setUserView(zoomAt(v, anchor, Math.pow(1 / KEY_ZOOM, big), ext));
        break;
      case 'a':
      case 'A':
      case 'ArrowLeft':
        host.setUserView(panBy(v, -w * KEY_PAN * big, ext), true);
        break;
      case 'd':
      case 'D':
      case 'ArrowRight':
        host.setUserView(panBy(v, w * KEY_PAN * big, ext), true);
        break;
      case 'ArrowUp':
        scroller.scrollTop -= 20 * big;
        break;
      case 'ArrowDown':
        scroller.scrollTop += 20 * big;
        break;
      case 'Home':
        host.setUserView(panBy(v, -v.t0, ext));
        break;
      case 'End':
        host.setUserView(panBy(v, ext - v.t1 + w * 0.02, ext));
        break;
      case 'f':
      case 'F':
      case '0':
        host.fit();
        break;
      case 'z':
      case 'Z':
        host.zoomToSelection();
        break;
      case 'Escape':
        host.clearSelection();
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', onPointerUp);
  canvas.addEventListener('pointercancel', onPointerUp);
  canvas.addEventListener('pointerleave', onPointerLeave);
  canvas.addEventListener('wheel', onWheel, { passive: false });
  canvas.addEventListener('dblclick', onDblClick);
  doc.addEventListener('keydown', onKeyDown);
  return () => {
    canvas.removeEventListener('pointerdown', onPointerDown);
    canvas.removeEventListener('pointermove', onPointerMove);
    canvas.removeEventListener('pointerup', onPointerUp);
    canvas.removeEventListener('pointercancel', onPointerUp);
    canvas.removeEventListener('pointerleave', onPointerLeave);
    canvas.removeEventListener('wheel', onWheel);
    canvas.removeEventListener('dblclick', onDblClick);
    doc.removeEventListener('keydown', onKeyDown);
  };
}
