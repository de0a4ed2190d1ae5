// The start and the model every layout in the benchmarks shares, imported by Node and by the
// pages alike: it needs only d3-force, which the bench page maps to its ES module build
// (bench/page/index.html) and settle.mjs bundles (ForceAtlas2's model is in fa2.mjs).

import { forceSimulation, forceLink, forceManyBody, forceX, forceY, forceCollide } from 'd3-force';

/** Start positions shared by every layout: Castline's phyllotaxis spiral. */
export function spiral(n) {
  const golden = Math.PI * (3 - Math.sqrt(5));
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const r = 12 * Math.sqrt(0.5 + i);
    xy[2 * i] = r * Math.cos(i * golden);
    xy[2 * i + 1] = r * Math.sin(i * golden);
  }
  return xy;
}

/** d3-force with Castline's model (its forces and strengths), from the same spiral, stopped. */
export function d3Simulation(n, edges, radius = 10) {
  const xy = spiral(n);
  const nodes = Array.from({ length: n }, (_, i) => ({ x: xy[2 * i], y: xy[2 * i + 1] }));
  const links = [];
  for (let k = 0; k < edges.length; k += 2) links.push({ source: edges[k], target: edges[k + 1] });
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).distance(70))
    .force('charge', forceManyBody().strength(-200))
    .force('x', forceX(0).strength(0.1))
    .force('y', forceY(0).strength(0.1))
    .force('collide', forceCollide(radius))
    .stop();
  return { sim, nodes };
}
