// Castline's embeddable page shell. Rust (www/pkg) owns state, layout,
// hit-testing, gestures and drawing; this module only builds the DOM around
// the two canvases, forwards input and mirrors the viewer's state into the
// DOM (the event list, the actor buttons, the labels and announcements).
//
// Data is never code: text from the story reaches the DOM only through
// textContent / createTextNode, links only with http(s) schemes, colours
// only as #rrggbb.

import { buildSearch, searchEntries } from './search.js';

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const SVG_NS = 'http://www.w3.org/2000/svg';
const DAY_MS = 86_400_000;

// Keys the viewer handles on a focused canvas (Escape is the page's).
const VIEWER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', ' ', 'Home', 'End']);

// Play: the whole sweep when animated, or the pause between whole-window
// steps when the reader prefers reduced motion.
const SPEEDS = {
  slow: { sweepMs: 40_000, stepMs: 3000 },
  normal: { sweepMs: 20_000, stepMs: 1500 },
  fast: { sweepMs: 8000, stepMs: 750 },
};

const LONG_PRESS_MS = 500;
// The PNG download is drawn at twice the CSS size, sharp on high-DPI screens and in print.
const EXPORT_PNG_RATIO = 2;
const LONG_PRESS_SLOP_PX = 6;
const BUTTON_ZOOM = 1.25;
// Small stories list every event and every actor in the DOM, showing and hiding them; big
// ones (the viewer's listPages() says which) list a page of them (the events around the
// focused one, the busiest actors in view), so a click never touches one DOM node per event.
const LIST_PAGE = 200;
const MIRROR_PAGE = 100;

const wasmPromises = new Map();
let viewCount = 0;

// The wasm is loaded lazily and once per page, so that a missing or broken
// build is reported inside the mounted element instead of breaking the
// import of this module. There are two builds of the same crate
// (docs/performance.md): the small first download (pkg/castline.js) shows a
// Castline JSON story that has nothing to report; the full build
// (pkg/castline_full.js) also reads CSV and TimelineJS and explains every
// problem with its line, column and field. It is fetched only when needed.
// (The paths are written out whole so that `make dist` can hash them.)
const BUILDS = {
  lite: ['./pkg/castline.js', './pkg/castline_bg.wasm'],
  full: ['./pkg/castline_full.js', './pkg/castline_full_bg.wasm'],
};

function loadWasm(build = 'lite') {
  if (!wasmPromises.has(build)) {
    const [js, wasm] = BUILDS[build];
    const promise = (async () => {
      const glue = await import(new URL(js, import.meta.url).href);
      await glue.default({ module_or_path: new URL(wasm, import.meta.url) });
      return glue;
    })();
    promise.catch(() => { wasmPromises.delete(build); });
    wasmPromises.set(build, promise);
  }
  return wasmPromises.get(build);
}

function loadFull() {
  return loadWasm('full').catch((error) => {
    throw new Error(`Castline could not load its full build (pkg/castline_full.js): ${error?.message || error}`);
  });
}

