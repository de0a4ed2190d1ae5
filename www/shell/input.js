// Pointer, touch, wheel and keyboard input on the two canvases, forwarded to the Rust Viewer
// as typed inputs (`viewer.input`, src/view/input.rs), which owns what they make: a click
// within the press slop, a drag, a long press, a pinch, a hover. Here is only the DOM's part:
// coordinates, pointer capture, the browser's defaults, the tooltip's box and how long a long
// press's tooltip stays, the keyboard's ring.

import { BUTTON_ZOOM } from './core.js';
import { storyImage } from './dom.js';

// Keys the viewer handles on a focused canvas (Escape is the page's).
const VIEWER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', ' ', 'Home', 'End']);

// How long a long press's tooltip stays if no touch comes first (ms).
const TOUCH_TIP_MS = 5000;

export class Input {
  #shell;
  #status;
  #keyboardTarget = null;
  #touchTipTimer = 0;
  // The URL of the tooltip's picture ('' for none), to rebuild it only when it changes.
  #tipImage = '';
  // Per canvas, the timer that tells the viewer a press may have become a long press.
  #wake = { network: 0, timeline: 0 };

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
    clearTimeout(this.#wake.network);
    clearTimeout(this.#wake.timeline);
  }

  // One input to the viewer (view::input::Input); its outcome, or undefined if it stopped.
  #send(input) {
    return this.#shell.call((v) => v.input(input));
  }

  #wireCanvas(canvas, target) {
    const shell = this.#shell;
    const { tooltip } = shell.ui;
    const signal = shell.signal;
    let holding = false; // a long press is held here: the browser's menu is not wanted

    const local = (e) => {
      const rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    };
    const pointer = (e) => {
      const p = local(e);
      return { on: target, pointer: e.pointerId, device: e.pointerType, x: p.x, y: p.y };
    };
    const tick = () => {
      this.#wake[target] = 0;
      show(this.#send({ kind: 'tick', on: target, timeMs: performance.now() }));
      shell.changed();
    };
    // What the viewer's outcome asks of the page.
    const show = (out) => {
      if (!out) return;
      holding = out.holding;
      if (out.tooltip === 'hide') tooltip.hidden = true;
      else if (out.tooltip?.show) {
        this.#showTooltip(out.tooltip.show, canvas.getBoundingClientRect());
        // A long press's tooltip stays a while after the finger lifts.
        if (out.holding) {
          clearTimeout(this.#touchTipTimer);
          this.#touchTipTimer = setTimeout(() => this.#hideTouchTip(), TOUCH_TIP_MS);
        }
      }
      if (out.overItem !== null) canvas.classList.toggle('castline-over-item', out.overItem);
      // A press that may become long: the viewer is told when its time is up.
      if (out.wakeInMs !== null) {
        clearTimeout(this.#wake[target]);
        this.#wake[target] = setTimeout(tick, out.wakeInMs);
      }
    };
    // A press, a drag or a pinch is an interaction until its last pointer lets go.
    const pressing = (out) => {
      if (out?.pressing) shell.begin(target);
      else shell.end(target);
    };

    canvas.addEventListener('pointerdown', (e) => {
      // A mouse's other buttons are the browser's (its menu).
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      try { canvas.setPointerCapture(e.pointerId); } catch { /* the pointer is already gone */ }
      shell.userAction();
      const out = this.#send({ kind: 'pointerDown', ...pointer(e), timeMs: performance.now() });
      show(out);
      pressing(out);
      shell.changed();
    }, { signal });

    canvas.addEventListener('pointermove', (e) => {
      show(this.#send({ kind: 'pointerMove', ...pointer(e) }));
      shell.requestFrame();
    }, { signal });

    const finish = (e, cancelled) => {
      let out;
      if (cancelled) out = this.#send({ kind: 'pointerCancel', on: target, pointer: e.pointerId });
      else {
        const p = local(e);
        const additive = e.shiftKey || e.ctrlKey || e.metaKey;
        out = this.#send({ kind: 'pointerUp', on: target, pointer: e.pointerId, x: p.x, y: p.y, additive });
      }
      show(out);
      shell.sync();
      pressing(out);
      shell.requestFrame();
    };
    canvas.addEventListener('pointerup', (e) => finish(e, false), { signal });
    canvas.addEventListener('pointercancel', (e) => finish(e, true), { signal });

    canvas.addEventListener('pointerleave', (e) => {
      if (e.pointerType === 'touch' && this.#touchTipTimer) return; // keep the long-press tooltip
      show(this.#send({ kind: 'pointerLeave', on: target }));
      shell.requestFrame();
    }, { signal });

    // A long press on a touch screen is ours (the tooltip), not the browser's menu.
    canvas.addEventListener('contextmenu', (e) => {
      if (holding || this.#touchTipTimer) e.preventDefault();
    }, { signal });

    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const p = local(e);
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? canvas.clientHeight || 400 : 1;
      // A burst of turns ends with the viewer's gesture, at a pause (the frame loop sees it).
      shell.begin('wheel');
      this.#send({ kind: 'wheel', on: target, x: p.x, y: p.y, deltaY: e.deltaY * unit });
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
      this.#send({ kind: 'keyboardFocus', on: null });
      shell.requestFrame();
    }, { signal });
    canvas.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const c = shell.centre(target);
      const zoomKeys = { '+': BUTTON_ZOOM, '=': BUTTON_ZOOM, '-': 1 / BUTTON_ZOOM };
      if (e.key in zoomKeys || e.key === '0') {
        e.preventDefault();
        if (e.key === '0') this.#send({ kind: 'fit', on: target });
        else this.#send({ kind: 'zoom', on: target, factor: zoomKeys[e.key], x: c.x, y: c.y });
        shell.changed();
        return;
      }
      if (!VIEWER_KEYS.has(e.key)) return;
      if (this.#keyboardTarget !== target) this.#keyboardOn(target, false);
      if (e.key === 'Enter' || e.key === ' ') shell.userAction();
      const handled = this.#send({ kind: 'key', on: target, key: e.key })?.used;
      if (handled) e.preventDefault();
      shell.changed();
      if (handled && e.key !== 'Enter' && e.key !== ' ') this.#status.announceKeyboardItem();
    }, { signal });
  }

  #keyboardOn(target, announce = true) {
    const shell = this.#shell;
    this.#keyboardTarget = target;
    this.#send({ kind: 'keyboardFocus', on: target });
    if (announce) this.#status.announceKeyboardItem();
    shell.requestFrame();
  }

  #hideTouchTip() {
    const shell = this.#shell;
    if (!this.#touchTipTimer) return;
    clearTimeout(this.#touchTipTimer);
    this.#touchTipTimer = 0;
    shell.ui.tooltip.hidden = true;
    this.#send({ kind: 'dismiss' });
    shell.requestFrame();
  }

  #showTooltip(answer, rect) {
    const { tooltip } = this.#shell.ui;
    // The words, and above them the first picture of what is hovered (sized by the CSS, so
    // the box is placed right before the image has loaded).
    const image = answer.image?.url ?? '';
    if (tooltip.textContent !== answer.text || this.#tipImage !== image) {
      this.#tipImage = image;
      const img = storyImage(answer.image?.url, answer.image?.alt, 'castline-tooltip-image');
      tooltip.replaceChildren(...(img ? [img] : []), document.createTextNode(answer.text));
    }
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
