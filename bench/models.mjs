// The layout models every library runs, in a module without Node's own imports, so that the
// benchmarks run them both in Node and in a page (settle.mjs bundles them for Chromium).

import { forceSimulation, forceLink, forceManyBody, forceX, forceY, forceCollide } from 'd3-force';
import Graph from 'graphology';
import fa2 from 'graphology-layout-forceatlas2';
import fa2Defaults from 'graphology-layout-forceatlas2/defaults.js';

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

/**
 * graphology's graph of the same ties, its nodes at the same spiral, and ForceAtlas2's settings
 * for it: those the library recommends for the graph's size, with Barnes–Hut forced on.
 */
export function fa2Graph(n, edges) {
  const xy = spiral(n);
  const graph = new Graph({ type: 'undirected' });
  for (let i = 0; i < n; i++) graph.addNode(i, { x: xy[2 * i], y: xy[2 * i + 1] });
  for (let k = 0; k < edges.length; k += 2) graph.addEdge(edges[k], edges[k + 1]);
  const settings = { ...fa2Defaults, ...fa2.inferSettings(graph), barnesHutOptimize: true };
  return { graph, settings };
}
