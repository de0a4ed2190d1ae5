// Play: a window of a sixth of the story swept through it, driven by the shell's frame loop,
// and the play button that starts and pauses it.

import { playIcon } from './dom.js';

const DAY_MS = 86_400_000;

// The whole sweep when animated, or the pause between whole-window
// steps when the reader prefers reduced motion.
const SPEEDS = {
  slow: { sweepMs: 40_000, stepMs: 3000 },
  normal: { sweepMs: 20_000, stepMs: 1500 },
  fast: { sweepMs: 8000, stepMs: 750 },
};

// "2025-10-24T06:00:00Z" for the viewer (whole seconds, UTC).
function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Playback {
  #shell;
  #play = null;

  constructor(shell) {
    this.#shell = shell;
  }

  get playing() {
    return this.#play !== null;
  }

  // The button, once the story is known (without a span in time there is nothing to sweep).
  start() {
    const { play } = this.#shell.ui;
    play.disabled = !this.#shell.head.spanMs;
    this.#show();
    play.addEventListener('click', () => {
      if (this.#play) this.pause();
      else this.play();
    }, { signal: this.#shell.signal });
  }

  play() {
    const shell = this.#shell;
    const [start, end] = shell.head?.spanMs ?? [];
    if (start === undefined || this.#play) return;
    const extent = { start, end };
    const span = extent.end - extent.start;
    const width = Math.max(60_000, Math.round(span / 6 / 60_000) * 60_000);
    const last = extent.end - width;
    let from = extent.start;
    // Resume from the window shown, if it is one of the sweep's.
    const shown = shell.call((v) => v.summary())?.timeWindow;
    if (shown && shown[0] && shown[0] !== '..') {
      const at = Date.parse(shown[0]);
      if (Number.isFinite(at) && at > extent.start && at < last) from = at;
    }
    this.#play = { from, width, last, pos: from, clock: null, timer: 0 };
    shell.begin('play');
    this.#show();
    this.#setWindow();
    shell.requestFrame();
  }

  pause() {
    if (!this.#play) return;
    clearTimeout(this.#play.timer);
    this.#play = null;
    this.#show();
    this.#shell.end('play');
  }

  // The viewer stopped: nothing more is drawn or shown.
  forget() {
    this.#play = null;
  }

  // Moves the window on; returns how long to wait for the next frame (0:
  // the next one), or null when playback ended.
  advance(now) {
    const p = this.#play;
    const speed = SPEEDS[this.#shell.ui.speed.value] ?? SPEEDS.normal;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (p.clock === null) {
      p.clock = now;
      return reduced ? speed.stepMs : 0;
    }
    if (reduced) {
      const due = p.clock + speed.stepMs;
      if (now < due - 8) return due - now;
      p.clock = now;
      p.pos = Math.min(p.pos + p.width, p.last);
    } else {
      const dt = Math.min(now - p.clock, 100);
      p.clock = now;
      p.pos = Math.min(p.pos + ((p.last - this.#shell.head.spanMs[0]) * dt) / speed.sweepMs, p.last);
    }
    this.#setWindow();
    if (p.pos >= p.last) {
      this.pause();
      return null;
    }
    return reduced ? speed.stepMs : 0;
  }

  // Asks for a frame after `wait` ms (a reduced-motion step).
  wake(wait) {
    clearTimeout(this.#play.timer);
    this.#play.timer = setTimeout(() => this.#shell.requestFrame(), wait);
  }

  #setWindow() {
    const p = this.#play;
    const start = Math.round(p.pos / 60_000) * 60_000;
    let end = start + p.width;
    // An end at midnight would be read back as that whole day.
    if (end % DAY_MS === 0) end -= 60_000;
    this.#shell.call((v) => v.setTimeWindow(isoTime(start), isoTime(end)));
    this.#shell.sync();
  }

  #show() {
    const { play } = this.#shell.ui;
    const playing = this.#play !== null;
    play.replaceChildren(playIcon(playing), document.createTextNode(playing ? 'Pause' : 'Play'));
    play.classList.toggle('castline-playing', playing);
  }
}
