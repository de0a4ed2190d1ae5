// The view in the page's URL fragment, so that a reload or a shared link
// shows exactly the same thing, and back/forward step through changes:
//
//   #select=dmitriev,witkoff&mode=any&window=2025-11-17..2025-11-23
//    &time=2025-10-01..2025-11-30&zoom=1.5,20,-10&focus=miami-talks&size=ties
//   #step=3   (a step of the story told in steps: its view, framed at any width)
//   &collapse=russia,us   (the groups collapsed into one mark each, on a step too)
//
// Only loaded when mount() is given { fragment: true }: an embedded view
// never touches its host page's URL unless asked.

// Ids and dates are percent-encoded, except ':' (times read better).
const part = (text) => encodeURIComponent(String(text)).replace(/%3A/gi, ':');

function range([start, end]) {
  const side = (value) => (value === null || value === undefined || value === '..' ? '' : part(value));
  return `${side(start)}..${side(end)}`;
}

function round(value, digits) {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? '0' : String(r);
}

function sameCamera(a, b) {
  return !!a && !!b && Math.abs(a.k - b.k) < 1e-4 && Math.abs(a.x - b.x) < 0.005 && Math.abs(a.y - b.y) < 0.005;
}

/**
 * The fragment (without '#') for a snapshot of the view, as given by the
 * handle's snapshot(); `defaultCamera` is left out of it.
 */
