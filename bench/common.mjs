// Shared helpers for the benchmarks: loading Castline's wasm in Node, the standard workloads,
// statistics and table printing.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The standard sizes; BENCH_SIZES=W1,W2 limits a run to some of them. */
export const WORKLOADS = [
  { name: 'W1', actors: 150, events: 2_000 },
  { name: 'W2', actors: 1_000, events: 10_000 },
  { name: 'W3', actors: 5_000, events: 50_000 },
  { name: 'W4', actors: 20_000, events: 200_000 },
];

export function selectedWorkloads() {
  const wanted = (process.env.BENCH_SIZES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return wanted.length ? WORKLOADS.filter((w) => wanted.includes(w.name)) : WORKLOADS;
}

/** The seed every benchmark uses, so all libraries see the same graphs. */
export const SEED = 1;

/**
 * Castline's wasm, built for the web target, instantiated synchronously in Node: the full build,
 * which has the generator and `LayoutRun` (the layout code is the same in both builds).
 */
export async function loadCastline() {
  const mod = await import(path.join(ROOT, 'www/pkg/castline_full.js'));
  mod.initSync({ module: fs.readFileSync(path.join(ROOT, 'www/pkg/castline_full_bg.wasm')) });
  return mod;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `12.3 (11.9–13.0)`: median with min–max. */
export function spread(xs, digits = 2) {
  const f = (v) => v.toFixed(digits);
  return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}

/** Prints rows (arrays of strings) as a Markdown table. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

export { spiral } from './models.mjs';
