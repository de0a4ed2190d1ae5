// Castline's embeddable page shell. Rust (www/pkg) owns state, layout,
// hit-testing, gestures and drawing; this module mounts a view, and its parts in
// shell/ build the DOM around the two canvases, forward input and mirror the
// viewer's state into the DOM (the event list, the actor buttons, the labels
// and announcements):
//
//   shell/handle.js       the handle mount() resolves to, putting the parts together
//   shell/core.js         calls into the wasm Viewer, the frame loop, state → DOM
//   shell/wasm.js         loading the two wasm builds
//   shell/worker.js       a big story's layout in a Web Worker (the full build)
//   shell/source.js       the story's text: data given, or fetched
//   shell/skeleton.js     the DOM around the canvases
//   shell/lists.js        the event list and the actors' buttons
//   shell/controls.js     search, Show all, all/any, legend, zoom buttons, downloads
//   shell/playback.js     Play
//   shell/steps.js        the story told in steps: the bar under the pictures
//   shell/input.js        pointer, touch, wheel and keys on the canvases
//   shell/status.js       the view in words: status line, labels, live region
//   shell/screen.js       the canvases' sizes, pixel ratio and colours
//   shell/snapshot.js     a view as one object, and showing it again
//   shell/exports.js      the PNG, SVG, JSON and CSV downloads
//   shell/diagnostics.js  problems and errors in words
//   shell/dom.js, shell/words.js  making DOM nodes from data, pauses for paint; numbers and
//                         dates in words
//
// Data is never code: text from the story reaches the DOM only through
// textContent / createTextNode, links only with http(s) schemes, colours
// only as #rrggbb.

import { showFatal } from './shell/diagnostics.js';
import { el, pauseForInput, pauseToPaint } from './shell/dom.js';
import { CastlineHandle } from './shell/handle.js';
import { buildSkeleton } from './shell/skeleton.js';
import { dataName, loadText } from './shell/source.js';
import { bigStory, loadFull, loadWasm, openViewer, panicMessage } from './shell/wasm.js';
import { plural } from './shell/words.js';

export { dataSource, decodeText } from './shell/source.js';

/**
 * Builds a Castline view inside `element`.
 * @param {HTMLElement} element
 * @param {{data?: object|string, src?: string, files?: {name: string, text: string}[],
 *   fragment?: boolean, exports?: boolean, theme?: "auto"|"light"|"dark"}} options
 *   `files`: several files of one story read together (a spreadsheet's events, actors and
 *   relations sheets), in place of `data` or `src`;
 *   `fragment: true` keeps the view in the page's URL fragment (and history);
 *   `exports: false` hides the download buttons; `theme` fixes the canvases' colours
 *   (the page's own follow the stylesheet).
 * @returns {Promise<CastlineHandle>} rejects (after showing the reason in
 *   the element) if the story cannot be shown at all.
 */
