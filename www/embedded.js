// The compact viewer inside an embed's iframe (embed.html): shows the story
// named by ?data=, starts from the view in the URL fragment (#select=…, the
// same words as the full page's links), and tells the page around it how
// tall it is, so the iframe never needs a scroll bar of its own.
//
// Query parameters, all optional:
//   data     the story: a URL relative to this page, or an http(s) URL
//   theme    "light" or "dark" to fix the colours (default: the system's)
//   parent   the embedding page's origin, set by embed.js; heights are posted
//            to exactly that origin as { type: 'castline:height', height, id }.
//            It may be given up to four times (an AMP page is served from its
//            own origin and from AMP caches): each is posted to, and the
//            browser delivers only to the one that matches
//   id       this embed's id on that page, echoed in each message
//   amp      "1": post AMP's { sentinel: 'amp', type: 'embed-size', height }
//            instead, for <amp-iframe resizable>
//   childId, parentUrl
//            what pym.js's Parent adds to an iframe's URL: then heights are
//            posted in pym's own format, to parentUrl's origin
//
//   host     the origin the snippet names (data-host-origin): commands are
//            then taken only from it
//   noheight "1": the snippet keeps its height; only the protocol's messages
//
// Heights are never posted to '*': without a valid http(s) parent origin
// the iframe keeps the height its snippet gave it.
//
// The host page protocol (docs/embedding.md, version PROTOCOL): the embed posts
// { type: 'castline:ready' | 'castline:change' | 'castline:step' | 'castline:settled',
// version, id, … } to the parent origin(s), and takes { type: 'castline:show', view } and
// { type: 'castline:go-to-step', step } only from its parent window (event.source), and
// from the host origin when one is named; anything else is ignored.

import { dataSource, mount } from './castline.js';
import { encodeFragment, parseFragment } from './fragment.js';
import { showError } from './shell/diagnostics.js';

const DEFAULT_DATA = 'data/peace-plan-2025.json';
const params = new URLSearchParams(window.location.search);
const container = document.getElementById('castline');

// Only an http(s) origin is a place to post to.
function originOf(value) {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

const MAX_PARENTS = 4;
const PROTOCOL = 1;
// The least time between two changes told to the host during an interaction (speakWithHost).
const THROTTLE_MS = 250;

// pym.js's Parent gives childId and parentUrl; embed.js gives parent and id.
function parentChannel() {
  const pymId = params.get('childId');
  if (pymId) {
    const origin = originOf(params.get('parentUrl'));
    return origin ? { origins: [origin], format: 'pym', id: pymId } : null;
  }
  const origins = [...new Set(params.getAll('parent').slice(0, MAX_PARENTS).map(originOf).filter(Boolean))];
  if (!origins.length) return null;
  return { origins, format: params.get('amp') === '1' ? 'amp' : 'castline', id: params.get('id') ?? '' };
}

function heightMessage(channel, height) {
  switch (channel.format) {
    case 'pym': return `pymxPYMx${channel.id}xPYMxheightxPYMx${height}`;
    case 'amp': return { sentinel: 'amp', type: 'embed-size', height };
    default: return { type: 'castline:height', height, id: channel.id };
  }
}

function postHeights(channel) {
  if (!channel || window.parent === window || params.get('noheight') === '1') return;
  let last = -1;
  const post = (entries) => {
    // The document's own height, not scrollHeight, which is never less than
    // the iframe's and so could only ever grow. In the observer, the size it reports: a
    // layout forced there (getBoundingClientRect) lays out the event list's entries that
    // skip layout out of view (content-visibility), which WebKit reports as an error, a
    // ResizeObserver loop.
    const box = entries?.[0]?.borderBoxSize?.[0];
    const height = Math.ceil(box ? box.blockSize : document.documentElement.getBoundingClientRect().height);
    if (height === last || height <= 0) return;
    last = height;
    for (const origin of channel.origins) window.parent.postMessage(heightMessage(channel, height), origin);
  };
  new ResizeObserver(post).observe(document.documentElement);
  post();
}

// The host page protocol: what the embed tells its host, and the commands it takes.
function speakWithHost(handle, channel) {
  // pym.js's pages speak it too (scrollytelling with pym, docs/examples/scrolly.html); AMP's
  // frames only resize.
  if (!channel || channel.format === 'amp' || window.parent === window) return;
  const post = (type, more = {}) => {
    const message = { type: `castline:${type}`, version: PROTOCOL, id: channel.id, ...more };
    for (const origin of channel.origins) window.parent.postMessage(message, origin);
  };
  const host = originOf(params.get('host'));
  let step = handle.state().step ?? null;
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || (host && event.origin !== host)) return;
    const data = event.data;
    if (data === null || typeof data !== 'object' || data.version !== PROTOCOL) return;
    try {
      if (data.type === 'castline:show' && data.view && typeof data.view === 'object') {
        const { snapshot, problems } = parseFragment(encodeView(data.view));
        const refused = handle.restore(snapshot);
        if (problems.length || refused.length) handle.notice([...problems, ...refused]);
      } else if (data.type === 'castline:go-to-step' && typeof handle.goToStep === 'function') {
        handle.goToStep(Number(data.step));
      }
    } catch (error) {
      handle.notice([`The host page's ${data.type.slice(9)} was not shown: ${error?.message || error}`]);
    }
  });
  // A drag, a wheel burst or playback changes the view many times a second, and a big story's
  // state lists every visible event (W4's brush: changes of up to 90,000 ids, each a task of
  // 55–170 ms to make and post). As the URL follows them (fragment.js), the host hears an
  // interaction's first change at once, then at most one every THROTTLE_MS, and its end.
  let timer = 0;
  let unsent = false;
  let heard = false;
  const sendChange = (detail = null) => {
    clearTimeout(timer);
    timer = 0;
    unsent = false;
    // The change's own state(), not a second one: its lists are made once, as it is sent.
    let state;
    try {
      state = { ...(detail ?? handle.state()) };
    } catch {
      return; // the view was taken down meanwhile
    }
    post('change', { state });
  };
  handle.addEventListener('change', (event) => {
    const now = event.detail.step ?? null;
    if (!handle.interacting || !heard || now !== step) {
      heard = handle.interacting;
      sendChange(event.detail);
    } else {
      unsent = true;
      timer ||= setTimeout(() => sendChange(), THROTTLE_MS);
    }
    if (now !== step) {
      step = now;
      if (step !== null) post('step', { step });
    }
  });
  handle.addEventListener('interactionend', () => {
    heard = false;
    if (unsent) sendChange();
  });
  handle.addEventListener('settled', () => post('settled'));
  post('ready', { state: handle.state(), steps: typeof handle.steps === 'function' ? handle.steps().length : 0 });
  if (handle.state().layout === 'settled') post('settled');
}

