// ForceAtlas2's side of the benchmarks' shared model (models.mjs): graphology and its
// ForceAtlas2 are CommonJS, so Node imports this and settle.mjs bundles it for Chromium.

import Graph from 'graphology';
import fa2 from 'graphology-layout-forceatlas2';
import fa2Defaults from 'graphology-layout-forceatlas2/defaults.js';
import { spiral } from './models.mjs';

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