export async function mount(element, {
  data, src, files, name, fragment = false, exports = true, theme = 'auto',
} = {}) {
  if (!(element instanceof HTMLElement)) throw new TypeError('Castline.mount needs an HTML element');
  // The story's picture the page was served with, if it is this story's: the view is laid out
  // unseen over it and takes its place once painted.
  const standIn = standInFor(element, data, src);
  // The view goes into a box of its own, laid out over the stand-in but unseen; shown, it is
  // the view's box for good (nothing is moved, so nothing is laid out twice).
  const live = standIn ? el('div', 'castline-view') : element;
  if (standIn) {
    element.classList.add('castline-mounting');
    live.setAttribute('aria-hidden', 'true');
    element.append(live);
  }
  const reveal = () => {
    if (!standIn?.isConnected) return;
    standIn.remove();
    live.removeAttribute('aria-hidden');
    element.classList.remove('castline-mounting');
  };
  // The fetches first, then the DOM in a task of its own: the network is at work meanwhile,
  // and the page's start is two short tasks rather than one. Their failures are shown below.
  const wasm = loadWasm().catch((error) => {
    throw new Error(`Castline could not start its drawing engine (pkg/castline.js): ${error?.message || error}`);
  });
  const sync = fragment
    ? import('./fragment.js').catch((error) => {
      throw new Error(`Castline could not load fragment.js: ${error?.message || error}`);
    })
    : null;
  const loading = files ? null : loadText(data, src, () => loadFull().catch(() => {}));
  for (const p of [wasm, sync, loading]) p?.catch(() => {});
  await pauseForInput();
  const ui = buildSkeleton(element, live);
  const handle = new CastlineHandle(element, ui, { theme });
  let glue = null;
  let message = null;
  try {
    let story;
    let fragmentModule;
    [story, glue, fragmentModule] = await Promise.all([loading, wasm, sync]);
    let viewer;
    // What the first build's downloads read again (shell/exports.js): the text, when asked.
    const source = { get text() { return story.text; }, name: dataName(name, src) };
    // Each step of a big story takes a second or more: between them the page paints what is
    // being done and stays scrollable, rather than freezing once for the sum (issue 6).
    // The share read is shown, not announced: a screen reader would read out every change.
    const share = el('span');
    share.setAttribute('aria-hidden', 'true');
    ui.loading.replaceChildren('Reading the story…', share);
    await pauseToPaint();
    // A download of unknown length (no share: NaN) shows how much of it has been read.
    const progress = (read, bytes) => {
      share.textContent = Number.isFinite(read) ? ` ${Math.round(read * 100)}%` : ` ${(bytes / 1e6).toFixed(1)} MB read`;
    };
    // A big story's layout runs in a worker (shell/worker.js), fetched while it is read.
    const layoutWorker = bigStory(story) ? import('./shell/worker.js').catch(() => null) : null;
    ({ glue, viewer } = await openViewer(glue, ui, files ?? story, source.name, progress));
    let counts = null;
    // A failure here is the viewer's too, and adopt() below reports it.
    try { counts = viewer.summary(); } catch { counts = null; }
    ui.loading.textContent = counts
      ? `Preparing ${plural(counts.visibleEventCount, 'event', 'events')} and ${plural(counts.visibleActorCount, 'actor', 'actors')}…`
      : 'Preparing the story…';
    await pauseToPaint();
    if (handle.adopt(glue, viewer, source, layoutWorker)) {
      ui.loading.hidden = true;
      ui.toolbar.hidden = false;
      ui.views.hidden = false;
      ui.hint.hidden = false;
      // Downloads need a page that may save files: a sandboxed embed may not.
      ui.exports.hidden = !exports;
      ui.listSection.hidden = false;
      if (await handle.start()) {
        if (standIn) {
          await painted(viewer);
          reveal();
          // What follows (the URL's view, the caller's own start) in a task of its own, not
          // in the frame that paints the swap.
          await pauseForInput();
        }
        if (fragmentModule) fragmentModule.syncWithUrl(handle, { signal: handle.signal });
        return handle;
      }
    }
    message = ui.panel.textContent; // adopt() or start() has shown why it stopped
  } catch (error) {
    message = error?.message || String(error);
    if (error instanceof WebAssembly.RuntimeError) {
      message = `Castline stopped: ${panicMessage(glue) || message}`;
    }
    showFatal(ui, message);
  }
  reveal();
  const failure = new Error(message);
  failure.castlineShown = true; // so callers need not show it twice
  throw failure;
}

// The stand-in `castline serve` or `make dist` put in the element (src/render/stand_in.rs): the
// story's header and pictures, shown before any script ran. Kept only when it is the story being
// mounted (the URL it names is the same); otherwise it goes at once.
function standInFor(element, data, src) {
  const standIn = element.querySelector(':scope > .castline-standin');
  if (!standIn) return null;
  let same = false;
  if ((data === undefined || data === null) && typeof src === 'string') {
    try {
      const named = new URL(standIn.getAttribute('data-castline-src') ?? '', document.baseURI);
      same = named.href === new URL(src, document.baseURI).href;
    } catch {
      same = false;
    }
  }
  if (same) return standIn;
  standIn.remove();
  return null;
}

// Resolves in the animation frame after the one in which the viewer painted its pictures, unseen
// behind the stand-in (the canvases keep them): the swap is then a frame of its own, not one
// more thing in the frame that paints the last picture. In a hidden page, or if that takes
// long, a little later.
function painted(viewer) {
  return new Promise((resolve) => {
    let frames = 0;
    const fallback = setTimeout(resolve, 2000);
    const done = () => {
      clearTimeout(fallback);
      resolve();
    };
    const check = () => {
      frames += 1;
      let pending = false;
      try { pending = viewer.picturesPending(); } catch { pending = false; }
      if (frames > 60) done();
      else requestAnimationFrame(pending ? check : done);
    };
    requestAnimationFrame(check);
  });
}

globalThis.Castline = { mount };
