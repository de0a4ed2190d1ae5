// Castline's embeddable page shell. Rust (www/pkg) owns state, layout,
// hit-testing and drawing; this module only builds the DOM around the two
// canvases, forwards input and mirrors the viewer's state into the DOM.
//
// Data is never code: text from the story reaches the DOM only through
// textContent / createTextNode, links only with http(s) schemes, colours
// only as #rrggbb.

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

let wasmPromise = null;

// The wasm is loaded lazily and once per page, so that a missing or broken
// build is reported inside the mounted element instead of breaking the
// import of this module.
function loadWasm() {
  if (!wasmPromise) {
    wasmPromise = (async () => {
      const glue = await import(new URL('./pkg/castline.js', import.meta.url).href);
      await glue.default({ module_or_path: new URL('./pkg/castline_bg.wasm', import.meta.url) });
      return glue;
    })();
    wasmPromise.catch(() => { wasmPromise = null; });
  }
  return wasmPromise;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
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

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function listInWords(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// "2025-11-26" reads better as "26 Nov 2025"; anything else is shown as written.
function publishedInWords(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (!m) return String(value);
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

// The viewer writes an open end of the time window as "..".
function windowInWords([start, end]) {
  const day = (value) => (typeof value === 'string' ? value.slice(0, 10) : String(value));
  const open = (value) => value === null || value === undefined || value === '..';
  if (open(start)) return `until ${day(end)}`;
  if (open(end)) return `from ${day(start)}`;
  return `from ${day(start)} to ${day(end)}`;
}

class CastlineHandle extends EventTarget {
  #viewer = null;
  #glue = null;
  #element;
  #ui;
  #story = null;
  #items = new Map();
  #actorNames = new Map();
  #lastVersion = -1;
  #lastFocused = null;
  #focusFromList = false;
  #raf = 0;
  #stopped = false;
  #destroyed = false;
  #abort = new AbortController();
  #resizeObserver = null;
  #dprQuery = null;
  #lastSizes = '';

  constructor(element, ui) {
    super();
    this.#element = element;
    this.#ui = ui;
  }

  // ---- public API ---------------------------------------------------------

  select(actorIds) {
    this.#api((v) => v.select(Array.from(actorIds ?? [], String)));
  }

  clear() {
    this.#api((v) => v.clear());
  }

  setTimeWindow(start, end) {
    this.#api((v) => v.setTimeWindow(start ?? null, end ?? null));
  }

  focusEvent(id) {
    this.#api((v) => v.focusEvent(id ?? null));
  }

  state() {
    return this.#api((v) => v.state(), false);
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

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#abort.abort();
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#resizeObserver?.disconnect();
    try { this.#viewer?.free(); } catch { /* already gone after a panic */ }
    this.#viewer = null;
    this.#element.replaceChildren();
  }

  // ---- setup (called once by mount) ----------------------------------------

  start(glue, viewer) {
    this.#glue = glue;
    this.#viewer = viewer;
    const story = this.#call(() => viewer.story());
    if (!story) return false;
    this.#story = story;
    for (const actor of story.actors) this.#actorNames.set(actor.id, actor.name);
    this.#buildHeader(story);
    this.#showDiagnostics(this.#call(() => viewer.diagnostics()) ?? []);
    this.#buildLegend(story);
    this.#buildEventList(story);
    this.#describeCanvases(story);
    this.#wireInput();
    this.#watchSize();
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

  // One rAF loop drives the viewer; everything else only asks for a frame,
  // and at most one is ever pending.
  #requestFrame() {
    if (this.#raf || this.#stopped || this.#destroyed) return;
    this.#raf = requestAnimationFrame((now) => {
      this.#raf = 0;
      const more = this.#call((v) => v.frame(now));
      this.#sync();
      if (more) this.#requestFrame();
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
    const height = this.#call((v) => v.resize(nw, nh, tw, dpr));
    if (typeof height === 'number' && Number.isFinite(height)) {
      timelineCanvas.style.height = `${Math.max(0, Math.round(height))}px`;
    }
    this.#requestFrame();
  }

  // ---- state → DOM ---------------------------------------------------------

  #sync() {
    if (this.#stopped || this.#destroyed) return;
    const version = this.#call((v) => v.version());
    if (version === undefined || version === this.#lastVersion) return;
    this.#lastVersion = version;
    const state = this.#call((v) => v.state());
    if (!state) return;
    this.#render(state);
    this.dispatchEvent(new CustomEvent('change', { detail: state }));
  }

  #render(state) {
    const visible = new Set(state.visibleEvents);
    for (const [id, li] of this.#items) {
      const show = visible.has(id);
      if (li.hidden === show) li.hidden = !show;
      if (id === state.focusedEvent) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    const focused = state.focusedEvent ?? null;
    if (focused !== this.#lastFocused) {
      const item = focused ? this.#items.get(focused) : null;
      // Only follow the canvas: a click in the list is already in view.
      if (item && !this.#focusFromList && !item.hidden) item.scrollIntoView({ block: 'nearest' });
      this.#lastFocused = focused;
    }
    this.#focusFromList = false;

    const total = this.#story.events.length;
    const parts = [`Showing ${state.visibleEvents.length} of ${plural(total, 'event', 'events')}`];
    const names = state.selectedActors.map((id) => this.#actorNames.get(id) ?? id);
    if (names.length) parts.push(`involving ${listInWords(names)}`);
    if (state.timeWindow) parts.push(windowInWords(state.timeWindow));
    if (focused) {
      const event = this.#story.events.find((e) => e.id === focused);
      if (event) parts.push(`focused: ${event.title}`);
    }
    this.#ui.status.textContent = parts.join(' · ');
    this.#ui.showAll.disabled = !(state.selectedActors.length || state.timeWindow || focused);
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

  #showDiagnostics(diagnostics) {
    const { panel } = this.#ui;
    panel.replaceChildren();
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity !== 'error');
    if (!errors.length && !warnings.length) {
      panel.hidden = true;
      return;
    }
    const section = (items, kind, heading) => {
      const box = el('div', `castline-diag-section castline-diag-section-${kind}`);
      box.append(el('p', `castline-diag-heading castline-diag-heading-${kind}`, heading));
      const ul = el('ul', `castline-diag-list castline-diag-${kind}s`);
      for (const d of items) {
        const li = el('li', `castline-diag castline-diag-${kind}`);
        li.append(el('span', 'castline-diag-kind', kind === 'error' ? 'Error' : 'Warning'));
        li.append(document.createTextNode(`${d.location}: ${d.message}`));
        ul.append(li);
      }
      box.append(ul);
      panel.append(box);
    };
    if (errors.length) {
      const n = errors.length;
      section(errors, 'error', n === 1
        ? '1 record was left out because of an error:'
        : `${n} records were left out because of errors:`);
    }
    if (warnings.length) section(warnings, 'warning', `${plural(warnings.length, 'warning', 'warnings')}:`);
    panel.hidden = false;
  }

  #buildLegend(story) {
    const { legend } = this.#ui;
    legend.replaceChildren();
    for (const group of story.groups) {
      const li = el('li', 'castline-legend-item');
      const swatch = el('span', 'castline-swatch');
      swatch.setAttribute('aria-hidden', 'true');
      if (HEX_COLOUR.test(group.color ?? '')) swatch.style.backgroundColor = group.color;
      li.append(swatch, el('span', 'castline-legend-name', group.name));
      legend.append(li);
    }
    legend.hidden = story.groups.length === 0;
  }

  #buildEventList(story) {
    const { list } = this.#ui;
    list.replaceChildren();
    this.#items.clear();
    for (const event of story.events) {
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
      list.append(li);
    }
    this.#ui.listSection.hidden = story.events.length === 0;
  }

  #describeCanvases(story) {
    const { networkCanvas, timelineCanvas } = this.#ui;
    const n = story.actors.length;
    const g = story.groups.length;
    networkCanvas.setAttribute('aria-label',
      `Network of ${plural(n, 'actor', 'actors')}${g ? ` in ${plural(g, 'group', 'groups')}` : ''}; `
      + 'a line joins actors who took part in the same event. The event list below gives the same information as text.');
    const events = story.events;
    let range = '';
    if (events.length) {
      const first = events[0].dateLabel;
      const last = events[events.length - 1].dateLabel;
      if (first && last) range = first === last ? `, on ${first}` : `, from ${first} to ${last}`;
    }
    timelineCanvas.setAttribute('aria-label', `Time axis of ${plural(events.length, 'event', 'events')}${range}.`);
  }

  // ---- input -----------------------------------------------------------------

  #wireInput() {
    const { networkCanvas, timelineCanvas, tooltip, list, showAll } = this.#ui;
    const signal = this.#abort.signal;

    const wireCanvas = (canvas, target) => {
      canvas.addEventListener('pointermove', (e) => {
        const rect = canvas.getBoundingClientRect();
        const answer = this.#call((v) => v.pointerMove(target, e.clientX - rect.left, e.clientY - rect.top));
        if (answer && answer.text) this.#showTooltip(answer, rect);
        else tooltip.hidden = true;
        // Something under the pointer is something to click.
        canvas.classList.toggle('castline-over-item', Boolean(answer));
        this.#requestFrame();
      }, { signal });
      canvas.addEventListener('pointerleave', () => {
        this.#call((v) => v.pointerLeave());
        tooltip.hidden = true;
        canvas.classList.remove('castline-over-item');
        this.#requestFrame();
      }, { signal });
      canvas.addEventListener('click', (e) => {
        const rect = canvas.getBoundingClientRect();
        const additive = e.shiftKey || e.ctrlKey || e.metaKey;
        this.#call((v) => v.click(target, e.clientX - rect.left, e.clientY - rect.top, additive));
        this.#sync();
        this.#requestFrame();
      }, { signal });
    };
    wireCanvas(networkCanvas, 'network');
    wireCanvas(timelineCanvas, 'timeline');

    const focusItem = (li) => {
      this.#focusFromList = true;
      this.#call((v) => v.focusEvent(li.dataset.eventId));
      this.#sync();
      this.#requestFrame();
    };
    list.addEventListener('click', (e) => {
      // Following a source link is not a request to focus the event.
      if (e.target.closest('a')) return;
      const li = e.target.closest('li.castline-event');
      if (li && list.contains(li)) focusItem(li);
    }, { signal });
    list.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const li = e.target;
      if (!(li instanceof HTMLElement) || !li.matches('li.castline-event')) return;
      e.preventDefault(); // Space would otherwise scroll the page
      focusItem(li);
    }, { signal });

    showAll.addEventListener('click', () => this.#showEverything(), { signal });

    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      this.#call((v) => v.clear());
      this.#ui.tooltip.hidden = true;
      this.#sync();
      this.#requestFrame();
    }, { signal });
  }

  // clear() is documented to reset the selection; the window and the focus
  // are reset explicitly in case it leaves them.
  #showEverything() {
    this.#call((v) => {
      v.clear();
      const s = v.state();
      if (s.timeWindow) v.setTimeWindow(null, null);
      if (s.focusedEvent) v.focusEvent(null);
    });
    this.#sync();
    this.#requestFrame();
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

