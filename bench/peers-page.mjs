// The peers of the settle benchmark in a page (settle.mjs bundles this for headless Chromium):
// d3-force's 300 ticks on the page's thread, and graphology's ForceAtlas2 in the library's own
// worker (its supervisor, as a page would run it) until its stress is d3's.

import FA2Layout from 'graphology-layout-forceatlas2/worker.js';
import fa2Iterate from 'graphology-layout-forceatlas2/iterate.js';
import fa2Helpers from 'graphology-layout-forceatlas2/helpers.js';
import { d3Simulation } from './models.mjs';
import { fa2Graph } from './fa2.mjs';
import { stress, edgeSpread } from './quality.mjs';

function graphPositions(graph, n) {
  const xy = new Float64Array(2 * n);
  graph.forEachNode((key, a) => {
    xy[2 * key] = a.x;
    xy[2 * key + 1] = a.y;
  });
  return xy;
}

function quality(n, edges, xy) {
  return { stress: stress(n, edges, xy), cv: edgeSpread(edges, xy) };
}

globalThis.benchPeers = {
  /** d3-force's `ticks` (300 is its own stopping rule); fewer are timed and scaled to 300. */
  d3(n, edges, ticks) {
    const { sim, nodes } = d3Simulation(n, edges);
    const t = performance.now();
    sim.tick(ticks);
    const ms = ((performance.now() - t) * 300) / ticks;
    if (ticks < 300) return { ms, scaled: true };
    return { ms, scaled: false, ...quality(n, edges, Float64Array.from(nodes.flatMap((d) => [d.x, d.y]))) };
  },

  /**
   * How many of ForceAtlas2's iterations reach `target` stress from the spiral: its own
   * iteration (the one its worker runs), on this thread, the stress looked at every `every`
   * iterations up to `most`. Untimed: it only finds the count the worker is then timed for.
   */
  fa2Needs(n, edges, target, every, most) {
    const { graph, settings } = fa2Graph(n, edges);
    const m = fa2Helpers.graphToByteArrays(graph, () => 1);
    const xy = new Float64Array(2 * n);
    let reached = null;
    let last = null;
    for (let done = every; done <= most; done += every) {
      for (let i = 0; i < every; i++) fa2Iterate(settings, m.nodes, m.edges);
      for (let i = 0; i < n; i++) {
        xy[2 * i] = m.nodes[10 * i];
        xy[2 * i + 1] = m.nodes[10 * i + 1];
      }
      last = stress(n, edges, xy);
      if (last <= target) {
        reached = done;
        break;
      }
    }
    return { iterations: reached, stress: last };
  },

  /** ForceAtlas2 in its worker for `iterations`, timed from its start to the last one's positions. */
  fa2Worker(n, edges, iterations) {
    const { graph, settings } = fa2Graph(n, edges);
    return new Promise((resolve) => {
      const layout = new FA2Layout(graph, { settings });
      let count = 0;
      let t = 0;
      // After the supervisor's own listener, which has put the positions in the graph.
      const counted = () => {
        count += 1;
        if (count < iterations) return;
        const ms = performance.now() - t;
        layout.kill();
        resolve({ ms, iterations, ...quality(n, edges, graphPositions(graph, n)) });
      };
      t = performance.now();
      layout.start();
      layout.worker.addEventListener('message', counted);
    });
  },
};
