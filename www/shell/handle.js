// The handle mount() resolves to: the documented API (README, "Embedding and the JS handle"),
// an EventTarget firing 'change', 'interactionend' and 'settled'. It puts the shell's parts together
// and keeps them private.

import { Controls } from './controls.js';
import { Shell } from './core.js';
import { pauseForInput } from './dom.js';
import { showDiagnostics } from './diagnostics.js';
import { Input } from './input.js';
import { Lists } from './lists.js';
import { Playback } from './playback.js';
import { Screen } from './screen.js';
import { fillHeader, followScreenWidth } from './skeleton.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';
import { Status } from './status.js';
import { Steps } from './steps.js';

// The downloads' module, fetched at the first download: the page's first paint does not
// wait for it.
const downloads = () => import('./exports.js');

export class CastlineHandle extends EventTarget {
  #shell;
  #screen;
  #playback;
  #status;
  #lists;
  #controls;
  #input;
  #steps;
  #diagnostics = [];
  #notices = [];
  #defaultView = null;
  #restoring = false;

  constructor(element, ui, { theme = 'auto' } = {}) {
    super();
    const shell = new Shell(element, ui, this);
    this.#shell = shell;
    this.#screen = new Screen(shell, theme);
    this.#playback = new Playback(shell);
    this.#status = new Status(shell);
    this.#lists = new Lists(shell);
    this.#controls = new Controls(shell);
    this.#input = new Input(shell, this.#status);
    this.#steps = new Steps(shell, this.#status);
    shell.playback = this.#playback;
    shell.lists = this.#lists;
    shell.screen = this.#screen;
    shell.render = (state) => {
      this.#lists.render(state);
      this.#status.render(state);
      this.#steps.render(state);
      this.#controls.render(state);
    };
  }

  // ---- public API ---------------------------------------------------------

  select(actorIds) {
    this.#playback.pause();
    this.#shell.api((v) => v.select(Array.from(actorIds ?? [], String)));
  }

  clear() {
    this.#playback.pause();
    this.#shell.api((v) => v.clear());
  }

  setTimeWindow(start, end) {
    this.#playback.pause();
    this.#shell.api((v) => v.setTimeWindow(start ?? null, end ?? null));
  }

  focusEvent(id) {
    this.#shell.api((v) => v.focusEvent(id ?? null));
  }

  /** "all": the events shown involve every selected actor; "any": at least one. */
  setMode(mode) {
    this.#shell.api((v) => v.setMode(mode === 'any' ? 'any' : 'all'));
  }

  /**
   * What the network's node sizes show: "events" (the default, in the whole story), or on the
   * time window "ties" (how many others an actor met) or "betweenness" (how often it lies
   * between two others).
   */
  setSize(measure) {
    this.#shell.api((v) => v.setSize(String(measure)));
  }

  /** Selects every actor of a group, in "any" mode. */
  selectGroup(groupId) {
    this.#playback.pause();
    this.#shell.api((v) => v.selectGroup(String(groupId)));
  }

  /**
   * Collapses a group into one mark on the network (`collapsed` false: expands it again). A
   * collapsed group holding a selected actor, the focused event's or the keyboard's is drawn
   * open while it does; in a big story's overview of communities the collapse waits.
   */
  collapseGroup(groupId, collapsed = true) {
    this.#shell.api((v) => v.collapseGroup(String(groupId), collapsed !== false));
  }

  /** null | { x, y, r, members }: a collapsed group's mark on the network canvas (CSS px). */
  groupMark(groupId) {
    const m = this.#shell.api((v) => v.groupMark(String(groupId)), false);
    return m ? { x: m[0], y: m[1], r: m[2], members: m[3] } : null;
  }

  state() {
    return this.#shell.api((v) => v.state(), false);
  }

  /** The story's steps: [{ title, text, sources: [{ name, quote, url }] }] (none: []). */
  steps() {
    return this.#shell.api((v) => v.steps(), false);
  }

  /**
   * Shows step `n` (from 1): its selection, window, focus and time span, with the network
   * framing its actors; the pictures glide there (stepped under prefers-reduced-motion).
   */
  goToStep(n) {
    this.#playback.pause();
    this.#shell.lists.focusFromList = true; // as the step bar: the page does not scroll
    this.#shell.api((v) => v.goToStep(Number(n), true));
  }

  /** The story as shown: title, groups, actors and events with resolved dates (ISO, UTC). */
  story() {
    return this.#shell.api((v) => storyOf(v), false);
  }

  /** { timeView: null | [startIso, endIso], camera: { k, x, y } } */
  view() {
    return this.#shell.api((v) => v.view(), false);
  }

  /** Restores a view() (missing fields take their defaults). */
  setView(view) {
    this.#shell.api((v) => v.setView(view ?? {}));
  }

  /** The view as it was when the story was mounted. */
  defaultView() {
    return this.#defaultView;
  }

  /** Zooms a canvas ("network" | "timeline") by `factor` (>1 in) around a point, the centre by default. */
  zoom(target, factor, x, y) {
    const c = this.#shell.centre(target);
    const zoom = { kind: 'zoom', on: target, factor: Number(factor), x: Number(x ?? c.x), y: Number(y ?? c.y) };
    this.#shell.api((v) => v.input(zoom));
  }

  pan(target, dx, dy) {
    this.#shell.api((v) => v.input({ kind: 'pan', on: target, dx: Number(dx) || 0, dy: Number(dy) || 0 }));
  }

  /** Resets a canvas's view: the whole network, or the whole story on the time axis. */
  fit(target) {
    this.#shell.api((v) => v.input({ kind: 'fit', on: target }));
  }

