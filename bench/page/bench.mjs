// Runs inside headless Chromium (driven by bench/browser.mjs): layout steps, full redraws and
// panning, for Castline and for its peers drawing the same positioned graph.

// `?pkg=/alt-pkg` loads another build of Castline (bench/browser.mjs serves BENCH_ALT_PKG there).
const pkg = new URLSearchParams(location.search).get('pkg') ?? '/www/pkg';
const { default: init, Viewer, LayoutRun, generateStory, generateEdges } = await import(`${pkg}/castline.js`);
import { forceSimulation, forceLink, forceManyBody, forceX, forceY, forceCollide } from 'd3-force';

const W = 1200;
const H = 800;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function spiral(i) {
  const r = 12 * Math.sqrt(0.5 + i);
  const a = i * Math.PI * (3 - Math.sqrt(5));
  return [r * Math.cos(a), r * Math.sin(a)];
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** ms per layout step, Castline against d3-force, taking turns (as bench/layout.mjs). */
function layout(actors, events, steps, reps) {
  const edges = generateEdges(actors, events, 1);
  const out = { castline: [], d3: [] };
  for (let r = 0; r < reps; r++) {
    const order = r % 2 ? ['d3', 'castline'] : ['castline', 'd3'];
    for (const lib of order) {
      if (lib === 'castline') {
        const run = new LayoutRun(actors, edges, 10);
        const t = performance.now();
        run.step(steps);
        out.castline.push((performance.now() - t) / steps);
        run.free();
      } else {
        const nodes = Array.from({ length: actors }, (_, i) => {
          const [x, y] = spiral(i);
          return { x, y };
        });
        const links = [];
        for (let k = 0; k < edges.length; k += 2) links.push({ source: edges[k], target: edges[k + 1] });
        const sim = forceSimulation(nodes)
          .force('link', forceLink(links).distance(70))
          .force('charge', forceManyBody().strength(-200))
          .force('x', forceX(0).strength(0.1))
          .force('y', forceY(0).strength(0.1))
          .force('collide', forceCollide(10))
          .stop();
        const t = performance.now();
        sim.tick(steps);
        out.d3.push((performance.now() - t) / steps);
      }
    }
  }
  return out;
}

/** Reading one pixel makes Chromium rasterise the canvas now, so the time includes it. */
function flush(canvas) {
  canvas.getContext('2d').getImageData(0, 0, 1, 1);
}

let viewer = null;

/**
 * Loads a generated story into a Viewer and runs its frames (layout slices and redraws) until
 * the layout settles or `maxMs` has passed: every frame redraws, so on big graphs the layout
 * would take minutes. `{ error }` when the viewer refuses the story (W4 is over its size cap).
 */
function mountCastline(actors, events, maxMs = 15_000) {
  const text = generateStory(actors, events, 1);
  const network = document.getElementById('network');
  const timeline = document.getElementById('timeline');
  viewer?.free();
  viewer = null;
  const t = performance.now();
  try {
    viewer = new Viewer(network, timeline, text);
  } catch (e) {
    return { error: String(e.message ?? e).split('\n')[0], bytes: text.length };
  }
  viewer.resize(W, H, W, 1);
  const loadMs = performance.now() - t;
  const t2 = performance.now();
  let frames = 1;
  let running = viewer.frame(performance.now());
  while (running && performance.now() - t2 < maxMs) {
    running = viewer.frame(performance.now());
    frames++;
  }
  return { loadMs, layoutMs: performance.now() - t2, frames, settled: !running, bytes: text.length };
}

/** Full redraws of Castline's two canvases (network re-placed and drawn, time axis drawn). */
function redrawCastline(reps) {
  const network = document.getElementById('network');
  const timeline = document.getElementById('timeline');
  const times = [];
  for (let r = 0; r < reps + 2; r++) {
    const t = performance.now();
    viewer.pan('network', 0, 0);
    viewer.frame(performance.now());
    flush(network);
    flush(timeline);
    if (r >= 2) times.push(performance.now() - t);
  }
  return times;
}

/** Frames per second while the network pans continuously for `ms`. */
async function panCastline(ms) {
  await nextFrame();
  const start = performance.now();
  const gaps = [];
  let last = start;
  while (performance.now() - start < ms) {
    viewer.pan('network', 2, 1);
    viewer.frame(performance.now());
    await nextFrame();
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }
  return { fps: (1000 * gaps.length) / (last - start), medianFrameMs: median(gaps) };
}

/** The positioned graph as Castline drew it: CSS px per actor, and the edges. */
function positioned(actors, events) {
  const xy = new Float64Array(2 * actors);
  for (let i = 0; i < actors; i++) {
    const p = viewer.actorPosition(`a${i}`);
    xy[2 * i] = p?.x ?? 0;
    xy[2 * i + 1] = p?.y ?? 0;
  }
  return { xy, edges: generateEdges(actors, events, 1) };
}

let peer = null;

function mountPeer(lib, actors, events) {
  const { xy, edges } = positioned(actors, events);
  const container = document.getElementById('peer');
  peer?.destroy();
  container.replaceChildren();
  const t = performance.now();
  if (lib === 'vis-network') {
    const nodes = Array.from({ length: actors }, (_, i) => ({
      id: i,
      x: xy[2 * i],
      y: xy[2 * i + 1],
      label: `a${i}`,
    }));
    const links = [];
    for (let k = 0; k < edges.length; k += 2) links.push({ from: edges[k], to: edges[k + 1] });
    peer = new vis.Network(
      container,
      { nodes, edges: links },
      {
        physics: false,
        layout: { improvedLayout: false },
        nodes: { shape: 'dot', size: 6, font: { size: 10 } },
        edges: { smooth: false, width: 1 },
        interaction: { hideEdgesOnDrag: false },
      },
    );
    peer.redrawNow = () => {
      peer.redraw();
      for (const c of container.querySelectorAll('canvas')) flush(c);
    };
  } else {
    const elements = [];
    for (let i = 0; i < actors; i++) elements.push({ data: { id: `a${i}` }, position: { x: xy[2 * i], y: xy[2 * i + 1] } });
    for (let k = 0; k < edges.length; k += 2) {
      elements.push({ data: { id: `e${k}`, source: `a${edges[k]}`, target: `a${edges[k + 1]}` } });
    }
    const cy = cytoscape({
      container,
      elements,
      layout: { name: 'preset' },
      style: [
        { selector: 'node', style: { width: 12, height: 12, label: 'data(id)', 'font-size': 10 } },
        { selector: 'edge', style: { width: 1, 'curve-style': 'haystack' } },
      ],
    });
    cy.fit();
    peer = cy;
    peer.redrawNow = () => {
      const r = cy.renderer();
      r.redrawHint('eles', true);
      r.redrawHint('drag', true);
      r.render();
      for (const c of container.querySelectorAll('canvas')) flush(c);
    };
  }
  return { loadMs: performance.now() - t };
}

function redrawPeer(reps) {
  const times = [];
  for (let r = 0; r < reps + 2; r++) {
    const t = performance.now();
    peer.redrawNow();
    if (r >= 2) times.push(performance.now() - t);
  }
  return times;
}

/**
 * Click-to-filter as the page does it: the listener hands the click to the viewer and asks
 * for a paint in the next animation frame. Event Timing measures from the input to the
 * next paint (its durations come in steps of 8 ms).
 */
const eventDurations = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.interactionId) eventDurations.push({ name: e.name, id: e.interactionId, duration: e.duration });
  }
}).observe({ type: 'event', durationThreshold: 16, buffered: true });

document.getElementById('network').addEventListener('click', (ev) => {
  if (!viewer) return;
  viewer.click('network', ev.offsetX, ev.offsetY, false);
  requestAnimationFrame(() => viewer.frame(performance.now()));
});

/** Where actor `i` is on the page, or null. */
function actorOnPage(i) {
  const p = viewer?.actorPosition(`a${i}`);
  if (!p) return null;
  const r = document.getElementById('network').getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
}

/** The longest Event Timing duration of each interaction since the last call, then clears. */
function takeInteractions() {
  const by = new Map();
  for (const e of eventDurations) by.set(e.id, Math.max(by.get(e.id) ?? 0, e.duration));
  eventDurations.length = 0;
  return [...by.values()];
}

await init();
window.bench = {
  layout,
  mountCastline,
  redrawCastline,
  panCastline,
  mountPeer,
  redrawPeer,
  actorOnPage,
  takeInteractions,
};
window.benchReady = true;
