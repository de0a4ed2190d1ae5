// The overview of a big story (issue 20 §3): Castline's community detection (Louvain, in
// wasm) beside graphology's Louvain on the same weighted graph of each workload, timed in
// Node, with the modularity each finds (both partitions also measured by Castline's count,
// so the two numbers are comparable); and the marks the network draws at fit zoom.

import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { loadCastline, selectedWorkloads, SEED, spread, table } from './common.mjs';

const RUNS = Number(process.env.BENCH_OVERVIEW_RUNS ?? 5);
/// The network canvas of the page at 1280 × 900.
const CANVAS = { width: 760, height: 560 };

function graphologyGraph(n, ties) {
  const g = new Graph({ type: 'undirected' });
  for (let i = 0; i < n; i++) g.addNode(i);
  for (let k = 0; k < ties.length; k += 3) {
    g.addEdge(ties[k], ties[k + 1], { weight: ties[k + 2] });
  }
  return g;
}

function timed(f) {
  const t = performance.now();
  const out = f();
  return [performance.now() - t, out];
}

export async function benchOverview(log = () => {}) {
  const castline = await loadCastline();
  const rows = [];
  const marks = [];
  for (const w of selectedWorkloads().filter((w) => w.name !== 'W1')) {
    log(`overview ${w.name}: ties`);
    const ties = castline.generateTies(w.actors, w.events, SEED);
    const n = w.actors;
    const ours = [];
    let found;
    for (let r = 0; r < RUNS; r++) {
      const [ms, out] = timed(() => castline.louvain(n, ties));
      ours.push(ms);
      found = out;
    }
    const graph = graphologyGraph(n, ties);
    const theirs = [];
    let detailed;
    for (let r = 0; r < RUNS; r++) {
      // A fixed random source: graphology's Louvain visits nodes in a random order.
      let s = SEED;
      const rng = () => ((s = (s * 16807) % 2147483647) / 2147483647);
      const [ms, out] = timed(() => louvain.detailed(graph, { getEdgeWeight: 'weight', rng }));
      theirs.push(ms);
      detailed = out;
    }
    const of = Uint32Array.from({ length: n }, (_, i) => detailed.communities[i]);
    const theirsByOurs = castline.modularity(n, ties, of);
    rows.push([
      w.name,
      `${n} / ${ties.length / 3}`,
      spread(ours, 0),
      spread(theirs, 0),
      (Math.min(...theirs) / Math.min(...ours)).toFixed(2),
      `${found[0].toFixed(3)} (${found[1]})`,
      `${detailed.modularity.toFixed(3)} / ${theirsByOurs.toFixed(3)} (${detailed.count})`,
    ]);
    if (w.name === 'W3' || w.name === 'W4') {
      log(`overview ${w.name}: marks at fit zoom`);
      const text = castline.generateStory(w.actors, w.events, SEED);
      const [drawn, inside, single, load, place, draw] = castline.overviewAtFit(text, CANVAS.width, CANVAS.height);
      marks.push([w.name, String(drawn), String(inside), String(single), load.toFixed(0), place.toFixed(0), draw.toFixed(1)]);
    }
  }
  const detection = table(
    ['size', 'actors / ties', 'Castline ms', 'graphology ms', 'ratio', 'Castline Q (communities)', 'graphology Q / by Castline (communities)'],
    rows,
  );
  const drawn = table(['size', 'marks drawn', 'actors inside', 'actors drawn singly', 'load ms', 'place (communities found) and plan ms', 'draw ms'], marks);
  return `${detection}\n\nMedian (min–max) of ${RUNS} runs in Node ${process.version}; ratio = graphology's fastest / Castline's fastest. Q: modularity; graphology's partition also measured by Castline's count.\n\nAt fit zoom on a ${CANVAS.width} × ${CANVAS.height} network canvas (the page's at 1280 × 900), drawn through the recording backend:\n\n${drawn}`;
}
