// Runs inside headless Chromium (driven by bench/browser.mjs): layout steps, full redraws and
// panning, for Castline, for a hand-batched replay of the scene it drew, and for its peers
// drawing the same positioned graph. Interactions are measured on the real page instead.

// `?pkg=/alt-pkg` loads another build of Castline (bench/browser.mjs serves BENCH_ALT_PKG there).
const pkg = new URLSearchParams(location.search).get('pkg') ?? '/www/pkg';
// The generator and LayoutRun are in the full build (castline_full.js, docs/performance.md); an
// older build given as `?pkg=` has them in castline.js.
const { default: init, Viewer, LayoutRun, generateStory, generateEdges } = await import(`${pkg}/castline_full.js`)
  .catch(() => import(`${pkg}/castline.js`));
import { d3Simulation } from '../models.mjs';

const W = 1200;
const H = 800;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
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
        const { sim } = d3Simulation(actors, edges);
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
/** The scene Castline drew last, recorded (`Viewer.recordScene()`), for the reference. */
let scene = null;

/**
 * Loads a generated story into a Viewer, runs its layout without painting until it settles or
 * `maxMs` has passed (`settleLayout`: painting every frame would take minutes on big graphs),
 * then paints once and records the scene for the hand-batched reference. `{ error }` when the
 * viewer refuses the story.
 */
function mountCastline(actors, events, maxMs = 60_000) {
  const text = generateStory(actors, events, 1);
  const network = document.getElementById('network');
  const timeline = document.getElementById('timeline');
  viewer?.free();
  viewer = null;
  scene = null;
  const t = performance.now();
  try {
    viewer = new Viewer(network, timeline, text);
  } catch (e) {
    return { error: String(e.message ?? e).split('\n')[0], bytes: text.length };
  }
  viewer.resize(W, H, W, 1);
  const loadMs = performance.now() - t;
  const t2 = performance.now();
  const settled = viewer.settleLayout(maxMs);
  const layoutMs = performance.now() - t2;
  viewer.frame(performance.now());
  scene = viewer.recordScene();
  const count = (g, k, per) => g.shapes.reduce((n, s) => n + s[k].length / per, 0);
  const shapes = (g) => count(g, 'lines', 4) + count(g, 'rects', 4) + count(g, 'circles', 3) + g.shapes.reduce((n, s) => n + s.pathLens.length, 0);
  const texts = (g) => g.texts.reduce((n, s) => n + s.texts.length, 0);
  return {
    loadMs,
    layoutMs,
    settled,
    bytes: text.length,
    shapes: shapes(scene.network) + shapes(scene.timeline),
    texts: texts(scene.network) + texts(scene.timeline),
    styles: scene.network.shapes.length + scene.timeline.shapes.length + scene.network.texts.length + scene.timeline.texts.length,
  };
}

/** Full redraws of Castline's two canvases (network re-placed and drawn, time axis drawn). */
// `moved`: the network is panned by a pixel (back and forth) first, so Castline finds the
// nodes on screen again, as after any pan, zoom or layout step (the ties chosen are kept
// while the whole network stays on the canvas); without it the picture is unchanged and
// what the last frame worked out is reused (as after a hover or theme change). `zoomed`:
// the network is zoomed in twice first (and the view restored after), so part of it is off
// the canvas and a move chooses the ties again, scanning every one.
function redrawCastline(reps, moved = false, zoomed = false) {
  const network = document.getElementById('network');
  const timeline = document.getElementById('timeline');
  const times = [];
  const view = viewer.view();
  if (zoomed) viewer.input({ kind: 'zoom', on: 'network', factor: 2, x: network.clientWidth / 2, y: network.clientHeight / 2 });
  for (let r = 0; r < reps + 2; r++) {
    const t = performance.now();
    viewer.input({ kind: 'pan', on: 'network', dx: moved ? (r % 2 ? -1 : 1) : 0, dy: 0 });
    viewer.setTheme('light'); // dirties the time axis too, so both canvases are repainted
    // A big story does one step per frame (find a canvas's ties or lane marks, or paint
    // one canvas): every step until both canvases are painted counts here.
    for (let k = 0; k < 8 && viewer.frame(performance.now()); k++);
    flush(network);
    flush(timeline);
    if (r >= 2) times.push(performance.now() - t);
  }
  if (zoomed) viewer.setView(view);
  return times;
}

/**
 * Paints a recorded canvas scene with the fewest canvas calls: per style, the style set once,
 * one path (moveTo/lineTo/arc/rect), one stroke() or fill(); per font and colour, the text
 * state set once, then one fillText per text.
 */
