// Layout speed and quality in Node: Castline's wasm layout against d3-force and graphology's
// ForceAtlas2 (Barnes–Hut) on the same generated graphs, from the same start positions.
//
// Speed: each repetition builds a fresh simulation per library, the libraries taking turns
// in a rotating order, and times a fixed number of steps from the start; the figure is ms per
// step. Quality: one longer run per library (300 steps, d3's and Castline's cooling schedule;
// 100 at W4), then normalised stress and edge-length spread of the picture.

import { createRequire } from 'node:module';
import { loadCastline, selectedWorkloads, SEED, median, spread, table } from './common.mjs';
import { d3Simulation } from './models.mjs';
import { fa2Graph } from './fa2.mjs';
import { stress, edgeSpread } from './quality.mjs';

const require = createRequire(import.meta.url);
const fa2Iterate = require('graphology-layout-forceatlas2/iterate.js');
const fa2Helpers = require('graphology-layout-forceatlas2/helpers.js');

/** The same model in every library: links of rest length 70, charge −200, gravity 0.1. */
const RADIUS = 10;
/**
 * By size: timed steps per repetition, repetitions, and the steps of the quality run. The
 * big graphs get fewer so that the whole benchmark stays within minutes on two cores; W4's
 * quality run stops at 100 of the 300 steps (d3 alone would take three minutes).
 */
const PLAN = {
  W1: { steps: 300, reps: 7, full: 300 },
  W2: { steps: 100, reps: 5, full: 300 },
  W3: { steps: 30, reps: 5, full: 300 },
  W4: { steps: 10, reps: 5, full: 100 },
};

function castlineLib(wasm) {
  return {
    name: 'castline (wasm)',
    setup(n, edges) {
      const run = new wasm.LayoutRun(n, edges, RADIUS);
      return {
        step: (k) => run.step(k),
        positions: () => run.positions(),
        free: () => run.free(),
      };
    },
  };
}


const d3Lib = {
  name: 'd3-force',
  setup(n, edges) {
    const { sim, nodes } = d3Simulation(n, edges);
    return {
      step: (k) => sim.tick(k),
      positions: () => Float64Array.from(nodes.flatMap((d) => [d.x, d.y])),
      free: () => {},
    };
  },
};

const fa2Lib = {
  name: 'graphology FA2 (BH)',
  setup(n, edges) {
    const { graph, settings } = fa2Graph(n, edges);
    const m = fa2Helpers.graphToByteArrays(graph, () => 1);
    return {
      step: (k) => {
        for (let i = 0; i < k; i++) fa2Iterate(settings, m.nodes, m.edges);
      },
      positions: () => {
        const out = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          out[2 * i] = m.nodes[10 * i];
          out[2 * i + 1] = m.nodes[10 * i + 1];
        }
        return out;
      },
      free: () => {},
    };
  },
};

export async function benchLayout(log = console.log) {
  const wasm = await loadCastline();
  const libs = [castlineLib(wasm), d3Lib, fa2Lib];
  const rows = [];
  const results = [];
  for (const w of selectedWorkloads()) {
    const edges = wasm.generateEdges(w.actors, w.events, SEED);
    const n = w.actors;
    const plan = PLAN[w.name];
    const times = new Map(libs.map((l) => [l.name, []]));
    for (let r = 0; r < plan.reps; r++) {
      for (let t = 0; t < libs.length; t++) {
        const lib = libs[(r + t) % libs.length];
        const sim = lib.setup(n, edges);
        const started = performance.now();
        sim.step(plan.steps);
        times.get(lib.name).push((performance.now() - started) / plan.steps);
        sim.free();
      }
    }
    const ours = median(times.get(libs[0].name));
    for (const lib of libs) {
      const sim = lib.setup(n, edges);
      const started = performance.now();
      sim.step(plan.full);
      const fullMs = performance.now() - started;
      const xy = sim.positions();
      sim.free();
      const q = { stress: stress(n, edges, xy), spread: edgeSpread(edges, xy) };
      const ms = times.get(lib.name);
      results.push({ workload: w.name, lib: lib.name, nodes: n, edges: edges.length / 2, msPerStep: ms, fullMs, ...q });
      rows.push([
        w.name,
        `${n} / ${edges.length / 2}`,
        lib.name,
        spread(ms),
        lib === libs[0] ? '1.00' : (median(ms) / ours).toFixed(2),
        (fullMs / 1000).toFixed(2),
        q.stress.toFixed(3),
        q.spread.toFixed(3),
      ]);
      log(`  ${w.name} ${lib.name}: ${spread(ms)} ms/step, full run ${(fullMs / 1000).toFixed(2)} s`);
    }
  }
  const header = [
    'size',
    'nodes / edges',
    'library',
    'ms per step: median (min–max)',
    'peer / castline',
    'quality run, s',
    'stress ↓',
    'edge CV ↓',
  ];
  const notes = selectedWorkloads()
    .map((w) => {
      const p = PLAN[w.name];
      return `${w.name}: ${p.reps} repetitions of ${p.steps} steps, quality after ${p.full} steps`;
    })
    .join('; ');
  return { table: table(header, rows), notes, results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { table: t, notes } = await benchLayout();
  console.log(`\n${t}\n\n${notes}`);
}
