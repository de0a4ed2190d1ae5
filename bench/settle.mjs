// Time to a settled layout (issue 20 §1), in Node: Castline's wasm from its spiral to rest,
// coarse to fine (`LayoutRun.multilevel`, what the viewer runs for a story without stored
// positions) and plain (`LayoutRun`, every story before), beside d3-force's 300 ticks on the
// same graph and model, with the stress and edge spread each reaches. The page spreads the
// same work over frames; this is the work itself.

import { forceSimulation, forceLink, forceManyBody, forceX, forceY, forceCollide } from 'd3-force';
import { loadCastline, selectedWorkloads, SEED, spiral, table } from './common.mjs';
import { stress, edgeSpread } from './quality.mjs';

const RADIUS = 10;

function castline(wasm, make) {
  return (n, edges) => {
    const run = make(wasm, n, edges);
    const t = performance.now();
    while (run.running()) run.step(50);
    const ms = performance.now() - t;
    const xy = run.positions();
    run.free();
    return { ms, xy };
  };
}

/** d3-force with Castline's model, its own 300 ticks; past `maxTicks`, timed and scaled. */
function d3(n, edges, maxTicks) {
  const xy0 = spiral(n);
  const nodes = Array.from({ length: n }, (_, i) => ({ x: xy0[2 * i], y: xy0[2 * i + 1] }));
  const links = [];
  for (let k = 0; k < edges.length; k += 2) links.push({ source: edges[k], target: edges[k + 1] });
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).distance(70))
    .force('charge', forceManyBody().strength(-200))
    .force('x', forceX(0).strength(0.1))
    .force('y', forceY(0).strength(0.1))
    .force('collide', forceCollide(RADIUS))
    .stop();
  const ticks = Math.min(300, maxTicks);
  const t = performance.now();
  sim.tick(ticks);
  const ms = ((performance.now() - t) * 300) / ticks;
  const xy = ticks === 300 ? Float64Array.from(nodes.flatMap((d) => [d.x, d.y])) : null;
  return { ms, xy, scaled: ticks < 300 };
}

export async function benchSettle(log = console.log) {
  const wasm = await loadCastline();
  const rows = [];
  const d3Max = process.env.BENCH_SETTLE_D3_W4 ? 300 : 30;
  for (const w of selectedWorkloads()) {
    const edges = wasm.generateEdges(w.actors, w.events, SEED);
    const n = w.actors;
    const runs = [
      ['castline, coarse to fine', castline(wasm, (m, k, e) => m.LayoutRun.multilevel(k, e, RADIUS))],
      ['castline, plain', castline(wasm, (m, k, e) => new m.LayoutRun(k, e, RADIUS))],
      ['d3-force, 300 ticks', (k, e) => d3(k, e, w.actors >= 20_000 ? d3Max : 300)],
    ];
    const results = runs.map(([name, run]) => {
      log(`settle ${w.name}: ${name}`);
      return [name, run(n, edges)];
    });
    const d3ms = results[2][1].ms;
    for (const [name, r] of results) {
      rows.push([
        w.name,
        `${n} / ${edges.length / 2}`,
        name,
        `${(r.ms / 1000).toFixed(2)}${r.scaled ? ' (scaled from 30 ticks)' : ''}`,
        (d3ms / r.ms).toFixed(1),
        r.xy ? stress(n, edges, r.xy).toFixed(3) : '–',
        r.xy ? edgeSpread(edges, r.xy).toFixed(3) : '–',
      ]);
    }
  }
  return table(['size', 'actors / ties', 'layout', 'to rest (s)', 'd3 / this', 'stress', 'edge CV'], rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSettle((line) => console.error(line)));
}
