// Pointer, touch, wheel and keyboard input on the two canvases, forwarded to the Rust Viewer,
// which owns hit-testing, drags and zoom; here are only what the browser's events need: which
// pointers are down, a pinch's two fingers, a long press's tooltip, the keyboard's ring.

import { BUTTON_ZOOM } from './core.js';

// Keys the viewer handles on a focused canvas (Escape is the page's).
const VIEWER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', ' ', 'Home', 'End']);

const LONG_PRESS_MS = 500;
const LONG_PRESS_SLOP_PX = 6;

export class Input {
  #shell;
  #status;
  #keyboardTarget = null;
  #touchTipTimer = 0;

  // `status` announces the item the arrow keys reach.
  constructor(shell, status) {
    this.#shell = shell;
    this.#status = status;
  }

  start() {
    const shell = this.#shell;
    const { ui, signal } = shell;
    this.#wireCanvas(ui.networkCanvas, 'network');
    this.#wireCanvas(ui.timelineCanvas, 'timeline');

    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      shell.userAction();
      shell.call((v) => v.clear());
      ui.tooltip.hidden = true;
      shell.changed();
    }, { signal });

    // A long-press tooltip goes at the next touch anywhere.
    document.addEventListener('pointerdown', () => this.#hideTouchTip(), { signal, capture: true });
  }

  destroy() {
    clearTimeout(this.#touchTipTimer);
  }

  #wireCanvas(canvas, target) {
    const shell = this.#shell;
    const { tooltip } = shell.ui;
    const signal = shell.signal;
    const pointers = new Map(); // pointerId → { x, y } relative to the canvas
    let press = null; // the one pointer the viewer is told about
    let pinch = null; // { dist, mid } of two touch pointers

    const local = (e) => {
      const rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    };
    const additive = (e) => e.shiftKey || e.ctrlKey || e.metaKey;
    const measure = () => {
      const [a, b] = [...pointers.values()];
      return { dist: Math.hypot(b.x - a.x, b.y - a.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
    };
    const stopTimer = () => {
      if (press?.timer) clearTimeout(press.timer);
      if (press) press.timer = 0;
    };
    // Touch: holding still shows the tooltip instead of selecting.
    const longPress = () => {
      if (!press || press.moved) return;
      press.timer = 0;
      press.long = true;
      shell.call((v) => v.pointerCancel());
      const answer = shell.call((v) => v.pointerMove(target, press.x0, press.y0));
      if (answer && answer.text) {
        this.#showTooltip(answer, canvas.getBoundingClientRect());
        clearTimeout(this.#touchTipTimer);
        this.#touchTipTimer = setTimeout(() => this.#hideTouchTip(), 5000);
      }
      shell.changed();
    };

    canvas.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      const p = local(e);
      pointers.set(e.pointerId, p);
      try { canvas.setPointerCapture(e.pointerId); } catch { /* the pointer is already gone */ }
      if (pointers.size === 1) {
        shell.userAction();
        shell.begin(target);
        tooltip.hidden = true;
        shell.call((v) => v.pointerDown(target, p.x, p.y, additive(e)));
        press = { id: e.pointerId, x0: p.x, y0: p.y, moved: false, long: false, timer: 0 };
        if (e.pointerType === 'touch') press.timer = setTimeout(longPress, LONG_PRESS_MS);
        shell.changed();
      } else if (pointers.size === 2) {
        // A second finger: the one-finger drag is abandoned for a pinch.
        if (press) {
          stopTimer();
          if (!press.long) shell.call((v) => v.pointerCancel());
          press = null;
        }
        this.#hideTouchTip();
        pinch = measure();
        shell.changed();
      }
    }, { signal });

    canvas.addEventListener('pointermove', (e) => {
      const p = local(e);
      if (pointers.has(e.pointerId)) pointers.set(e.pointerId, p);
      if (pinch) {
        if (!pointers.has(e.pointerId) || pointers.size < 2) return;
        const now = measure();
        const factor = pinch.dist > 0 ? now.dist / pinch.dist : 1;
        // A step of the viewer's gesture, which a pause ends (its lighter picture with it).
        shell.call((v) => v.pinch(target, factor, now.mid.x, now.mid.y, now.mid.x - pinch.mid.x, now.mid.y - pinch.mid.y));
        pinch = now;
        shell.requestFrame();
        return;
      }
      if (press && e.pointerId === press.id) {
        if (press.long) return;
        if (!press.moved && Math.hypot(p.x - press.x0, p.y - press.y0) > LONG_PRESS_SLOP_PX) {
          press.moved = true;
          stopTimer();
        }
        shell.call((v) => v.pointerMove(target, p.x, p.y)); // drags; no tooltip meanwhile
        tooltip.hidden = true;
        shell.requestFrame();
        return;
      }
      if (pointers.size || (e.pointerType !== 'mouse' && e.pointerType !== 'pen')) return;
      const answer = shell.call((v) => v.pointerMove(target, p.x, p.y));
      if (answer && answer.text) this.#showTooltip(answer, canvas.getBoundingClientRect());
      else tooltip.hidden = true;
      // Something under the pointer is something to click.
      canvas.classList.toggle('castline-over-item', Boolean(answer));
      shell.requestFrame();
    }, { signal });

    const finish = (e, cancelled) => {
      if (!pointers.has(e.pointerId)) return;
      pointers.delete(e.pointerId);
      if (press && e.pointerId === press.id) {
        stopTimer();
        const { long } = press;
        press = null;
        if (!long) {
          const p = local(e);
          if (cancelled) shell.call((v) => v.pointerCancel());
          else shell.call((v) => v.pointerUp(target, p.x, p.y, additive(e)));
        }
        shell.sync();
      }
      if (pinch && pointers.size < 2) pinch = null;
      if (pointers.size === 0) shell.end(target);
      shell.requestFrame();
    };
    canvas.addEventListener('pointerup', (e) => finish(e, false), { signal });
    canvas.addEventListener('pointercancel', (e) => finish(e, true), { signal });

    canvas.addEventListener('pointerleave', (e) => {
      if (pointers.size) return;
      if (e.pointerType === 'touch' && this.#touchTipTimer) return; // keep the long-press tooltip
      shell.call((v) => v.pointerLeave());
      tooltip.hidden = true;
      canvas.classList.remove('castline-over-item');
      shell.requestFrame();
    }, { signal });

    // A long press on a touch screen is ours (the tooltip), not the browser's menu.
    canvas.addEventListener('contextmenu', (e) => {
      if (press?.long || this.#touchTipTimer) e.preventDefault();
    }, { signal });

    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const p = local(e);
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? canvas.clientHeight || 400 : 1;
      // A burst of turns ends with the viewer's gesture, at a pause (the frame loop sees it).
      shell.begin('wheel');
      shell.call((v) => v.wheel(target, p.x, p.y, e.deltaY * unit));
      shell.requestFrame();
    }, { passive: false, signal });

    // Keyboard: the viewer draws a ring on its current item while the
    // canvas has the keyboard's focus (not after a mere click).
    canvas.addEventListener('focus', () => {
      if (canvas.matches(':focus-visible')) this.#keyboardOn(target);
    }, { signal });
    canvas.addEventListener('blur', () => {
      if (this.#keyboardTarget !== target) return;
      this.#keyboardTarget = null;
      shell.call((v) => v.setKeyboardFocus(null));
      shell.requestFrame();
    }, { signal });
    canvas.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const c = shell.centre(target);
      const zoomKeys = { '+': BUTTON_ZOOM, '=': BUTTON_ZOOM, '-': 1 / BUTTON_ZOOM };
      if (e.key in zoomKeys || e.key === '0') {
        e.preventDefault();
        if (e.key === '0') shell.call((v) => v.fit(target));
        else shell.call((v) => v.zoom(target, zoomKeys[e.key], c.x, c.y));
        shell.changed();
        return;
      }
      if (!VIEWER_KEYS.has(e.key)) return;
      if (this.#keyboardTarget !== target) this.#keyboardOn(target, false);
      if (e.key === 'Enter' || e.key === ' ') shell.userAction();
      const handled = shell.call((v) => v.key(target, e.key));
      if (handled) e.preventDefault();
      shell.changed();
      if (handled && e.key !== 'Enter' && e.key !== ' ') this.#status.announceKeyboardItem();
    }, { signal });
  }

  #keyboardOn(target, announce = true) {
    const shell = this.#shell;
    this.#keyboardTarget = target;
    shell.call((v) => v.setKeyboardFocus(target));
    if (announce) this.#status.announceKeyboardItem();
    shell.requestFrame();
  }

  #hideTouchTip() {
    const shell = this.#shell;
    if (!this.#touchTipTimer) return;
    clearTimeout(this.#touchTipTimer);
    this.#touchTipTimer = 0;
    shell.ui.tooltip.hidden = true;
    shell.call((v) => v.pointerLeave());
    shell.requestFrame();
  }

  #showTooltip(answer, rect) {
    const { tooltip } = this.#shell.ui;
    if (tooltip.textContent !== answer.text) tooltip.textContent = answer.text;
    tooltip.hidden = false;
    // Anchor beside the point, then keep the whole box inside the viewport.
    const margin = 8;
    const viewportWidth = document.documentElement.clientWidth;
    const viewportHeight = document.documentElement.clientHeight;
    const w = tooltip.offsetWidth;
    const h = tooltip.offsetHeight;
    let left = rect.left + answer.x + 12;
    let top = rect.top + answer.y + 12;
    if (left + w > viewportWidth - margin) left = rect.left + answer.x - w - 12;
    if (top + h > viewportHeight - margin) top = rect.top + answer.y - h - 12;
    left = Math.min(Math.max(margin, left), Math.max(margin, viewportWidth - w - margin));
    top = Math.min(Math.max(margin, top), Math.max(margin, viewportHeight - h - margin));
    tooltip.style.left = `${Math.round(left)}px`;
    tooltip.style.top = `${Math.round(top)}px`;
  }
}
