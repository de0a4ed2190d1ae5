// The shell's core, shared by its parts: every call into the wasm Viewer, the one frame loop,
// and the state → DOM step after each change. Rust owns the state; this mirrors it.
//
// A Shell is internal: the public handle (handle.js) keeps it private. The parts (playback,
// lists, status, controls, input, screen) are given it and reach each other through it.

import { showFatal } from './diagnostics.js';
import { panicMessage } from './wasm.js';

// The −/+ buttons' and keys' zoom step.
export const BUTTON_ZOOM = 1.25;

export class Shell {
  viewer = null;
  glue = null;
  // The story's head (the viewer's head()): title, groups, counts, span. The page keeps no
  // more of the story; it asks the viewer for the items it shows.
  head = null;
  // The data text and its name, kept only when the first build read it: the full build reads
  // it again for the SVG, JSON and CSV downloads.
  source = null;
  stopped = false;
  destroyed = false;
  abort = new AbortController();
  // The parts, set by the handle; render(summary) shows a change in the DOM.
  playback = null;
  lists = null;
  render = () => {};
  #raf = 0;
  #lastVersion = -1;
  #interactions = new Set();
  // Whether the network was still at the last frame (null before the first).
  #settled = null;

  // `events` is the EventTarget that fires 'change' and 'interactionend' (the handle).
  constructor(element, ui, events) {
    this.element = element;
    this.ui = ui;
    this.events = events;
  }

  get signal() {
    return this.abort.signal;
  }

  // Takes the viewer and its story's head; false if that failed (the panel says why).
  // `source` ({ text, name }) is what the viewer read, kept if it lacks the full build's downloads.
  adopt(glue, viewer, source) {
    this.glue = glue;
    this.viewer = viewer;
    // The full build's viewer has the downloads itself; a big text is not kept for nothing.
    this.source = typeof viewer.svg === 'function' ? null : source;
    this.head = this.call((v) => v.head()) ?? null;
    return this.head !== null;
  }

  // ---- calls into the wasm -------------------------------------------------

  // Every call into the viewer from input handlers and the frame loop goes
  // through here: any throw there is unexpected, so the page says so.
  call(fn) {
    if (this.stopped || this.destroyed || !this.viewer) return undefined;
    try {
      return fn(this.viewer);
    } catch (error) {
      this.stop(error);
      return undefined;
    }
  }

  // Public methods let ordinary errors (unknown id, bad date) reach the
  // caller; only a trap (a Rust panic) stops the page.
  api(fn, changes = true) {
    if (this.destroyed) throw new Error('Castline: this view was destroyed');
    if (this.stopped || !this.viewer) throw new Error('Castline has stopped');
    let result;
    try {
      result = fn(this.viewer);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) this.stop(error);
      throw error;
    }
    if (changes) this.changed();
    return result;
  }

  stop(error) {
    if (this.stopped) return;
    this.stopped = true;
    this.playback?.forget();
    this.#cancelFrame();
    const message = `Castline stopped: ${panicMessage(this.glue) || error?.message || String(error)}`;
    showFatal(this.ui, message);
    this.ui.tooltip.hidden = true;
    console.error(message, error);
  }

  destroy() {
    this.destroyed = true;
    this.abort.abort();
    this.#cancelFrame();
    try { this.viewer?.free(); } catch { /* already gone after a panic */ }
    this.viewer = null;
    this.element.replaceChildren();
  }

  // ---- frame loop ----------------------------------------------------------

  // One rAF loop drives the viewer and playback; everything else only asks
  // for a frame, and at most one is ever pending.
  requestFrame() {
    if (this.#raf || this.stopped || this.destroyed) return;
    this.#raf = requestAnimationFrame((now) => {
      this.#raf = 0;
      const more = this.call((v) => v.frame(now));
      if (this.#interactions.has('wheel') && this.call((v) => v.gesturing()) === false) this.end('wheel');
      const progress = this.call((v) => v.layoutProgress()) ?? 1;
      this.ui.layoutProgress.hidden = progress >= 1;
      this.ui.layoutProgress.value = progress;
      // 'settled' once the network is still: at the first frame when it opens at rest, or
      // when a layout that ran comes to rest.
      const settled = progress >= 1;
      if (settled && this.#settled !== true) this.events.dispatchEvent(new Event('settled'));
      this.#settled = settled;
      this.sync();
      this.screen?.afterFrame();
      this.lists?.afterFrame();
      this.playback?.afterFrame();
      if (more) this.requestFrame();
    });
  }

  #cancelFrame() {
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
  }

  // A discrete change: show it now.
  changed() {
    this.sync();
    this.requestFrame();
  }

  // Anything the reader selects stops playback.
  userAction() {
    this.playback?.pause();
  }

  centre(target) {
    const canvas = target === 'timeline' ? this.ui.timelineCanvas : this.ui.networkCanvas;
    return { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 };
  }

  // ---- continuous interactions ----------------------------------------------

  // A drag, pinch, wheel burst or playback: listeners (the URL fragment)
  // record its end state once instead of every step.
  begin(reason) {
    this.#interactions.add(reason);
  }

  end(reason) {
    if (!this.#interactions.delete(reason)) return;
    if (this.lists?.due) this.requestFrame();
    if (this.#interactions.size) return;
    this.sync();
    this.events.dispatchEvent(new Event('interactionend'));
  }

  /** True while a drag, pinch, wheel burst or playback is going on. */
  get interacting() {
    return this.#interactions.size > 0;
  }

  // A drag, pinch or wheel burst: playback is an interaction too, but its lists follow it.
  get dragging() {
    return [...this.#interactions].some((reason) => reason !== 'play');
  }

  // ---- state → DOM ---------------------------------------------------------

  sync() {
    if (this.stopped || this.destroyed) return;
    const version = this.call((v) => v.version());
    if (version === undefined || version === this.#lastVersion) return;
    this.#lastVersion = version;
    // Counts rather than lists: the cost of a change must not grow with the story.
    const summary = this.call((v) => v.summary());
    if (!summary) return;
    this.render(summary);
    this.events.dispatchEvent(new CustomEvent('change', { detail: this.#changeDetail(summary) }));
  }

  // state() as of this change, with the visible ids made from the positions taken now only
  // when read: a listener that never reads them (the URL fragment) costs a copy of numbers,
  // not 200,000 strings.
  #changeDetail(summary) {
    const { selectedActors, mode, timeWindow, focusedEvent } = summary;
    const { actorCount, eventCount } = this.head;
    const indices = (n, all, fetch) => (n === all ? null : this.call(fetch) ?? []);
    const events = indices(summary.visibleEventCount, eventCount, (v) => v.visibleEventIndices());
    const actors = indices(summary.visibleActorCount, actorCount, (v) => v.visibleActorIndices());
    const detail = { selectedActors, mode, timeWindow };
    let visibleEvents = null;
    let visibleActors = null;
    Object.defineProperty(detail, 'visibleEvents', {
      enumerable: true,
      get: () => (visibleEvents ??= this.call((v) => v.eventIds(events)) ?? []),
    });
    Object.defineProperty(detail, 'visibleActors', {
      enumerable: true,
      get: () => (visibleActors ??= this.call((v) => v.actorIds(actors)) ?? []),
    });
    detail.focusedEvent = focusedEvent;
    detail.step = summary.step ?? null;
    detail.size = summary.size;
    detail.layout = summary.layout;
    detail.collapsedGroups = summary.collapsedGroups ?? [];
    return detail;
  }
}