  /** null | { kind: "actor" | "event", id, label }: what the arrow keys are on. */
  keyboardItem() {
    return this.#shell.api((v) => v.keyboardItem() ?? null, false);
  }

  actorPosition(id) {
    return this.#shell.api((v) => v.actorPosition(String(id)) ?? null, false);
  }

  eventPosition(id) {
    return this.#shell.api((v) => v.eventPosition(String(id)) ?? null, false);
  }

  diagnostics() {
    return this.#shell.api((v) => v.diagnostics(), false);
  }

  /**
   * The picture or the data as a Blob: "png" (the picture as shown, at twice its CSS size),
   * "svg" (the same drawing as SVG), "json" (Castline JSON) or "csv" (the events sheet).
   */
  async exportBlob(kind) {
    return (await downloads()).exportBlob(this.#shell, this.#screen, kind);
  }

  /** Downloads exportBlob(kind) under a name made from the story's title. */
  async download(kind) {
    const blob = await this.exportBlob(kind);
    return (await downloads()).saveBlob(blob, this.#shell.head?.title, kind);
  }

  /** Sweeps a window of a sixth of the story through it; pauses at the end. */
  play() {
    if (this.#shell.stopped || this.#shell.destroyed) return;
    this.#playback.play();
  }

  pause() {
    this.#playback.pause();
  }

  get playing() {
    return this.#playback.playing;
  }

  /** True while a drag, pinch, wheel burst or playback is going on. */
  get interacting() {
    return this.#shell.interacting;
  }

  /** True while restore() applies a snapshot. */
  get restoring() {
    return this.#restoring;
  }

  /** Everything a link needs to show this view again. */
  snapshot() {
    return takeSnapshot(this.#shell);
  }

  /**
   * Shows a snapshot() again, leaving out what this story does not have;
   * returns those parts as sentences.
   */
  restore(snapshot, { glide = false } = {}) {
    this.#playback.pause();
    this.#restoring = true;
    try {
      return restoreSnapshot(this.#shell, snapshot ?? {}, glide);
    } finally {
      this.#restoring = false;
    }
  }

  /** Shows sentences about a link that could not be followed in full (none: hides them). */
  notice(messages) {
    this.#notices = Array.from(messages ?? [], String);
    showDiagnostics(this.#shell.ui.panel, this.#diagnostics, this.#notices);
  }

  destroy() {
    if (this.#shell.destroyed) return;
    this.#playback.pause();
    this.#status.destroy();
    this.#input.destroy();
    this.#screen.destroy();
    this.#shell.destroy();
  }

  get signal() {
    return this.#shell.signal;
  }

  // ---- setup (called once by mount, in two steps with a pause between) ----

  // Takes the viewer and its story's head; false if that failed (the panel says why).
  // `source` ({ text, name }) is what the viewer read, kept if it lacks the full build's downloads.
  adopt(glue, viewer, source, layoutWorker = null) {
    if (!this.#shell.adopt(glue, viewer, source)) return false;
    // A big story's layout starts in its worker while the rest of the page is built (the
    // full build's viewer, with which a big story is opened, can hand it over).
    // `layoutWorker` is worker.js's module, fetched while the story was read: without it
    // (it could not be fetched) the page lays the story out itself.
    if (typeof viewer.sendLayout === 'function') {
      layoutWorker?.then((module) => module?.layOutInWorker(this.#shell));
    }
    return true;
  }

  // Builds the DOM beside the canvases (shown by now) and starts drawing; false if the
  // viewer stopped. In three tasks: the controls, the lists, then the canvases' sizes (a
  // layout of all that came before), so that the start makes no long task (issue 17 §4).
  async start() {
    const shell = this.#shell;
    const { head, ui } = shell;
    const goOn = () => !shell.stopped && !shell.destroyed;
    fillHeader(ui.header, head, ui.aboutId, shell.signal);
    followScreenWidth(ui, shell.signal);
    this.#controls.start(head, {
      download: (kind) => this.download(kind),
      announce: (text) => this.#status.announce(text, 0),
    });
    await pauseForInput();
    if (!goOn()) return false;
    const pages = shell.call((v) => v.listPages()) ?? { events: true, actors: true };
    this.#lists.start(head, pages);
    this.#playback.start();
    this.#steps.start();
    this.#input.start();
    await pauseForInput();
    if (!goOn()) return false;
    this.#screen.start();
    // The problems show with the view they are about, when mount() resolves: an alert before
    // the handle exists would read as a failure to the page around it.
    this.#diagnostics = shell.call((v) => v.diagnostics()) ?? [];
    showDiagnostics(ui.panel, this.#diagnostics, this.#notices);
    this.#defaultView = shell.call((v) => v.view()) ?? null;
    shell.changed();
    return goOn();
  }
}

// The whole story for the handle's story(), made when it is called and not kept: the page
// itself asks the viewer for what it shows (head(), actorItems(), eventItems(), search()).
// Events taken from the viewer at a time: a part of W4 (200,000 events) is a task of about
// 40 ms here, under the 50 ms that counts as a long task.
const EVENTS_PER_PART = 4000;

// The viewer's story with each event's actors as { id, name }: the viewer sends their
// positions in `actors` (a big story's view is a third smaller), and one object per actor is
// shared by every event it is in.
function storyOf(viewer) {
  const story = viewer.story();
  const refs = story.actors.map((a) => ({ id: a.id, name: a.name }));
  for (let first = 0; first < story.eventCount; first += EVENTS_PER_PART) {
    for (const event of viewer.events(first, EVENTS_PER_PART)) {
      event.actors = event.actors.map((i) => refs[i]);
      story.events.push(event);
    }
  }
  delete story.eventCount;
  return story;
}
