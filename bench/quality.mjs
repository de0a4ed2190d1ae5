// Layout quality figures, so that speed is never bought with a worse picture. Both are
// independent of the drawing's scale, so layouts from different libraries compare directly.

/** Adjacency lists (CSR) of an undirected graph from `[a0, b0, a1, b1, …]`. */
function csr(n, edges) {
  const degree = new Uint32Array(n + 1);
  for (let k = 0; k < edges.length; k++) degree[edges[k] + 1]++;
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const next = degree.slice(0, n);
  const adj = new Uint32Array(edges.length);
  for (let k = 0; k < edges.length; k += 2) {
    adj[next[edges[k]]++] = edges[k + 1];
    adj[next[edges[k + 1]]++] = edges[k];
  }
  return { start: degree, adj };
}

/**
 * Normalised stress against graph distances, sampled: breadth-first search from `sources`
 * evenly spaced nodes, every reachable pair counted, weight 1/d², at the best scale.
 * 0 is a perfect embedding of the graph's distances; lower is better.
 */
export function stress(n, edges, xy, sources = 48) {
  const { start, adj } = csr(n, edges);
  const dist = new Int32Array(n);
  const queue = new Uint32Array(n);
  // First pass: the best scale s = Σ(e/g) / Σ(e²/g²), second: the stress at that scale.
  const pairs = [];
  const step = Math.max(1, Math.floor(n / sources));
  for (let s = 0; s < n; s += step) {
    dist.fill(-1);
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++];
      for (let k = start[u]; k < start[u + 1]; k++) {
        const v = adj[k];
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          queue[tail++] = v;
        }
      }
    }
    for (let t = 0; t < n; t++) {
      if (t === s || dist[t] <= 0) continue;
      const e = Math.hypot(xy[2 * s] - xy[2 * t], xy[2 * s + 1] - xy[2 * t + 1]);
      pairs.push(e / dist[t]);
    }
  }
  let num = 0;
  let den = 0;
  for (const r of pairs) {
    num += r;
    den += r * r;
  }
  const scale = den > 0 ? num / den : 1;
  let sum = 0;
  for (const r of pairs) sum += (scale * r - 1) ** 2;
  return pairs.length ? sum / pairs.length : 0;
}

/** Coefficient of variation of edge lengths (standard deviation / mean); lower is more even. */
export function edgeSpread(edges, xy) {
  let sum = 0;
  let sum2 = 0;
  const m = edges.length / 2;
  for (let k = 0; k < edges.length; k += 2) {
    const a = edges[k];
    const b = edges[k + 1];
    const l = Math.hypot(xy[2 * a] - xy[2 * b], xy[2 * a + 1] - xy[2 * b + 1]);
    sum += l;
    sum2 += l * l;
  }
  const mean = sum / m;
  return Math.sqrt(Math.max(0, sum2 / m - mean * mean)) / mean;
}