function replay(ctx, rec) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  for (const g of rec.shapes) {
    ctx.beginPath();
    const { lines, rects, circles, paths, pathLens } = g;
    for (let i = 0; i < lines.length; i += 4) {
      ctx.moveTo(lines[i], lines[i + 1]);
      ctx.lineTo(lines[i + 2], lines[i + 3]);
    }
    for (let i = 0; i < rects.length; i += 4) ctx.rect(rects[i], rects[i + 1], rects[i + 2], rects[i + 3]);
    for (let i = 0; i < circles.length; i += 3) {
      const [x, y, r] = [circles[i], circles[i + 1], circles[i + 2]];
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    let k = 0;
    for (const n of pathLens) {
      ctx.moveTo(paths[k], paths[k + 1]);
      for (let j = 1; j < n; j++) ctx.lineTo(paths[k + 2 * j], paths[k + 2 * j + 1]);
      k += 2 * n;
    }
    if (g.fill) {
      ctx.fillStyle = g.color;
      ctx.fill();
    } else {
      ctx.strokeStyle = g.color;
      ctx.lineWidth = g.width;
      ctx.stroke();
    }
  }
  for (const g of rec.texts) {
    ctx.font = g.font;
    ctx.fillStyle = g.color;
    ctx.textAlign = g.align;
    ctx.textBaseline = g.baseline;
    for (let i = 0; i < g.texts.length; i++) ctx.fillText(g.texts[i], g.xy[2 * i], g.xy[2 * i + 1]);
  }
}

/**
 * The reference for a full redraw: the scene Castline drew, replayed hand-batched onto two
 * plain canvases of the same sizes, timed like `redrawCastline` (until rasterised).
 */
function redrawReference(reps) {
  const canvases = ['refNetwork', 'refTimeline'].map((id) => document.getElementById(id));
  const parts = [scene.network, scene.timeline];
  canvases.forEach((c, i) => {
    if (c.width !== parts[i].width) c.width = parts[i].width;
    if (c.height !== parts[i].height) c.height = parts[i].height;
    c.style.width = `${parts[i].width}px`;
  });
  const contexts = canvases.map((c) => c.getContext('2d'));
  const times = [];
  for (let r = 0; r < reps + 2; r++) {
    const t = performance.now();
    replay(contexts[0], parts[0]);
    replay(contexts[1], parts[1]);
    flush(canvases[0]);
    flush(canvases[1]);
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
    viewer.input({ kind: 'pan', on: 'network', dx: 2, dy: 1 });
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
    // redraw() paints synchronously and from scratch: every edge and node in view, no bitmap
    // cache (labels smaller than 5 px on screen are skipped: vis-network's own level of detail).
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
    const r = cy.renderer();
    // Paint once through cytoscape's own loop, which also computes what drawing needs (edge
    // endpoints, label boxes, the z-order).
    r.redrawHint('eles', true);
    r.render();
    const canvas = r.data.canvases[r.NODE];
    const ctx = r.data.contexts[r.NODE];
    /**
     * cytoscape's `render()` repaints the node layer from its layered texture cache (whole
     * layers as bitmaps, kept while zoom and elements do not change), so timing it measures
     * a few drawImage calls, not drawing the graph. A full redraw is what render() does when
     * those caches are cold or refused: the same transform, then its own per-element
     * `drawElement` for every element in z-order (edges, nodes, labels).
     */
    peer.redrawNow = () => {
      const pr = r.getPixelRatio();
      const zoom = cy.zoom() * pr;
      const pan = cy.pan();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.translate(pan.x * pr, pan.y * pr);
      ctx.scale(zoom, zoom);
      const eles = r.getCachedZSortedEles();
      for (let i = 0; i < eles.length; i++) r.drawElement(ctx, eles[i]);
      flush(canvas);
    };
    /** What cytoscape itself does on a repaint with warm caches, for comparison only. */
    peer.cachedRedraw = () => {
      r.redrawHint('eles', true);
      r.redrawHint('drag', true);
      r.render();
      for (const c of container.querySelectorAll('canvas')) flush(c);
    };
  }
  return { loadMs: performance.now() - t };
}

/** `cached`: cytoscape's own render() from its bitmap caches instead of a full redraw. */
function redrawPeer(reps, cached = false) {
  const times = [];
  for (let r = 0; r < reps + 2; r++) {
    const t = performance.now();
    if (cached) peer.cachedRedraw();
    else peer.redrawNow();
    if (r >= 2) times.push(performance.now() - t);
  }
  return times;
}

await init();
window.bench = {
  layout,
  mountCastline,
  redrawCastline,
  redrawReference,
  panCastline,
  mountPeer,
  redrawPeer,
};
window.benchReady = true;