// A viewer of the story: the first build takes only clean Castline JSON and
// throws on anything else, and the full build then reads it again, reporting
// each problem (or saying why nothing could be read).
async function openViewer(glue, ui, text, name) {
  const open = (build) => {
    const viewer = new build.Viewer(ui.networkCanvas, ui.timelineCanvas, text, name);
    viewer.setLayers(ui.networkLayer, ui.timelineLayer);
    return { glue: build, viewer };
  };
  try {
    return open(glue);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw error;
  }
  const full = await loadFull();
  try {
    return open(full);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw error;
    throw new Error(`The story could not be loaded: ${error?.message || error}`);
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function button(className, text, label) {
  const b = el('button', className, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  return b;
}

// Returns the URL string only if it parses and is http(s); anything else
// (javascript:, data:, relative junk) is dropped.
function safeHttpUrl(value) {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function externalLink(href) {
  const a = el('a');
  a.href = href;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  return a;
}

// A quote that itself opens with a quoted word ("“bluntly” told …") keeps its own marks.
function quoted(text) {
  return /^[“"‘']/.test(text) ? text : `“${text}”`;
}

// A count as a reader reads it: "200,000", not "200000".
function count(n) {
  return Number(n).toLocaleString('en');
}

function plural(n, one, many) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

// The record a diagnostic is about: its location without the field (`row 3`,
// `events[1] "miami-talks"`), or null for a whole file, a sheet's header or the story's top
// level. The field comes last and is the reader's own name, so the last `, field "` starts it
// even when an id in the record's name holds those characters.
function recordOf(d) {
  const location = String(d.location ?? '');
  const cut = location.startsWith('field "') ? 0 : location.lastIndexOf(', field "');
  const at = cut >= 0 && location.endsWith('"') ? location.slice(0, cut) : location;
  return at === '' || at === 'whole file' || at === 'header' ? null : at;
}

function listInWords(items, last = 'and') {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

// "2025-11-26" reads better as "26 Nov 2025"; anything else is shown as written.
function publishedInWords(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (!m) return String(value);
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

// An ISO date or time from the viewer, in words: "17 Nov 2025", "17 Nov 2025 06:00 UTC".
function isoInWords(value) {
  const text = String(value);
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?/.exec(text);
  if (!m) return text;
  const day = publishedInWords(m[1]);
  return m[2] && `${m[2]}:${m[3]}` !== '00:00' ? `${day} ${m[2]}:${m[3]} UTC` : day;
}

// The viewer writes an open end of the time window as "..".
function windowInWords([start, end]) {
  const open = (value) => value === null || value === undefined || value === '..';
  if (open(start)) return `until ${isoInWords(end)}`;
  if (open(end)) return `from ${isoInWords(start)}`;
  return `from ${isoInWords(start)} to ${isoInWords(end)}`;
}

// "2025-10-24T06:00:00Z" for the viewer (whole seconds, UTC).
function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// A small shape beside a group's name: the same shape its nodes have on the
// canvas, so that groups differ by more than colour.
function shapeIcon(shape, colour) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'castline-shape');
  svg.setAttribute('viewBox', '0 0 14 14');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const polygon = (points) => {
    const node = document.createElementNS(SVG_NS, 'polygon');
    node.setAttribute('points', points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' '));
    return node;
  };
  const around = (n, radius, phase) => Array.from({ length: n }, (_, i) => {
    const a = phase + (i * 2 * Math.PI) / n;
    const r = typeof radius === 'function' ? radius(i) : radius;
    return [7 + r * Math.cos(a), 7 + r * Math.sin(a)];
  });
  let node;
  switch (shape) {
    case 'square':
      node = document.createElementNS(SVG_NS, 'rect');
      for (const [k, v] of [['x', '2'], ['y', '2'], ['width', '10'], ['height', '10']]) node.setAttribute(k, v);
      break;
    case 'triangle':
      node = polygon([[7, 1.2], [13, 12.3], [1, 12.3]]);
      break;
    case 'diamond':
      node = polygon([[7, 0.6], [13.4, 7], [7, 13.4], [0.6, 7]]);
      break;
    case 'hexagon':
      node = polygon(around(6, 6.3, Math.PI / 6));
      break;
    case 'star':
      node = polygon(around(10, (i) => (i % 2 ? 2.8 : 6.7), -Math.PI / 2));
      break;
    default:
      node = document.createElementNS(SVG_NS, 'circle');
      for (const [k, v] of [['cx', '7'], ['cy', '7'], ['r', '5.8']]) node.setAttribute(k, v);
  }
  node.setAttribute('fill', HEX_COLOUR.test(colour ?? '') ? colour : '#8a8f99');
  svg.append(node);
  return svg;
}

function playIcon(playing) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'castline-icon');
  svg.setAttribute('viewBox', '0 0 12 12');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const add = (tag, attrs) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.setAttribute('fill', 'currentColor');
    svg.append(node);
  };
  if (playing) {
    add('rect', { x: '2', y: '1.5', width: '3', height: '9' });
    add('rect', { x: '7', y: '1.5', width: '3', height: '9' });
  } else {
    add('polygon', { points: '2.5,1.5 10.5,6 2.5,10.5' });
  }
  return svg;
}

class CastlineHandle extends EventTarget {
  #viewer = null;
  #glue = null;
  #element;
  #ui;
  #story = null;
  #items = new Map();
  #actorNames = new Map();
  #actorsById = new Map();
  #eventsById = new Map();
  #groupMembers = new Map();
  #legendButtons = new Map();
  #mirrorButtons = new Map();
  #diagnostics = [];
  #notices = [];
  #defaultView = null;
  #lastVersion = -1;
  #lastState = null;
  #listedKey = '';
  #mirrorKey = '';
  #bigList = false;
  #bigMirror = false;
  // A big story's lists are rebuilt after the canvases have painted (their style and layout
  // would otherwise share the frame) and not during a drag or a wheel burst.
  #listsDue = false;
  #listsTimer = 0;
  #lastFocused = null;
  #focusFromList = false;
  #raf = 0;
  #stopped = false;
  #destroyed = false;
  #abort = new AbortController();
  #resizeObserver = null;
  #dprQuery = null;
  #lastSizes = '';
  // The last resize() and setTheme() arguments, for the full build's copy (#withFull).
  #sizes = null;
  #canvasTheme = null;
  // The data text and its name, kept only when the first build read it: the full build reads
  // it again for the SVG, JSON and CSV downloads.
  #source = null;
  #interactions = new Set();
  #restoring = false;
  #play = null;
  #extent = null;
  #keyboardTarget = null;
  #announceTimer = 0;
  #rendered = false;
  #touchTipTimer = 0;
  #theme = 'auto';

  constructor(element, ui, { theme = 'auto' } = {}) {
    super();
    this.#element = element;
    this.#ui = ui;
    this.#theme = theme === 'light' || theme === 'dark' ? theme : 'auto';
  }

  // ---- public API ---------------------------------------------------------

  select(actorIds) {
    this.#pause();
    this.#api((v) => v.select(Array.from(actorIds ?? [], String)));
  }

  clear() {
    this.#pause();
    this.#api((v) => v.clear());
  }

  setTimeWindow(start, end) {
    this.#pause();
    this.#api((v) => v.setTimeWindow(start ?? null, end ?? null));
  }

  focusEvent(id) {
    this.#api((v) => v.focusEvent(id ?? null));
  }

  /** "all": the events shown involve every selected actor; "any": at least one. */
  setMode(mode) {
    this.#api((v) => v.setMode(mode === 'any' ? 'any' : 'all'));
  }

  /** Selects every actor of a group, in "any" mode. */
  selectGroup(groupId) {
    this.#pause();
    this.#api((v) => v.selectGroup(String(groupId)));
  }

  state() {
    return this.#api((v) => v.state(), false);
  }

  /** The story as shown: title, groups, actors and events with resolved dates (ISO, UTC). */
  story() {
    return this.#api((v) => storyOf(v), false);
  }

  /** { timeView: null | [startIso, endIso], camera: { k, x, y } } */
  view() {
    return this.#api((v) => v.view(), false);
  }

  /** Restores a view() (missing fields take their defaults). */
  setView(view) {
    this.#api((v) => v.setView(view ?? {}));
  }

  /** The view as it was when the story was mounted. */
  defaultView() {
    return this.#defaultView;
  }

  /** Zooms a canvas ("network" | "timeline") by `factor` (>1 in) around a point, the centre by default. */
  zoom(target, factor, x, y) {
    const c = this.#centre(target);
    this.#api((v) => v.zoom(target, Number(factor), x ?? c.x, y ?? c.y));
  }

  pan(target, dx, dy) {
    this.#api((v) => v.pan(target, Number(dx) || 0, Number(dy) || 0));
  }

  /** Resets a canvas's view: the whole network, or the whole story on the time axis. */
  fit(target) {
    this.#api((v) => v.fit(target));
  }

  /** null | { kind: "actor" | "event", id, label }: what the arrow keys are on. */
  keyboardItem() {
    return this.#api((v) => v.keyboardItem() ?? null, false);
  }

  actorPosition(id) {
    return this.#api((v) => v.actorPosition(String(id)) ?? null, false);
  }

  eventPosition(id) {
    return this.#api((v) => v.eventPosition(String(id)) ?? null, false);
  }

  diagnostics() {
    return this.#api((v) => v.diagnostics(), false);
  }

  /**
   * The picture or the data as a Blob: "png" (the picture as shown, at twice its CSS size),
   * "svg" (the same drawing as SVG), "json" (Castline JSON) or "csv" (the events sheet).
   */
  async exportBlob(kind) {
    switch (kind) {
      case 'png': {
        const canvas = document.createElement('canvas');
        this.#api((v) => v.drawPicture(canvas, EXPORT_PNG_RATIO), false);
        return new Promise((resolve, reject) => {
          canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('Castline: the PNG could not be made'))), 'image/png');
        });
      }
      case 'svg':
        return new Blob([await this.#withFull((v) => v.svg())], { type: 'image/svg+xml' });
      case 'json':
        return new Blob([await this.#withFull((v) => v.castlineJson())], { type: 'application/json' });
      case 'csv':
        return new Blob([await this.#withFull((v) => v.eventsCsv())], { type: 'text/csv' });
      default:
        throw new Error(`Castline: cannot export “${kind}”; use png, svg, json or csv`);
    }
  }

  // The SVG, JSON and CSV downloads are only in the full build, so that the first download
  // stays small (issue 6). When the first build shows the story, the full build reads the same
  // text again into a viewer off screen, given this one's sizes, colours, selection, view and
  // node positions, so that its SVG is the picture as shown.
  async #withFull(fn) {
    if (!this.#source) return this.#api(fn, false);
    const full = await loadFull();
    const { text, name } = this.#source;
    const snapshot = this.snapshot();
    const placement = this.#api((v) => v.placement(), false);
    const copy = new full.Viewer(document.createElement('canvas'), document.createElement('canvas'), text, name);
    try {
      if (this.#sizes) copy.resize(...this.#sizes);
      if (this.#canvasTheme) copy.setTheme(this.#canvasTheme);
      this.#applySnapshot(copy, snapshot, (apply) => apply());
      copy.setPlacement(placement);
      return fn(copy);
    } finally {
      copy.free();
    }
  }

  /** Downloads exportBlob(kind) under a name made from the story's title. */
  async download(kind) {
    const blob = await this.exportBlob(kind);
    const base = (this.#story?.title ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'castline';
    const name = `${base}${kind === 'csv' ? '-events' : ''}.${kind}`;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    // The browser has taken the file by the next task; the URL is not needed after that.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return name;
  }

  /** Sweeps a window of a sixth of the story through it; pauses at the end. */
  play() {
    if (this.#stopped || this.#destroyed) return;
    this.#startPlay();
  }

  pause() {
    this.#pause();
  }

  get playing() {
    return this.#play !== null;
  }

  // A drag, pinch or wheel burst: playback is an interaction too, but its lists follow it.
  get #dragging() {
    return [...this.#interactions].some((reason) => reason !== 'play');
  }

  /** True while a drag, pinch, wheel burst or playback is going on. */
  get interacting() {
    return this.#interactions.size > 0;
  }

  /** True while restore() applies a snapshot. */
  get restoring() {
    return this.#restoring;
  }

  /** Everything a link needs to show this view again. */
  snapshot() {
    // The summary, not state(): a link needs no list of every visible event.
    const s = this.#api((v) => v.summary(), false);
    return {
      selectedActors: s.selectedActors,
      mode: s.mode ?? 'all',
      timeWindow: s.timeWindow,
      focusedEvent: s.focusedEvent,
      view: this.view(),
    };
  }

  /**
   * Shows a snapshot() again, leaving out what this story does not have;
   * returns those parts as sentences.
   */
  restore(snapshot) {
    const refused = [];
    const s = snapshot ?? {};
    this.#pause();
    this.#restoring = true;
    try {
      this.#call((v) => this.#applySnapshot(v, s, (fn, what) => {
        try {
          fn();
        } catch (error) {
          if (error instanceof WebAssembly.RuntimeError) throw error;
          refused.push(`${what}: ${error?.message || error}`);
        }
      }, refused));
      this.#focusFromList = true; // a link's focused event does not scroll the page
      this.#sync();
      this.#requestFrame();
    } finally {
      this.#restoring = false;
    }
    return refused;
  }

  // Shows a snapshot() on the wasm viewer `v`: `attempt(fn, what)` runs the parts that may not
  // fit this story, and `refused` gets the ids it does not have.
  #applySnapshot(v, s, attempt, refused = []) {
    v.clear();
    v.setMode(s.mode === 'any' ? 'any' : 'all');
    const known = [];
    for (const id of s.selectedActors ?? []) {
      if (this.#actorsById.has(id)) known.push(id);
      else refused.push(`there is no actor “${id}” in this story`);
    }
    if (known.length) v.select(known);
    if (s.timeWindow) {
      const [a, b] = s.timeWindow;
      attempt(() => v.setTimeWindow(a ?? null, b ?? null), `the time window ${a ?? ''}..${b ?? ''} was left out`);
    }
    if (s.focusedEvent) {
      if (this.#eventsById.has(s.focusedEvent)) v.focusEvent(s.focusedEvent);
      else refused.push(`there is no event “${s.focusedEvent}” in this story`);
    }
    attempt(() => v.setView(s.view ?? {}), 'the zoom was left out');
  }

  /** Shows sentences about a link that could not be followed in full (none: hides them). */
  notice(messages) {
    this.#notices = Array.from(messages ?? [], String);
    this.#showDiagnostics();
  }

  destroy() {
    if (this.#destroyed) return;
    this.#pause();
    this.#destroyed = true;
    this.#abort.abort();
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    clearTimeout(this.#announceTimer);
    clearTimeout(this.#touchTipTimer);
    this.#resizeObserver?.disconnect();
    try { this.#viewer?.free(); } catch { /* already gone after a panic */ }
    this.#viewer = null;
    this.#element.replaceChildren();
  }

  get signal() {
    return this.#abort.signal;
  }

  // ---- setup (called once by mount, in two steps with a pause between) ----

  // Takes the viewer and its story's view, a part of the events per task, saying how far
  // it got through `progress(share)`; false if that failed (the panel says why).
  // `source` ({ text, name }) is what the viewer read, kept if it lacks the full build's downloads.
  async adopt(glue, viewer, source, progress) {
    this.#glue = glue;
    this.#viewer = viewer;
    // The full build's viewer has the downloads itself; a big text is not kept for nothing.
    this.#source = typeof viewer.svg === 'function' ? null : source;
    // Each event is indexed, and the time span widened, in the part that brings it.
    const span = { start: Infinity, end: -Infinity };
    const take = (event) => {
      this.#eventsById.set(event.id, event);
      widenSpan(span, event);
    };
    const parts = this.#call(() => storyInParts(viewer, take));
    let part = parts && this.#call(() => parts.next());
    while (part && !part.done) {
      progress(part.value);
      await pauseForInput();
      part = this.#call(() => parts.next());
    }
    const story = part?.value;
    if (!story) return false;
    this.#story = story;
    for (const actor of story.actors) {
      this.#actorNames.set(actor.id, actor.name);
      this.#actorsById.set(actor.id, actor);
      if (actor.group) {
        if (!this.#groupMembers.has(actor.group)) this.#groupMembers.set(actor.group, []);
        this.#groupMembers.get(actor.group).push(actor.id);
      }
    }
    this.#extent = span.end > span.start ? span : null;
    return true;
  }

  // Builds the DOM beside the canvases (shown by now) and starts drawing; false if the
  // viewer stopped.
  start() {
    const story = this.#story;
    const viewer = this.#viewer;
    this.#buildHeader(story);
    this.#diagnostics = this.#call(() => viewer.diagnostics()) ?? [];
    this.#showDiagnostics();
    this.#buildSearch(story);
    this.#buildLegend(story);
    const pages = this.#call(() => viewer.listPages()) ?? { events: true, actors: true };
    this.#buildMirror(story, pages.actors);
    this.#buildEventList(story, pages.events);
    this.#ui.play.disabled = !this.#extent;
    this.#showPlaying();
    this.#wireInput();
    this.#followTheme();
    this.#watchSize();
    this.#defaultView = this.#call((v) => v.view()) ?? null;
    this.#sync();
    this.#requestFrame();
    return !this.#stopped;
  }

  // ---- calls into the wasm -------------------------------------------------

  // Every call into the viewer from input handlers and the frame loop goes
  // through here: any throw there is unexpected, so the page says so.
  #call(fn) {
    if (this.#stopped || this.#destroyed || !this.#viewer) return undefined;
    try {
      return fn(this.#viewer);
    } catch (error) {
      this.#stop(error);
      return undefined;
    }
  }

  // Public methods let ordinary errors (unknown id, bad date) reach the
  // caller; only a trap (a Rust panic) stops the page.
  #api(fn, changes = true) {
    if (this.#destroyed) throw new Error('Castline: this view was destroyed');
    if (this.#stopped || !this.#viewer) throw new Error('Castline has stopped');
    let result;
    try {
      result = fn(this.#viewer);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) this.#stop(error);
      throw error;
    }
    if (changes) {
      this.#sync();
      this.#requestFrame();
    }
    return result;
  }

  #stop(error) {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#play = null;
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    let panic;
    try { panic = this.#glue?.panicMessage?.(); } catch { panic = undefined; }
    const message = `Castline stopped: ${panic || error?.message || String(error)}`;
    showFatal(this.#ui, message);
    this.#ui.tooltip.hidden = true;
    console.error(message, error);
  }

  // ---- frame loop ----------------------------------------------------------

  // One rAF loop drives the viewer and playback; everything else only asks
  // for a frame, and at most one is ever pending.
  #requestFrame() {
    if (this.#raf || this.#stopped || this.#destroyed) return;
    this.#raf = requestAnimationFrame((now) => {
      this.#raf = 0;
      const wait = this.#play ? this.#advancePlay(now) : null;
      const more = this.#call((v) => v.frame(now));
      if (this.#interactions.has('wheel') && this.#call((v) => v.gesturing()) === false) this.#end('wheel');
      const progress = this.#call((v) => v.layoutProgress()) ?? 1;
      this.#ui.layoutProgress.hidden = progress >= 1;
      this.#ui.layoutProgress.value = progress;
      this.#sync();
      // Queued from inside the frame once both pictures are painted, so it runs after the
      // last paint and not between a big story's frames.
      if (this.#listsDue && !this.#listsTimer && !this.#dragging && !this.#call((v) => v.picturesPending())) {
        this.#listsTimer = setTimeout(() => {
          this.#listsTimer = 0;
          if (this.#listsDue && !this.#dragging && !this.#stopped && !this.#destroyed) {
            this.#showLists();
            // Style and lay the lists out in this task, not in the next frame's with a paint.
            void this.#ui.list.offsetHeight;
          }
        }, 0);
      }
      if (more || wait === 0) this.#requestFrame();
      else if (wait > 0 && this.#play) {
        clearTimeout(this.#play.timer);
        this.#play.timer = setTimeout(() => this.#requestFrame(), wait);
      }
    });
  }

  #watchSize() {
    const { networkCanvas, timelineCanvas } = this.#ui;
    this.#resizeObserver = new ResizeObserver(() => this.#resize());
    this.#resizeObserver.observe(networkCanvas);
    this.#resizeObserver.observe(timelineCanvas);
    this.#watchDpr();
    this.#resize();
  }

  // A media query for the current ratio fires once when it stops matching
  // (zoom, moving to another screen); then watch the new ratio.
  #watchDpr() {
    if (this.#destroyed) return;
    const query = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    this.#dprQuery = query;
    query.addEventListener('change', () => {
      if (this.#dprQuery !== query) return;
      this.#resize();
      this.#watchDpr();
    }, { once: true, signal: this.#abort.signal });
  }

  #resize() {
    const { networkCanvas, timelineCanvas } = this.#ui;
    const nw = networkCanvas.clientWidth;
    const nh = networkCanvas.clientHeight;
    const tw = timelineCanvas.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    // The timeline's own height is ours to set, so it is left out of the
    // key; otherwise setting it would loop through the observer.
    const key = `${nw}x${nh}/${tw}@${dpr}`;
    if (key === this.#lastSizes || nw === 0 || tw === 0) return;
    this.#lastSizes = key;
    this.#sizes = [nw, nh, tw, dpr];
    const height = this.#call((v) => v.resize(nw, nh, tw, dpr));
    if (typeof height === 'number' && Number.isFinite(height)) {
      timelineCanvas.style.height = `${Math.max(0, Math.round(height))}px`;
    }
    this.#requestFrame();
  }

  // Canvas colours follow the page's: prefers-color-scheme.
  #followTheme() {
    // An embed may fix the theme to match its article.
    if (this.#theme !== 'auto') {
      this.#setCanvasTheme(this.#theme);
      this.#requestFrame();
      return;
    }
    const dark = matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      this.#setCanvasTheme(dark.matches ? 'dark' : 'light');
      this.#requestFrame();
    };
    dark.addEventListener('change', apply, { signal: this.#abort.signal });
    apply();
  }

  #setCanvasTheme(theme) {
    this.#canvasTheme = theme;
    this.#call((v) => v.setTheme(theme));
  }

  #centre(target) {
    const canvas = target === 'timeline' ? this.#ui.timelineCanvas : this.#ui.networkCanvas;
    return { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 };
  }

  // ---- continuous interactions ----------------------------------------------

  // A drag, pinch, wheel burst or playback: listeners (the URL fragment)
  // record its end state once instead of every step.
  #begin(reason) {
    this.#interactions.add(reason);
  }

  #end(reason) {
    if (!this.#interactions.delete(reason)) return;
    if (this.#listsDue) this.#requestFrame();
    if (this.#interactions.size) return;
    this.#sync();
    this.dispatchEvent(new Event('interactionend'));
  }

  // ---- playback ----------------------------------------------------------------

  #startPlay() {
    const extent = this.#extent;
    if (!extent || this.#play) return;
    const span = extent.end - extent.start;
    const width = Math.max(60_000, Math.round(span / 6 / 60_000) * 60_000);
    const last = extent.end - width;
    let from = extent.start;
    // Resume from the window shown, if it is one of the sweep's.
    const shown = this.#call((v) => v.summary())?.timeWindow;
    if (shown && shown[0] && shown[0] !== '..') {
      const at = Date.parse(shown[0]);
      if (Number.isFinite(at) && at > extent.start && at < last) from = at;
    }
    this.#play = { from, width, last, pos: from, clock: null, timer: 0 };
    this.#begin('play');
    this.#showPlaying();
    this.#setPlayWindow();
    this.#requestFrame();
  }

  #pause() {
    if (!this.#play) return;
    clearTimeout(this.#play.timer);
    this.#play = null;
    this.#showPlaying();
    this.#end('play');
  }

  // Moves the window on; returns how long to wait for the next frame (0:
  // the next one), or null when playback ended.
  #advancePlay(now) {
    const p = this.#play;
    const speed = SPEEDS[this.#ui.speed.value] ?? SPEEDS.normal;
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
      p.pos = Math.min(p.pos + ((p.last - this.#extent.start) * dt) / speed.sweepMs, p.last);
    }
    this.#setPlayWindow();
    if (p.pos >= p.last) {
      this.#pause();
      return null;
    }
    return reduced ? speed.stepMs : 0;
  }

  #setPlayWindow() {
    const p = this.#play;
    const start = Math.round(p.pos / 60_000) * 60_000;
    let end = start + p.width;
    // An end at midnight would be read back as that whole day.
    if (end % DAY_MS === 0) end -= 60_000;
    this.#call((v) => v.setTimeWindow(isoTime(start), isoTime(end)));
    this.#sync();
  }

  #showPlaying() {
    const { play } = this.#ui;
    const playing = this.#play !== null;
    play.replaceChildren(playIcon(playing), document.createTextNode(playing ? 'Pause' : 'Play'));
    play.classList.toggle('castline-playing', playing);
  }

  // Anything the reader selects stops playback.
  #userAction() {
    this.#pause();
  }

  // ---- state → DOM ---------------------------------------------------------

  #sync() {
    if (this.#stopped || this.#destroyed) return;
    const version = this.#call((v) => v.version());
    if (version === undefined || version === this.#lastVersion) return;
    this.#lastVersion = version;
    // Counts rather than lists: the cost of a change must not grow with the story.
    const summary = this.#call((v) => v.summary());
    if (!summary) return;
    this.#render(summary);
    this.dispatchEvent(new CustomEvent('change', { detail: this.#changeDetail(summary) }));
  }

  // state() as of this change, with the visible ids made from indices only when read: a
  // listener that never reads them (the URL fragment) costs a copy of numbers, not 200,000
  // strings.
  #changeDetail(summary) {
    const { selectedActors, mode, timeWindow, focusedEvent } = summary;
    const story = this.#story;
    const indices = (n, all, fetch) => (n === all.length ? null : this.#call(fetch) ?? []);
    const events = indices(summary.visibleEventCount, story.events, (v) => v.visibleEventIndices());
    const actors = indices(summary.visibleActorCount, story.actors, (v) => v.visibleActorIndices());
    const ids = (list, picked) => (picked ? Array.from(picked, (i) => list[i].id) : list.map((x) => x.id));
    const detail = { selectedActors, mode, timeWindow };
    let visibleEvents = null;
    let visibleActors = null;
    Object.defineProperty(detail, 'visibleEvents', {
      enumerable: true,
      get: () => (visibleEvents ??= ids(story.events, events)),
    });
    Object.defineProperty(detail, 'visibleActors', {
      enumerable: true,
      get: () => (visibleActors ??= ids(story.actors, actors)),
    });
    detail.focusedEvent = focusedEvent;
    return detail;
  }

  #render(state) {
    const previous = this.#lastState;
    this.#lastState = state;
    if (this.#bigList || this.#bigMirror) {
      this.#listsDue = true;
      this.#requestFrame();
    } else {
      this.#showLists();
    }
    const focused = state.focusedEvent ?? null;

    const mode = state.mode === 'any' ? 'any' : 'all';
    const sentence = this.#describe(state);
    this.#ui.status.textContent = sentence;
    this.#ui.showAll.disabled = !(state.selectedActors.length || state.timeWindow || focused);

    // The all/any switch matters from two actors on, but is always shown.
    const { modeSet, modeAll, modeAny } = this.#ui;
    modeSet.disabled = state.selectedActors.length < 2;
    modeAll.checked = mode === 'all';
    modeAny.checked = mode === 'any';

    const selected = new Set(state.selectedActors);
    for (const [groupId, b] of this.#legendButtons) {
      const members = this.#groupMembers.get(groupId) ?? [];
      const pressed = members.length > 0 && selected.size === members.length
        && members.every((id) => selected.has(id)) && (mode === 'any' || members.length === 1);
      b.setAttribute('aria-pressed', String(pressed));
    }

    this.#labelCanvases(state);

    // Announce what changed, once things stop moving; not the first view.
    if (this.#rendered && (!previous || sentence !== this.#describe(previous))) {
      this.#announce(sentence, this.interacting ? 900 : 350);
    }
    this.#rendered = true;
  }

  // The event list and the actor buttons, as of the last state rendered.
  #showLists() {
    this.#listsDue = false;
    const state = this.#lastState;
    if (!state) return;
    this.#showListedEvents(state);
    const focused = state.focusedEvent ?? null;
    if (focused !== this.#lastFocused) {
      const item = focused ? this.#items.get(focused) : null;
      // Only follow the canvas: a click in the list is already in view.
      if (item && !this.#focusFromList && !item.hidden && item.isConnected) {
        item.scrollIntoView({ block: 'nearest' });
        // Entries above it that were skipped (content-visibility) take their real height
        // once shown, which can move it again.
        if (this.#bigList) requestAnimationFrame(() => item.isConnected && item.scrollIntoView({ block: 'nearest' }));
      }
      this.#lastFocused = focused;
    }
    this.#focusFromList = false;
    this.#showMirror(state, new Set(state.selectedActors));
  }

  // "Showing 4 of 15 events involving Kirill Dmitriev · from 17 Nov 2025 to 23 Nov 2025"
  #describe(state) {
    const total = this.#story.events.length;
    const parts = [`Showing ${count(state.visibleEventCount)} of ${plural(total, 'event', 'events')}`];
    const names = state.selectedActors.map((id) => this.#actorNames.get(id) ?? id);
    if (names.length) parts[0] += ` involving ${listInWords(names, state.mode === 'any' ? 'or' : 'and')}`;
    if (state.timeWindow) parts.push(windowInWords(state.timeWindow));
    if (state.focusedEvent) {
      const event = this.#eventsById.get(state.focusedEvent);
      if (event) parts.push(`focused: ${event.title}`);
    }
    return parts.join(' · ');
  }

  // The event list follows the filter. A small story's list holds every event and hides
  // those filtered out; a big one's holds a page of the visible events (those around the
  // focused one), built when first shown, with how many are left out on each side.
  #showListedEvents(state) {
    const limit = this.#bigList ? LIST_PAGE : this.#story.events.length;
    const listed = this.#call((v) => v.listedEvents(Math.max(1, limit)));
    if (!listed) return;
    const focused = state.focusedEvent ?? null;
    if (!this.#bigList) {
      const visible = new Set(listed.ids);
      for (const [id, li] of this.#items) {
        const show = visible.has(id);
        if (li.hidden === show) li.hidden = !show;
        if (id === focused) li.setAttribute('aria-current', 'true');
        else li.removeAttribute('aria-current');
      }
      return;
    }
    const key = listed.ids.join('\n');
    if (key !== this.#listedKey) {
      this.#listedKey = key;
      const { list, listBefore, listAfter } = this.#ui;
      list.replaceChildren(...listed.ids.map((id) => this.#eventItem(id)));
      list.start = listed.before + 1;
      listBefore.textContent = listed.before
        ? `${plural(listed.before, 'earlier event is', 'earlier events are')} not listed.` : '';
      listAfter.textContent = listed.after
        ? `${plural(listed.after, 'later event is', 'later events are')} not listed: choose actors or a time window, or focus an event on the time axis, to list others.`
        : '';
      listBefore.hidden = !listed.before;
      listAfter.hidden = !listed.after;
    }
    for (const id of listed.ids) {
      const li = this.#items.get(id);
      if (!li) continue;
      if (id === focused) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
  }

  // The actor buttons: every actor of a small story, noting those outside the current
  // events; for a big one the selected actors and the busiest in view, built when first shown.
  #showMirror(state, selected) {
    const n = this.#story.actors.length;
    const listed = this.#call((v) => v.listedActors(this.#bigMirror ? MIRROR_PAGE : Math.max(1, n))) ?? [];
    if (!this.#bigMirror) {
      const shown = new Set(listed);
      for (const [id, b] of this.#mirrorButtons) {
        b.setAttribute('aria-pressed', String(selected.has(id)));
        const out = !shown.has(id);
        b.classList.toggle('castline-mirror-out', out);
        b.lastChild.textContent = out ? ', not in the current events' : '';
      }
      return;
    }
    const { mirrorList, mirrorNote } = this.#ui;
    const key = listed.join('\n');
    if (key !== this.#mirrorKey) {
      this.#mirrorKey = key;
      mirrorList.replaceChildren(...listed.map((id) => this.#mirrorButton(this.#actorsById.get(id)).parentElement));
    }
    for (const id of listed) this.#mirrorButtons.get(id)?.setAttribute('aria-pressed', String(selected.has(id)));
    mirrorNote.textContent = `${plural(listed.length, 'actor is', 'actors are')} listed of ${count(state.visibleActorCount)} in view`
      + ` (${n} in all): the selected, then those with the most events. Search finds any actor.`;
  }

  #labelCanvases(state) {
    const { networkCanvas, timelineCanvas } = this.#ui;
    const story = this.#story;
    const n = story.actors.length;
    const g = story.groups.length;
    const names = state.selectedActors.map((id) => this.#actorNames.get(id) ?? id);
    const shown = state.visibleActorCount === n ? 'all shown' : `${count(state.visibleActorCount)} shown`;
    networkCanvas.setAttribute('aria-label',
      `Network of ${plural(n, 'actor', 'actors')}${g ? ` in ${plural(g, 'group', 'groups')}` : ''}; ${shown}`
      + `${names.length ? `, ${listInWords(names)} selected` : ''}.`);
    const events = story.events;
    let range = '';
    if (events.length) {
      const first = events[0].dateLabel;
      const last = events[events.length - 1].dateLabel;
      if (first && last) range = first === last ? `, on ${first}` : `, from ${first} to ${last}`;
    }
    const visible = state.visibleEventCount === events.length ? 'all shown' : `${count(state.visibleEventCount)} shown`;
    const focused = state.focusedEvent ? this.#eventsById.get(state.focusedEvent)?.title : null;
    timelineCanvas.setAttribute('aria-label',
      `Time axis of ${plural(events.length, 'event', 'events')}${range}; ${visible}`
      + `${state.timeWindow ? `, window ${windowInWords(state.timeWindow)}` : ''}`
      + `${focused ? `, focused: ${focused}` : ''}.`);
  }

  // One polite live region; the last message within `delay` wins, so a
  // drag or playback does not flood it.
  #announce(text, delay = 350) {
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => {
      const { live } = this.#ui;
      // The same words again still need a change to be read out.
      live.textContent = live.textContent === text ? `${text}\u00a0` : text;
    }, delay);
  }

  #announceKeyboardItem() {
    const item = this.#call((v) => v.keyboardItem());
    if (item && item.label) this.#announce(item.label, 120);
  }

  // ---- building the DOM from the story ---------------------------------------

  #buildHeader(story) {
    const { header } = this.#ui;
    header.replaceChildren();
    header.append(el('h1', 'castline-title', story.title || 'Untitled story'));
    if (story.summary) header.append(el('p', 'castline-summary', story.summary));
    if (story.credit || story.published) {
      const credit = el('p', 'castline-credit');
      if (story.credit) credit.append(document.createTextNode(story.credit));
      if (story.published) {
        if (story.credit) credit.append(document.createTextNode(' · '));
        credit.append(document.createTextNode('Published '));
        const time = el('time', null, publishedInWords(story.published));
        if (/^\d{4}-\d{2}-\d{2}/.test(String(story.published))) time.dateTime = String(story.published);
        credit.append(time);
      }
      header.append(credit);
    }
  }

  #showDiagnostics() {
    const { panel } = this.#ui;
    const diagnostics = this.#diagnostics;
    panel.replaceChildren();
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity !== 'error');
    const notices = this.#notices;
    if (!errors.length && !warnings.length && !notices.length) {
      panel.hidden = true;
      return;
    }
    const item = (kind, text) => {
      const li = el('li', `castline-diag castline-diag-${kind}`);
      li.append(el('span', 'castline-diag-kind', kind === 'error' ? 'Error' : kind === 'notice' ? 'Link' : 'Warning'));
      li.append(document.createTextNode(text));
      return li;
    };
    const section = (items, kind, heading, line) => {
      const box = el('div', `castline-diag-section castline-diag-section-${kind}`);
      box.append(el('p', `castline-diag-heading castline-diag-heading-${kind}`, heading));
      const ul = el('ul', `castline-diag-list castline-diag-${kind}s`);
      for (const d of items) ul.append(item(kind, line(d)));
      box.append(ul);
      panel.append(box);
      return ul;
    };
    // "events.csv:3:2, row 3, field "date": …" — where an author can find it in their file.
    const place = (d) => [d.file, d.line, d.line ? d.column : null].filter((p) => p !== null && p !== undefined && p !== '').join(':');
    const located = (d) => [place(d), d.location, d.message].filter(Boolean).join(': ');
    if (errors.length) {
      // A record with two problems is one record left out: the count is of records, and each
      // record's problems are listed under it. Problems of a whole file, its header or the
      // story's top level are no record; they come first, as they often explain the rest.
      const records = new Map();
      const general = [];
      for (const d of errors) {
        const record = recordOf(d);
        if (record === null) {
          general.push(d);
        } else {
          const key = `${d.file}\u0000${record}`;
          if (!records.has(key)) records.set(key, { name: [d.file, record].filter(Boolean).join(', '), problems: [] });
          records.get(key).problems.push(d);
        }
      }
      const n = records.size;
      const left = n === 1
        ? `1 record was left out because of ${records.values().next().value.problems.length === 1 ? 'an error' : 'errors'}`
        : `${plural(n, 'record', 'records')} were left out because of errors`;
      const heading = !n
        ? `${plural(general.length, 'error', 'errors')} in the data:`
        : general.length
          ? `${left}, and there ${general.length === 1 ? 'is 1 more error' : `are ${count(general.length)} more errors`}:`
          : `${left}:`;
      const ul = section(general, 'error', heading, located);
      for (const { name, problems } of records.values()) {
        const li = el('li', 'castline-diag-record');
        li.append(el('strong', 'castline-diag-record-name', name));
        const sub = el('ul', 'castline-diag-list castline-diag-record-errors');
        for (const d of problems) sub.append(item('error', located(d)));
        li.append(sub);
        ul.append(li);
      }
    }
    if (warnings.length) section(warnings, 'warning', `${plural(warnings.length, 'warning', 'warnings')}:`, located);
    if (notices.length) {
      section(notices, 'notice', 'The link’s view was shown without these parts:',
        (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}.`);
    }
    panel.hidden = false;
  }

  #buildSearch(story) {
    const search = buildSearch(searchEntries(story), (entry) => {
      this.#userAction();
      if (entry.kind === 'actor') {
        this.#call((v) => v.select([entry.id]));
      } else {
        this.#call((v) => v.focusEvent(entry.id));
        // A page of one lists the focused event itself when it is visible (listedEvents).
        const shown = this.#call((v) => v.listedEvents(1))?.ids?.[0] === entry.id;
        // An event hidden by the filter is shown by clearing it first.
        if (!shown) {
          this.#call((v) => {
            v.clear();
            v.setTimeWindow(null, null);
            v.focusEvent(entry.id);
          });
        }
      }
      this.#sync();
      this.#requestFrame();
    }, this.#abort.signal);
    this.#ui.searchSlot.replaceChildren(search.root);
  }

  #buildLegend(story) {
    const { legend } = this.#ui;
    legend.replaceChildren();
    this.#legendButtons.clear();
    for (const group of story.groups) {
      const li = el('li', 'castline-legend-item');
      const b = button('castline-legend-button');
      b.dataset.groupId = group.id;
      b.setAttribute('aria-pressed', 'false');
      b.title = `Show the events of ${group.name}`;
      b.append(shapeIcon(group.shape, group.color), el('span', 'castline-legend-name', group.name));
      const members = this.#groupMembers.get(group.id) ?? [];
      if (!members.length) b.disabled = true;
      li.append(b);
      legend.append(li);
      this.#legendButtons.set(group.id, b);
    }
    legend.hidden = story.groups.length === 0;
  }

  // The actors as buttons, for screen readers and keyboards: always in the
  // page, visually hidden until a button in it has the focus.
  #buildMirror(story, paged) {
    const { mirrorList } = this.#ui;
    mirrorList.replaceChildren();
    this.#mirrorButtons.clear();
    this.#mirrorKey = '';
    this.#bigMirror = paged;
    this.#ui.mirrorNote.hidden = !this.#bigMirror;
    // A big story's buttons are made as they are first listed (#showMirror).
    if (!this.#bigMirror) {
      for (const actor of story.actors) mirrorList.append(this.#mirrorButton(actor).parentElement);
    }
    this.#ui.mirror.hidden = story.actors.length === 0;
  }

  // An actor's button in its list item, made once.
  #mirrorButton(actor) {
    const made = this.#mirrorButtons.get(actor.id);
    if (made) return made;
    const li = el('li', 'castline-mirror-item');
    const b = button('castline-mirror-button');
    b.dataset.actorId = actor.id;
    b.setAttribute('aria-pressed', 'false');
    b.append(el('span', 'castline-mirror-name', actor.name));
    if (actor.role) b.append(el('span', 'castline-mirror-role', `, ${actor.role}`));
    b.append(el('span', 'castline-mirror-note', ''));
    li.append(b);
    this.#mirrorButtons.set(actor.id, b);
    return b;
  }

  #buildEventList(story, paged) {
    const { list } = this.#ui;
    list.replaceChildren();
    this.#items.clear();
    this.#listedKey = '';
    this.#bigList = paged;
    list.classList.toggle('castline-events-paged', paged);
    // A big story's items are made as they are first listed (#showListedEvents).
    if (!this.#bigList) {
      for (const event of story.events) list.append(this.#eventItem(event.id));
    }
    this.#ui.listSection.hidden = story.events.length === 0;
  }

  // An event's list item, made once.
  #eventItem(id) {
    const made = this.#items.get(id);
    if (made) return made;
    const event = this.#eventsById.get(id);
    const li = el('li', 'castline-event');
    li.dataset.eventId = event.id;
    li.tabIndex = 0;

    const date = el('p', 'castline-event-date');
    // The words the story used come first; the resolved date follows.
    if (event.dateText && event.dateText !== event.dateLabel) {
      date.append(el('span', 'castline-event-date-text', event.dateText));
      if (event.dateLabel) {
        date.append(document.createTextNode(' · '));
        date.append(el('span', 'castline-event-date-label', event.dateLabel));
      }
    } else {
      date.append(el('span', 'castline-event-date-label', event.dateLabel || event.dateText || 'Undated'));
    }
    li.append(date);
    li.append(el('h3', 'castline-event-title', event.title));

    if (event.actors.length) {
      const who = el('p', 'castline-event-actors');
      who.append(el('span', 'castline-label', 'Who: '));
      who.append(document.createTextNode(listInWords(event.actors.map((a) => a.name))));
      li.append(who);
    }
    if (event.description) li.append(el('p', 'castline-event-description', event.description));

    if (event.sources.length) {
      const sources = el('ul', 'castline-sources');
      for (const source of event.sources) {
        const item = el('li', 'castline-source');
        const href = safeHttpUrl(source.url);
        const name = el('cite', null, source.name);
        if (href) {
          const link = externalLink(href);
          link.append(name);
          item.append(link);
        } else {
          item.append(name);
        }
        if (source.quote) item.append(document.createTextNode(`: ${quoted(source.quote)}`));
        sources.append(item);
      }
      li.append(sources);
    }

    this.#items.set(event.id, li);
    return li;
  }

  // ---- input -----------------------------------------------------------------

  // A discrete change from the reader: show it now.
  #changed() {
    this.#sync();
    this.#requestFrame();
  }

  #wireInput() {
    const ui = this.#ui;
    const signal = this.#abort.signal;

    this.#wireCanvas(ui.networkCanvas, 'network');
    this.#wireCanvas(ui.timelineCanvas, 'timeline');

    const focusItem = (li) => {
      this.#userAction();
      this.#focusFromList = true;
      this.#call((v) => v.focusEvent(li.dataset.eventId));
      this.#changed();
    };
    ui.list.addEventListener('click', (e) => {
      // Following a source link is not a request to focus the event.
      if (e.target.closest('a')) return;
      const li = e.target.closest('li.castline-event');
      if (li && ui.list.contains(li)) focusItem(li);
    }, { signal });
    ui.list.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const li = e.target;
      if (!(li instanceof HTMLElement) || !li.matches('li.castline-event')) return;
      e.preventDefault(); // Space would otherwise scroll the page
      focusItem(li);
    }, { signal });

    ui.showAll.addEventListener('click', () => this.#showEverything(), { signal });

    ui.exports.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-export]');
      if (!b || b.disabled) return;
      b.disabled = true;
      this.download(b.dataset.export)
        .catch((error) => this.#announce(`The ${b.dataset.export.toUpperCase()} could not be made: ${error?.message || error}`, 0))
        .finally(() => { b.disabled = false; });
    }, { signal });

    for (const radio of [ui.modeAll, ui.modeAny]) {
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        this.#userAction();
        this.#call((v) => v.setMode(radio.value));
        this.#changed();
      }, { signal });
    }

    ui.legend.addEventListener('click', (e) => {
      const b = e.target.closest('button.castline-legend-button');
      if (!b || b.disabled) return;
      this.#userAction();
      // Pressing the pressed group again lets go of it.
      if (b.getAttribute('aria-pressed') === 'true') this.#call((v) => v.select([]));
      else this.#call((v) => v.selectGroup(b.dataset.groupId));
      this.#changed();
    }, { signal });

    ui.mirrorList.addEventListener('click', (e) => {
      const b = e.target.closest('button.castline-mirror-button');
      if (!b) return;
      this.#userAction();
      const id = b.dataset.actorId;
      const selected = this.#call((v) => v.summary())?.selectedActors ?? [];
      const next = selected.includes(id) ? selected.filter((a) => a !== id) : [...selected, id];
      this.#call((v) => v.select(next));
      this.#changed();
    }, { signal });

    const viewButton = (b, fn) => b.addEventListener('click', () => {
      this.#call(fn);
      this.#changed();
    }, { signal });
    viewButton(ui.netZoomIn, (v) => { const c = this.#centre('network'); v.zoom('network', BUTTON_ZOOM, c.x, c.y); });
    viewButton(ui.netZoomOut, (v) => { const c = this.#centre('network'); v.zoom('network', 1 / BUTTON_ZOOM, c.x, c.y); });
    viewButton(ui.netFit, (v) => v.fit('network'));
    viewButton(ui.timeZoomIn, (v) => { const c = this.#centre('timeline'); v.zoom('timeline', BUTTON_ZOOM, c.x, c.y); });
    viewButton(ui.timeZoomOut, (v) => { const c = this.#centre('timeline'); v.zoom('timeline', 1 / BUTTON_ZOOM, c.x, c.y); });
    viewButton(ui.timeFit, (v) => v.fit('timeline'));

    ui.play.addEventListener('click', () => {
      if (this.#play) this.#pause();
      else this.#startPlay();
    }, { signal });

    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      this.#userAction();
      this.#call((v) => v.clear());
      ui.tooltip.hidden = true;
      this.#changed();
    }, { signal });

    // A long-press tooltip goes at the next touch anywhere.
    document.addEventListener('pointerdown', () => this.#hideTouchTip(), { signal, capture: true });
  }

  #wireCanvas(canvas, target) {
    const { tooltip } = this.#ui;
    const signal = this.#abort.signal;
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
      this.#call((v) => v.pointerCancel());
      const answer = this.#call((v) => v.pointerMove(target, press.x0, press.y0));
      if (answer && answer.text) {
        this.#showTooltip(answer, canvas.getBoundingClientRect());
        clearTimeout(this.#touchTipTimer);
        this.#touchTipTimer = setTimeout(() => this.#hideTouchTip(), 5000);
      }
      this.#changed();
    };

    canvas.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      const p = local(e);
      pointers.set(e.pointerId, p);
      try { canvas.setPointerCapture(e.pointerId); } catch { /* the pointer is already gone */ }
      if (pointers.size === 1) {
        this.#userAction();
        this.#begin(target);
        tooltip.hidden = true;
        this.#call((v) => v.pointerDown(target, p.x, p.y, additive(e)));
        press = { id: e.pointerId, x0: p.x, y0: p.y, moved: false, long: false, timer: 0 };
        if (e.pointerType === 'touch') press.timer = setTimeout(longPress, LONG_PRESS_MS);
        this.#changed();
      } else if (pointers.size === 2) {
        // A second finger: the one-finger drag is abandoned for a pinch.
        if (press) {
          stopTimer();
          if (!press.long) this.#call((v) => v.pointerCancel());
          press = null;
        }
        this.#hideTouchTip();
        pinch = measure();
        this.#changed();
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
        this.#call((v) => v.pinch(target, factor, now.mid.x, now.mid.y, now.mid.x - pinch.mid.x, now.mid.y - pinch.mid.y));
        pinch = now;
        this.#requestFrame();
        return;
      }
      if (press && e.pointerId === press.id) {
        if (press.long) return;
        if (!press.moved && Math.hypot(p.x - press.x0, p.y - press.y0) > LONG_PRESS_SLOP_PX) {
          press.moved = true;
          stopTimer();
        }
        this.#call((v) => v.pointerMove(target, p.x, p.y)); // drags; no tooltip meanwhile
        tooltip.hidden = true;
        this.#requestFrame();
        return;
      }
      if (pointers.size || (e.pointerType !== 'mouse' && e.pointerType !== 'pen')) return;
      const answer = this.#call((v) => v.pointerMove(target, p.x, p.y));
      if (answer && answer.text) this.#showTooltip(answer, canvas.getBoundingClientRect());
      else tooltip.hidden = true;
      // Something under the pointer is something to click.
      canvas.classList.toggle('castline-over-item', Boolean(answer));
      this.#requestFrame();
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
          if (cancelled) this.#call((v) => v.pointerCancel());
          else this.#call((v) => v.pointerUp(target, p.x, p.y, additive(e)));
        }
        this.#sync();
      }
      if (pinch && pointers.size < 2) pinch = null;
      if (pointers.size === 0) this.#end(target);
      this.#requestFrame();
    };
    canvas.addEventListener('pointerup', (e) => finish(e, false), { signal });
    canvas.addEventListener('pointercancel', (e) => finish(e, true), { signal });

    canvas.addEventListener('pointerleave', (e) => {
      if (pointers.size) return;
      if (e.pointerType === 'touch' && this.#touchTipTimer) return; // keep the long-press tooltip
      this.#call((v) => v.pointerLeave());
      tooltip.hidden = true;
      canvas.classList.remove('castline-over-item');
      this.#requestFrame();
    }, { signal });

    // A long press on a touch screen is ours (the tooltip), not the browser's menu.
    canvas.addEventListener('contextmenu', (e) => {
      if (press?.long || this.#touchTipTimer) e.preventDefault();
    }, { signal });

    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const p = local(e);
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? canvas.clientHeight || 400 : 1;
      // A burst of turns ends with the viewer's gesture, at a pause (#requestFrame).
      this.#begin('wheel');
      this.#call((v) => v.wheel(target, p.x, p.y, e.deltaY * unit));
      this.#requestFrame();
    }, { passive: false, signal });

    // Keyboard: the viewer draws a ring on its current item while the
    // canvas has the keyboard's focus (not after a mere click).
    canvas.addEventListener('focus', () => {
      if (canvas.matches(':focus-visible')) this.#keyboardOn(target);
    }, { signal });
    canvas.addEventListener('blur', () => {
      if (this.#keyboardTarget !== target) return;
      this.#keyboardTarget = null;
      this.#call((v) => v.setKeyboardFocus(null));
      this.#requestFrame();
    }, { signal });
    canvas.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const c = this.#centre(target);
      const zoomKeys = { '+': BUTTON_ZOOM, '=': BUTTON_ZOOM, '-': 1 / BUTTON_ZOOM };
      if (e.key in zoomKeys || e.key === '0') {
        e.preventDefault();
        if (e.key === '0') this.#call((v) => v.fit(target));
        else this.#call((v) => v.zoom(target, zoomKeys[e.key], c.x, c.y));
        this.#changed();
        return;
      }
      if (!VIEWER_KEYS.has(e.key)) return;
      if (this.#keyboardTarget !== target) this.#keyboardOn(target, false);
      if (e.key === 'Enter' || e.key === ' ') this.#userAction();
      const handled = this.#call((v) => v.key(target, e.key));
      if (handled) e.preventDefault();
      this.#changed();
      if (handled && e.key !== 'Enter' && e.key !== ' ') this.#announceKeyboardItem();
    }, { signal });
  }

  #keyboardOn(target, announce = true) {
    this.#keyboardTarget = target;
    this.#call((v) => v.setKeyboardFocus(target));
    if (announce) this.#announceKeyboardItem();
    this.#requestFrame();
  }

  #hideTouchTip() {
    if (!this.#touchTipTimer) return;
    clearTimeout(this.#touchTipTimer);
    this.#touchTipTimer = 0;
    this.#ui.tooltip.hidden = true;
    this.#call((v) => v.pointerLeave());
    this.#requestFrame();
  }

  // Clears the selection, the window and the focus.
  #showEverything() {
    this.#userAction();
    this.#call((v) => {
      v.clear();
      const s = v.summary();
      if (s.timeWindow) v.setTimeWindow(null, null);
      if (s.focusedEvent) v.focusEvent(null);
    });
    this.#changed();
  }

  #showTooltip(answer, rect) {
    const { tooltip } = this.#ui;
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

// Widens `span` ({ start, end } in ms, UTC) to take in the event's dates: over all events,
// the story's first start to its last end.
function widenSpan(span, event) {
  const s = Date.parse(event.start);
  const e = Date.parse(event.end);
  if (Number.isFinite(s)) span.start = Math.min(span.start, s);
  if (Number.isFinite(e)) span.end = Math.max(span.end, e);
}

// −, + and a fit button for one of the two views.
function zoomTools(groupLabel, what, fitText, fitLabel) {
  const tools = el('div', 'castline-tools');
  tools.setAttribute('role', 'group');
  tools.setAttribute('aria-label', groupLabel);
  const zoomOut = button('castline-tool', '−', `Zoom ${what} out`);
  const zoomIn = button('castline-tool', '+', `Zoom ${what} in`);
  const fit = button('castline-tool castline-tool-text', fitText, fitLabel);
  tools.append(zoomOut, zoomIn, fit);
  return [tools, zoomOut, zoomIn, fit];
}

// A focusable canvas drawn by Rust, an image to assistive technology, with its key help,
// and above it a transparent layer for the pointer's and the keyboard's rings (so a hover
// repaints a few rings, not the picture). The layer takes no input and is not announced.
function viewCanvas(className, label, helpId, helpText) {
  const help = el('p', 'visually-hidden', helpText);
  help.id = helpId;
  const canvas = el('canvas', className);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.setAttribute('aria-describedby', help.id);
  canvas.tabIndex = 0;
  const layer = el('canvas', 'castline-layer');
  layer.setAttribute('aria-hidden', 'true');
  const stage = el('div', 'castline-stage');
  stage.append(canvas, layer);
  return [canvas, layer, stage, help];
}

function buildSkeleton(element) {
  element.classList.add('castline');
  element.replaceChildren();

  const header = el('header', 'castline-header');
  const panel = el('div', 'castline-diagnostics');
  panel.setAttribute('role', 'alert');
  panel.hidden = true;

  const toolbar = el('div', 'castline-toolbar');
  const searchSlot = el('div', 'castline-search-slot');
  const showAll = button('castline-show-all', 'Show all');
  showAll.disabled = true;

  viewCount += 1;
  const id = (name) => `castline-${viewCount}-${name}`;
  const modeSet = el('fieldset', 'castline-mode');
  modeSet.append(el('legend', 'castline-mode-legend', 'Events with:'));
  const radio = (value, text) => {
    const label = el('label', 'castline-mode-option');
    const input = el('input');
    input.type = 'radio';
    input.name = id('mode');
    input.value = value;
    label.append(input, document.createTextNode(` ${text}`));
    modeSet.append(label);
    return input;
  };
  const modeAll = radio('all', 'all selected');
  const modeAny = radio('any', 'any selected');
  modeAll.checked = true;
  modeSet.disabled = true;

  const status = el('p', 'castline-status');
  const exports = el('div', 'castline-export');
  exports.setAttribute('role', 'group');
  exports.setAttribute('aria-label', 'Download');
  exports.append(el('span', 'castline-export-label', 'Download'));
  for (const [kind, text, label] of [
    ['png', 'PNG', 'Download the picture as PNG'],
    ['svg', 'SVG', 'Download the picture as SVG'],
    ['json', 'JSON', 'Download the data as Castline JSON'],
    ['csv', 'CSV', 'Download the events as CSV'],
  ]) {
    const b = button('castline-tool castline-tool-text castline-export-button', text, label);
    b.dataset.export = kind;
    exports.append(b);
  }
  toolbar.append(searchSlot, showAll, modeSet, status);

  const views = el('div', 'castline-views');
  const networkPanel = el('section', 'castline-panel castline-network-panel');
  networkPanel.setAttribute('aria-label', 'Network of actors');
  const netHead = el('div', 'castline-panel-head');
  const legend = el('ul', 'castline-legend');
  legend.setAttribute('aria-label', 'Groups');
  const [netTools, netZoomOut, netZoomIn, netFit] = zoomTools('Network view', 'the network', 'Fit', 'Fit the whole network');
  netHead.append(legend, netTools);
  const [networkCanvas, networkLayer, networkStage, networkHelp] = viewCanvas('castline-network', 'Network of actors', id('network-help'),
    'Arrow keys move to the nearest actor in that direction, Enter selects it, Escape clears; plus and minus zoom.');
  // Big stories settle over several frames; say so while they do.
  const layoutProgress = el('progress', 'castline-layout-progress');
  layoutProgress.max = 1;
  layoutProgress.hidden = true;
  layoutProgress.setAttribute('aria-label', 'Laying out the network');
  networkPanel.append(netHead, networkStage, layoutProgress, networkHelp);

  const timelinePanel = el('section', 'castline-panel castline-timeline-panel');
  timelinePanel.setAttribute('aria-label', 'Time axis');
  const timeHead = el('div', 'castline-panel-head');
  const playBox = el('div', 'castline-play');
  const play = button('castline-play-button', 'Play');
  play.setAttribute('aria-label', 'Play: sweep a time window through the story');
  const speedLabel = el('label', 'castline-speed');
  speedLabel.append(document.createTextNode('Speed '));
  const speed = el('select', 'castline-speed-select');
  for (const [value, text] of [['slow', 'slow'], ['normal', 'normal'], ['fast', 'fast']]) {
    const option = el('option', null, text);
    option.value = value;
    speed.append(option);
  }
  speed.value = 'normal';
  speedLabel.append(speed);
  playBox.append(play, speedLabel);
  const [timeTools, timeZoomOut, timeZoomIn, timeFit] =
    zoomTools('Time axis view', 'the time axis', 'Whole story', 'Whole story on the time axis');
  timeHead.append(playBox, timeTools);
  const [timelineCanvas, timelineLayer, timelineStage, timelineHelp] = viewCanvas('castline-timeline', 'Time axis of events', id('timeline-help'),
    'Drag across the axis to choose a time window; arrow keys move between events in time order, Enter focuses one, Escape clears.');
  timelinePanel.append(timeHead, timelineStage, timelineHelp);
  views.append(networkPanel, timelinePanel);

  const hint = el('p', 'castline-hint',
    'Click an actor to show only their events (Shift-click to add more); drag across the time axis to choose a window, '
    + 'and drag its edges to change it; scroll or pinch to zoom. On a picture, the arrow keys move and Enter selects; '
    + 'Escape shows everything again.');

  const mirror = el('section', 'castline-mirror');
  mirror.setAttribute('aria-label', 'Actors');
  const mirrorHeading = el('h2', 'castline-mirror-heading', 'Actors');
  const mirrorList = el('ul', 'castline-mirror-list');
  const mirrorNote = el('p', 'castline-mirror-note-all');
  mirrorNote.hidden = true;
  mirror.append(mirrorHeading, mirrorNote, mirrorList);

  const listSection = el('section', 'castline-list-section');
  const listHeading = el('h2', 'castline-list-heading', 'Events');
  const list = el('ol', 'castline-events');
  list.setAttribute('aria-label', 'Events in order of time');
  // A big story's list is a page of the visible events; these say what is left out.
  const listBefore = el('p', 'castline-list-more');
  const listAfter = el('p', 'castline-list-more');
  listBefore.hidden = true;
  listAfter.hidden = true;
  listSection.append(listHeading, listBefore, list, listAfter);

  const tooltip = el('div', 'castline-tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;

  const live = el('div', 'visually-hidden castline-live');
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');

  const loading = el('p', 'castline-loading', 'Loading the story…');
  loading.setAttribute('role', 'status');

  // The downloads sit under the pictures they save, so the toolbar above keeps to one line.
  element.append(header, panel, loading, toolbar, views, hint, exports, mirror, listSection, tooltip, live);
  exports.hidden = true;
  toolbar.hidden = true;
  views.hidden = true;
  hint.hidden = true;
  mirror.hidden = true;
  listSection.hidden = true;
  return {
    header, panel, loading, toolbar, searchSlot, showAll, modeSet, modeAll, modeAny, status, views, hint, legend,
    networkCanvas, timelineCanvas, networkLayer, timelineLayer, netZoomIn, netZoomOut, netFit, timeZoomIn, timeZoomOut, timeFit, play, speed,
    mirror, mirrorList, mirrorNote, listSection, list, listBefore, listAfter, tooltip, live, exports, layoutProgress,
  };
}

// A fatal error replaces the picture: the person sees why, in words.
function showFatal(ui, message) {
  ui.loading.hidden = true;
  ui.toolbar.hidden = true;
  ui.views.hidden = true;
  ui.hint.hidden = true;
  ui.exports.hidden = true;
  ui.mirror.hidden = true;
  ui.tooltip.hidden = true;
  const box = el('div', 'castline-diag-section castline-diag-section-error castline-fatal');
  box.append(el('p', 'castline-diag-heading castline-diag-heading-error', message));
  ui.panel.replaceChildren(box);
  ui.panel.hidden = false;
}

async function loadText(data, src) {
  if (typeof data === 'string') return data;
  if (data !== undefined && data !== null) return JSON.stringify(data);
  if (src === undefined || src === null || src === '') {
    throw new Error('No story given: pass { data } or { src } to mount().');
  }
  const url = new URL(String(src), document.baseURI);
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new Error(`Could not load the story from ${url.href}: ${error.message}`);
  }
  if (!response.ok) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    throw new Error(`Could not load the story from ${url.href}: HTTP ${response.status}${reason}`);
  }
  return decodeText(await response.arrayBuffer(), url.href);
}

// Only http(s) URLs or URLs relative to the page may name the data; a javascript:, data: or
// file: URL is refused rather than fetched. `given` is the ?data= value (or null).
export function dataSource(given, fallback) {
  if (given === null || given === undefined || given.trim() === '') return fallback;
  let url;
  try {
    url = new URL(given, document.baseURI);
  } catch {
    throw new Error(`The data URL “${given}” is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The data URL “${given}” is not allowed: only http(s) URLs or URLs relative to this page can be used.`);
  }
  return given;
}

// Bad bytes are reported, not silently replaced: a Latin-1 export would otherwise load with
// “�” in every accented name.
export function decodeText(bytes, what) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not UTF-8 text: export it again as UTF-8 (in a spreadsheet, “CSV UTF-8”).`);
  }
}

// Events taken from the viewer at a time: a part of W4 (200,000 events) is a task of about
// 40 ms here, under the 50 ms that counts as a long task.
const EVENTS_PER_PART = 4000;

// The viewer's story with each event's actors as { id, name }: the viewer sends their
// positions in `actors` (a big story's view is a third smaller), and one object per actor is
// shared by every event it is in. A generator that pauses between parts of the events (each
// `yield` gives the share taken so far) and hands each event to `take`; `storyOf` runs it
// through.
function* storyInParts(viewer, take = () => {}) {
  const story = viewer.story();
  const refs = story.actors.map((a) => ({ id: a.id, name: a.name }));
  const total = story.eventCount;
  for (let first = 0; first < total; first += EVENTS_PER_PART) {
    if (first > 0) yield first / total;
    for (const event of viewer.events(first, EVENTS_PER_PART)) {
      event.actors = event.actors.map((i) => refs[i]);
      story.events.push(event);
      take(event);
    }
  }
  delete story.eventCount;
  return story;
}

function storyOf(viewer) {
  const parts = storyInParts(viewer);
  let part = parts.next();
  while (!part.done) part = parts.next();
  return part.value;
}

// Resolves after the page has painted (the task after a frame's callbacks), so that a message
// set before it is seen and input waiting is handled; in a hidden page, which paints
// nothing, after other tasks.
function pauseToPaint() {
  if (document.hidden) return pauseForInput();
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 50);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      pauseForInput().then(resolve);
    });
  });
}

// Resolves in a task of its own: input waiting, and a paint if one is due, come first.
// A message rather than a timer: a timer set from a timer's task waits at least 4 ms, and a
// hidden page's timers wait up to a second each.
function pauseForInput() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

// What diagnostics call the data: the given name, else the last part of its URL.
function dataName(name, src) {
  if (typeof name === 'string' && name.trim()) return name;
  if (typeof src !== 'string' || !src) return 'data';
  try {
    return decodeURIComponent(new URL(src, document.baseURI).pathname.split('/').pop() || 'data');
  } catch {
    return 'data';
  }
}

/**
 * Builds a Castline view inside `element`.
 * @param {HTMLElement} element
 * @param {{data?: object|string, src?: string, fragment?: boolean, exports?: boolean,
 *   theme?: "auto"|"light"|"dark"}} options
 *   `fragment: true` keeps the view in the page's URL fragment (and history);
 *   `exports: false` hides the download buttons; `theme` fixes the canvases' colours
 *   (the page's own follow the stylesheet).
 * @returns {Promise<CastlineHandle>} rejects (after showing the reason in
 *   the element) if the story cannot be shown at all.
 */
export async function mount(element, {
  data, src, name, fragment = false, exports = true, theme = 'auto',
} = {}) {
  if (!(element instanceof HTMLElement)) throw new TypeError('Castline.mount needs an HTML element');
  const ui = buildSkeleton(element);
  const handle = new CastlineHandle(element, ui, { theme });
  let glue = null;
  let message = null;
  try {
    const wasm = loadWasm().catch((error) => {
      throw new Error(`Castline could not start its drawing engine (pkg/castline.js): ${error?.message || error}`);
    });
    const sync = fragment
      ? import('./fragment.js').catch((error) => {
        throw new Error(`Castline could not load fragment.js: ${error?.message || error}`);
      })
      : null;
    let text;
    let fragmentModule;
    [text, glue, fragmentModule] = await Promise.all([loadText(data, src), wasm, sync]);
    let viewer;
    const source = { text, name: dataName(name, src) };
    // Each step of a big story takes a second or more: between them the page paints what is
    // being done and stays scrollable, rather than freezing once for the sum (issue 6).
    ui.loading.textContent = 'Reading the story…';
    await pauseToPaint();
    ({ glue, viewer } = await openViewer(glue, ui, text, source.name));
    let counts = null;
    // A failure here is the viewer's too, and adopt() below reports it.
    try { counts = viewer.summary(); } catch { counts = null; }
    const preparing = counts
      ? `Preparing ${plural(counts.visibleEventCount, 'event', 'events')} and ${plural(counts.visibleActorCount, 'actor', 'actors')}…`
      : 'Preparing the story…';
    // The share done is for the eye only: a screen reader would hear every change of it.
    const done = el('span');
    done.setAttribute('aria-hidden', 'true');
    ui.loading.replaceChildren(preparing, done);
    await pauseToPaint();
    const progress = (share) => { done.textContent = ` ${Math.floor(share * 100)}%`; };
    if (await handle.adopt(glue, viewer, source, progress)) {
      await pauseToPaint();
      ui.loading.hidden = true;
      ui.toolbar.hidden = false;
      ui.views.hidden = false;
      ui.hint.hidden = false;
      // Downloads need a page that may save files: a sandboxed embed may not.
      ui.exports.hidden = !exports;
      ui.listSection.hidden = false;
      if (handle.start()) {
        if (fragmentModule) fragmentModule.syncWithUrl(handle, { signal: handle.signal });
        return handle;
      }
    }
    message = ui.panel.textContent; // adopt() or start() has shown why it stopped
  } catch (error) {
    message = error?.message || String(error);
    if (error instanceof WebAssembly.RuntimeError) {
      let panic;
      try { panic = glue?.panicMessage?.(); } catch { panic = undefined; }
      message = `Castline stopped: ${panic || message}`;
    }
    showFatal(ui, message);
  }
  const failure = new Error(message);
  failure.castlineShown = true; // so callers need not show it twice
  throw failure;
}

globalThis.Castline = { mount };