function buildSkeleton(element) {
  element.classList.add('castline');
  element.replaceChildren();

  const header = el('header', 'castline-header');
  const panel = el('div', 'castline-diagnostics');
  panel.setAttribute('role', 'alert');
  panel.hidden = true;

  const toolbar = el('div', 'castline-toolbar');
  const showAll = el('button', 'castline-show-all', 'Show all');
  showAll.type = 'button';
  showAll.disabled = true;
  const status = el('p', 'castline-status');
  status.setAttribute('aria-live', 'polite');
  toolbar.append(showAll, status);

  const views = el('div', 'castline-views');
  const networkPanel = el('section', 'castline-panel castline-network-panel');
  networkPanel.setAttribute('aria-label', 'Network of actors');
  const legend = el('ul', 'castline-legend');
  legend.setAttribute('aria-label', 'Groups');
  const networkCanvas = el('canvas', 'castline-network');
  networkCanvas.setAttribute('role', 'img');
  networkCanvas.setAttribute('aria-label', 'Network of actors');
  networkPanel.append(legend, networkCanvas);

  const timelinePanel = el('section', 'castline-panel castline-timeline-panel');
  timelinePanel.setAttribute('aria-label', 'Time axis');
  const timelineCanvas = el('canvas', 'castline-timeline');
  timelineCanvas.setAttribute('role', 'img');
  timelineCanvas.setAttribute('aria-label', 'Time axis of events');
  timelinePanel.append(timelineCanvas);
  views.append(networkPanel, timelinePanel);

  const hint = el('p', 'castline-hint',
    'Click an actor to show only their events (Shift-click to add more), click an event to focus it; Escape shows everything again.');

  const listSection = el('section', 'castline-list-section');
  const listHeading = el('h2', 'castline-list-heading', 'Events');
  const list = el('ol', 'castline-events');
  list.setAttribute('aria-label', 'Events in order of time');
  listSection.append(listHeading, list);

  const tooltip = el('div', 'castline-tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;

  const loading = el('p', 'castline-loading', 'Loading the story…');

  element.append(header, panel, loading, toolbar, views, hint, listSection, tooltip);
  toolbar.hidden = true;
  views.hidden = true;
  hint.hidden = true;
  listSection.hidden = true;
  return { header, panel, loading, toolbar, showAll, status, views, hint, legend, networkCanvas, timelineCanvas, listSection, list, tooltip };
}

// A fatal error replaces the picture: the person sees why, in words.
function showFatal(ui, message) {
  ui.loading.hidden = true;
  ui.toolbar.hidden = true;
  ui.views.hidden = true;
  ui.hint.hidden = true;
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
  return response.text();
}

/**
 * Builds a Castline view inside `element`.
 * @param {HTMLElement} element
 * @param {{data?: object|string, src?: string}} options
 * @returns {Promise<CastlineHandle>} rejects (after showing the reason in
 *   the element) if the story cannot be shown at all.
 */
export async function mount(element, { data, src } = {}) {
  if (!(element instanceof HTMLElement)) throw new TypeError('Castline.mount needs an HTML element');
  const ui = buildSkeleton(element);
  const handle = new CastlineHandle(element, ui);
  let glue = null;
  let message = null;
  try {
    const wasm = loadWasm().catch((error) => {
      throw new Error(`Castline could not start its drawing engine (pkg/castline.js): ${error?.message || error}`);
    });
    let text;
    [text, glue] = await Promise.all([loadText(data, src), wasm]);
    let viewer;
    try {
      viewer = new glue.Viewer(ui.networkCanvas, ui.timelineCanvas, text);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw error;
      throw new Error(`The story could not be loaded: ${error?.message || error}`);
    }
    ui.loading.hidden = true;
    ui.toolbar.hidden = false;
    ui.views.hidden = false;
    ui.hint.hidden = false;
    ui.listSection.hidden = false;
    if (handle.start(glue, viewer)) return handle;
    message = ui.panel.textContent; // start() has shown why it stopped
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