// A view in the fragment's keys ({ select: ['a'], window: ['2025-10', null], mode, time, focus,
// size }) as a fragment, which the page already reads (and reports on) for links.
function encodeView(view) {
  const list = (v) => (Array.isArray(v) ? v : [v]).map((x) => encodeURIComponent(String(x ?? '')));
  const range = (v) => (Array.isArray(v) ? list(v.slice(0, 2)).join('..') : String(v));
  const parts = [];
  for (const [key, value] of Object.entries(view)) {
    if (value === null || value === undefined) continue;
    if (key === 'window' || key === 'time') parts.push(`${key}=${range(value)}`);
    else if (key === 'select') parts.push(`select=${list(value).join(',')}`);
    else parts.push(`${encodeURIComponent(key)}=${list(value).join(',')}`);
  }
  return parts.join('&');
}

const fail = (message) => showError(container, message);

// "Open the full view" shows the same story and view on the full page, in a
// new tab (the iframe's sandbox lets popups escape it), where downloads work.
function linkFullView(handle, src) {
  const link = document.getElementById('castline-full-view');
  if (!link) return;
  const defaultCamera = handle.defaultView()?.camera ?? null;
  const update = () => {
    const url = new URL('index.html', window.location.href);
    if (src !== DEFAULT_DATA) url.searchParams.set('data', src);
    url.hash = encodeFragment(handle.snapshot(), defaultCamera);
    link.href = url.href;
  };
  handle.addEventListener('change', update);
  update();
  // Shown with the view, not before: under the stand-in it would move down as the view grew.
  link.closest('.castline-embed-footer')?.removeAttribute('hidden');
}

// What `castline publish --select/--window/--theme` wrote into the page: the view and colours
// it opens with when its URL names none.
const published = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;

async function main() {
  const theme = params.get('theme') ?? published('castline-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.classList.add(`castline-theme-${theme}`);
  postHeights(parentChannel());
  let src;
  try {
    src = dataSource(params.get('data'), DEFAULT_DATA);
  } catch (error) {
    fail(error.message);
    return;
  }
  try {
    const handle = await mount(container, { src, exports: false, theme: theme ?? 'auto' });
    window.castline = handle;
    // The view in the fragment is applied once; the embed never writes history, which is
    // shared with the article (Back must leave the article, not undo a click in the embed).
    // None given: the view is the one just shown, and restoring it would only paint it again.
    const given = window.location.hash.replace(/^#/, '') || published('castline-view');
    if (given) {
      const { snapshot, problems } = parseFragment(given);
      const refused = handle.restore(snapshot);
      if (problems.length || refused.length) handle.notice([...problems, ...refused]);
    }
    linkFullView(handle, src);
    speakWithHost(handle, parentChannel());
  } catch (error) {
    if (!error.castlineShown) fail(error.message || String(error));
    console.error(error);
  }
}

main();