export function encodeFragment(snapshot, defaultCamera) {
  const size = snapshot.size && snapshot.size !== 'events' ? `size=${part(snapshot.size)}` : null;
  const collapse = snapshot.collapsedGroups?.length ? `collapse=${snapshot.collapsedGroups.map(part).join(',')}` : null;
  // On a step, the step is the whole view (its camera is framed for the reader's width), with
  // what the node sizes show and the groups collapsed.
  if (snapshot.step) return [`step=${Number(snapshot.step)}`, size, collapse].filter(Boolean).join('&');
  const out = [];
  if (snapshot.selectedActors?.length) out.push(`select=${snapshot.selectedActors.map(part).join(',')}`);
  if (snapshot.mode === 'any') out.push('mode=any');
  if (snapshot.timeWindow) out.push(`window=${range(snapshot.timeWindow)}`);
  const view = snapshot.view ?? {};
  if (view.timeView) out.push(`time=${range(view.timeView)}`);
  const c = view.camera;
  if (c && !sameCamera(c, defaultCamera)) out.push(`zoom=${round(c.k, 4)},${round(c.x, 2)},${round(c.y, 2)}`);
  if (snapshot.focusedEvent) out.push(`focus=${part(snapshot.focusedEvent)}`);
  if (size) out.push(size);
  if (collapse) out.push(collapse);
  return out.join('&');
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function parseRange(text) {
  const at = text.indexOf('..');
  if (at < 0) return null;
  const start = decode(text.slice(0, at));
  const end = decode(text.slice(at + 2));
  if (start === null || end === null || (start === '' && end === '')) return null;
  return [start === '' ? null : start, end === '' ? null : end];
}

/**
 * Reads a fragment (with or without '#') into { snapshot, problems }: the
 * snapshot has only what the fragment names; problems are sentences about
 * the parts that could not be read (they are left out, not fatal).
 */
export function parseFragment(hash) {
  const text = String(hash ?? '').replace(/^#/, '');
  const snapshot = { selectedActors: [], mode: 'all', timeWindow: null, focusedEvent: null, view: {}, step: null, collapsedGroups: [] };
  const problems = [];
  if (!text) return { snapshot, problems };
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    switch (key) {
      case 'select':
        for (const id of value.split(',')) {
          const decoded = decode(id);
          if (decoded) snapshot.selectedActors.push(decoded);
        }
        break;
      case 'mode':
        if (value === 'all' || value === 'any') snapshot.mode = value;
        else problems.push(`the mode “${decode(value) ?? value}” is neither “all” nor “any”`);
        break;
      case 'window': {
        const r = parseRange(value);
        if (r) snapshot.timeWindow = r;
        else problems.push(`the time window “${decode(value) ?? value}” is not written as start..end`);
        break;
      }
      case 'time': {
        const r = parseRange(value);
        if (r && r[0] && r[1]) snapshot.view.timeView = r;
        else problems.push(`the time axis span “${decode(value) ?? value}” is not written as start..end`);
        break;
      }
      case 'zoom': {
        const numbers = value.split(',').map(Number);
        if (numbers.length === 3 && numbers.every(Number.isFinite) && numbers[0] > 0) {
          snapshot.view.camera = { k: numbers[0], x: numbers[1], y: numbers[2] };
        } else {
          problems.push(`the zoom “${decode(value) ?? value}” is not three numbers k,x,y`);
        }
        break;
      }
      // The viewer knows the measures; one it does not is reported when the view is shown.
      case 'size': {
        const name = decode(value);
        if (name) snapshot.size = name;
        break;
      }
      case 'focus': {
        const id = decode(value);
        if (id) snapshot.focusedEvent = id;
        break;
      }
      case 'collapse':
        for (const id of value.split(',')) {
          const decoded = decode(id);
          if (decoded) snapshot.collapsedGroups.push(decoded);
        }
        break;
      case 'step': {
        // Steps count from 1, as the page says them.
        if (/^[1-9]\d{0,5}$/.test(value)) snapshot.step = Number(value);
        else problems.push(`the step “${decode(value) ?? value}” is not a step number (1, 2, …)`);
        break;
      }
      default:
        problems.push(`“${decode(key) ?? key}” is not something a Castline link can say`);
    }
  }
  return { snapshot, problems };
}

/**
 * Keeps the page's URL fragment and the handle's view in step until
 * `signal` aborts: applies the fragment now and on back/forward or a typed
 * fragment, pushes a history entry for each discrete change, and only
 * replaces the current entry (at most every 250 ms) while a drag, pinch,
 * wheel or playback is going on.
 */
export function syncWithUrl(handle, { signal } = {}) {
  const defaultCamera = handle.defaultView()?.camera ?? null;
  // The fragment last written or applied: at first, the view shown, so that a page opened
  // with no fragment does not restore (and paint again) the view it already shows.
  let current = encodeFragment(handle.snapshot(), defaultCamera);
  let pushedThisInteraction = false;
  let pending = 0;
  let applying = false;

  const here = () => window.location.hash.replace(/^#/, '');
  const urlFor = (text) => (text ? `#${text}` : `${window.location.pathname}${window.location.search}`);

  const write = (mode) => {
    pending = 0;
    const text = encodeFragment(handle.snapshot(), defaultCamera);
    if (text === current) return;
    current = text;
    if (text === here()) return;
    if (mode === 'push') history.pushState(null, '', urlFor(text));
    else history.replaceState(null, '', urlFor(text));
  };

  const apply = (notify, glide = false) => {
    const text = here();
    if (text === current) return;
    const { snapshot, problems } = parseFragment(text);
    applying = true;
    let refused;
    try {
      refused = handle.restore(snapshot, { glide });
    } finally {
      applying = false;
      pushedThisInteraction = false;
    }
    if (notify) handle.notice([...problems, ...refused]);
    current = encodeFragment(handle.snapshot(), defaultCamera);
    // A link with parts that were left out is rewritten to what is shown.
    if (current !== text) history.replaceState(null, '', urlFor(current));
  };

  apply(true);

  handle.addEventListener('change', () => {
    if (applying || handle.restoring) return;
    if (!handle.interacting) {
      clearTimeout(pending);
      write('push');
    } else if (!pushedThisInteraction) {
      pushedThisInteraction = true;
      clearTimeout(pending);
      write('push');
    } else if (!pending) {
      pending = setTimeout(() => write('replace'), 250);
    }
  }, { signal });

  handle.addEventListener('interactionend', () => {
    if (applying) return;
    clearTimeout(pending);
    write(pushedThisInteraction ? 'replace' : 'push');
    pushedThisInteraction = false;
  }, { signal });

  const onNavigate = () => {
    clearTimeout(pending);
    pending = 0;
    apply(true, true);
  };
  window.addEventListener('popstate', onNavigate, { signal });
  window.addEventListener('hashchange', onNavigate, { signal });
  signal?.addEventListener('abort', () => clearTimeout(pending));
}
