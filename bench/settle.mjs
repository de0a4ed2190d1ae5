// Time to a settled layout (issue 20 §1), in Node: Castline's wasm from its spiral to rest,
// coarse to fine (`LayoutRun.multilevel`, what the viewer runs for a story without stored
// positions) and plain (`LayoutRun`, every story before), beside d3-force's 300 ticks on the
// same graph and model, with the stress and edge spread each reaches. The page spreads the
// same work over frames; this is the work itself.
//
// Then the real page (`benchSettlePage`): from the handle ready to its `settled` event, a
// story fetched by ?data= without stored positions, laid out in the page's worker (the full
// build, coarse to fine) and, with `Worker` deleted, on the page's own frames (the first
// build's plain layout, 8 ms a frame), with the long tasks seen meanwhile and the stress and
// edge spread of the positions the handle gives (`actorPosition`). BENCH_SETTLE_PAGE_MAIN=0
// leaves out the runs without a worker (minutes at W4). Beside them, in Chromium too, the
// issue's peers on the same graph (peers-page.mjs): d3-force's own 300 ticks, and
// graphology's ForceAtlas2 in its worker run until its stress is d3's.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { d3Simulation } from './models.mjs';
import { loadCastline, selectedWorkloads, SEED, table } from './common.mjs';
import { stress, edgeSpread } from './quality.mjs';
import { serve } from './mount.mjs';
import { build } from 'esbuild';

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
  const { sim, nodes } = d3Simulation(n, edges);
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

// In the page before any script: when the handle appears (app.js sets window.castline), the
// time, and a watch for 'settled' and for long tasks from then on.
function watchFromReady() {
  const seen = { ready: null, settled: null, longTasks: [] };
  window.__settle = seen;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (seen.ready !== null && seen.settled === null) seen.longTasks.push(e.duration);
  }).observe({ type: 'longtask' });
  const look = () => {
    const h = window.castline;
    if (typeof h?.state !== 'function') {
      requestAnimationFrame(look);
      return;
    }
    seen.ready = performance.now();
    // The event, not `state().layout`: `state()` lists every visible event's id, a task of
    // about 100 ms at W4 that the watch would then count as the page's. These stories are
    // laid out for seconds, so 'settled' cannot have fired before the handle was there.
    // (Until app.js sets it, `window.castline` is the element of that id: hence `state`.)
    h.addEventListener('settled', () => { seen.settled ??= performance.now(); }, { once: true });
  };
  requestAnimationFrame(look);
}

async function settleOnce(browser, url, worker) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  try {
    page.setDefaultTimeout(600_000);
    if (!worker) await page.addInitScript(() => { delete window.Worker; });
    await page.addInitScript(watchFromReady);
    await page.goto(url);
    await page.waitForFunction(() => window.__settle?.settled != null || document.querySelector('.castline-fatal'), null, { polling: 500 });
    return await page.evaluate(() => {
      const fatal = document.querySelector('.castline-fatal');
      if (fatal) return { error: fatal.textContent };
      const { ready, settled, longTasks } = window.__settle;
      const h = window.castline;
      const ids = h.story().actors.map((a) => a.id);
      const xy = [];
      for (const id of ids) {
        const p = h.actorPosition(id);
        xy.push(p ? p.x : NaN, p ? p.y : NaN);
      }
      return {
        ms: settled - ready,
        where: document.querySelector('[data-castline-layout]')?.dataset.castlineLayout ?? 'page',
        longTasks: longTasks.length,
        longest: Math.max(0, ...longTasks),
        xy,
      };
    });
  } finally {
    await page.close();
  }
}

// The peers' page (peers-page.mjs bundled with d3-force, graphology and ForceAtlas2) in the
// folder the bench server serves as /story/.
async function writePeersPage(dir) {
  await build({
    entryPoints: [path.join(path.dirname(new URL(import.meta.url).pathname), 'peers-page.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    outfile: path.join(dir, 'peers.js'),
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(dir, 'peers.html'), '<!doctype html><meta charset="utf-8"><title>peers</title><script src="peers.js"></script>\n');
}

// d3-force's 300 ticks and ForceAtlas2 in its worker to d3's stress, in a page of their own.
// W4's d3 run is 30 ticks, scaled, unless BENCH_SETTLE_D3_W4 is set: without its stress there
// is no target for ForceAtlas2 either.
async function peersInPage(browser, url, w, edges, log) {
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(1_800_000);
    await page.goto(url);
    const n = w.actors;
    const list = Array.from(edges);
    const ticks = n >= 20_000 && !process.env.BENCH_SETTLE_D3_W4 ? 30 : 300;
    log(`settle ${w.name}: d3-force in Chromium`);
    const d3 = await page.evaluate(([k, e, t]) => globalThis.benchPeers.d3(k, e, t), [n, list, ticks]);
    if (d3.scaled) return { d3, fa2: null };
    log(`settle ${w.name}: ForceAtlas2's iterations to stress ${d3.stress.toFixed(3)}`);
    const most = Number(process.env.BENCH_SETTLE_FA2_MOST ?? 3000);
    const needs = await page.evaluate(([k, e, s, m]) => globalThis.benchPeers.fa2Needs(k, e, s, 10, m), [n, list, d3.stress, most]);
    if (needs.iterations === null) return { d3, fa2: { reached: false, most, stress: needs.stress } };
    log(`settle ${w.name}: ForceAtlas2 in its worker, ${needs.iterations} iterations`);
    const fa2 = await page.evaluate(([k, e, i]) => globalThis.benchPeers.fa2Worker(k, e, i), [n, list, needs.iterations]);
    return { d3, fa2: { reached: true, ...fa2 } };
  } finally {
    await page.close();
  }
}

export async function benchSettlePage(log = console.error) {
  const wasm = await loadCastline();
  const stories = fs.mkdtempSync(path.join(os.tmpdir(), 'castline-settle-'));
  await writePeersPage(stories);
  const server = await serve(stories);
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const main = process.env.BENCH_SETTLE_PAGE_MAIN !== '0';
  const rows = [];
  try {
    for (const w of selectedWorkloads().filter((x) => x.actors > 400)) {
      fs.writeFileSync(path.join(stories, `${w.name}.json`), wasm.generateStory(w.actors, w.events, SEED));
      const edges = wasm.generateEdges(w.actors, w.events, SEED);
      const n = w.actors;
      const url = `http://127.0.0.1:${port}/a/index.html?data=/story/${w.name}.json`;
      const quality = (xy) => (xy && xy.every(Number.isFinite)
        ? [stress(n, edges, xy).toFixed(3), edgeSpread(edges, xy).toFixed(3)]
        : ['–', '–']);
      const size = `${n} / ${edges.length / 2}`;
      const ours = [];
      const runs = [['page, worker (coarse to fine)', true], ...(main ? [['page, no Worker (frames, plain)', false]] : [])];
      for (const [name, worker] of runs) {
        log(`settle ${w.name}: ${name}`);
        const r = await settleOnce(browser, url, worker);
        if (r.error) throw new Error(`${w.name}: ${r.error}`);
        ours.push([r.ms, [w.name, size, `${name} [${r.where}]`, (r.ms / 1000).toFixed(2),
          `${r.longTasks} (${r.longest.toFixed(0)} ms)`, ...quality(r.xy)]]);
      }
      const { d3, fa2 } = await peersInPage(browser, `http://127.0.0.1:${port}/story/peers.html`, w, edges, log);
      for (const [ms, row] of ours) rows.push([...row, (d3.ms / ms).toFixed(1)]);
      const fixed = (x) => (x === undefined ? '–' : x.toFixed(3));
      rows.push([w.name, size, 'd3-force, 300 ticks [Chromium, page]',
        `${(d3.ms / 1000).toFixed(2)}${d3.scaled ? ' (scaled from 30 ticks)' : ''}`, '–', fixed(d3.stress), fixed(d3.cv), '1.0']);
      if (fa2?.reached) {
        rows.push([w.name, size, `ForceAtlas2, ${fa2.iterations} iterations to d3's stress [its worker]`,
          (fa2.ms / 1000).toFixed(2), '–', fixed(fa2.stress), fixed(fa2.cv), (d3.ms / fa2.ms).toFixed(1)]);
      } else {
        rows.push([w.name, size, fa2 ? `ForceAtlas2: not at d3's stress in ${fa2.most} iterations` : 'ForceAtlas2: no target (d3 scaled; BENCH_SETTLE_D3_W4=1 runs its 300 ticks)',
          '–', '–', fa2 ? fixed(fa2.stress) : '–', '–', '–']);
      }
      fs.rmSync(path.join(stories, `${w.name}.json`), { force: true });
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(stories, { recursive: true, force: true });
  }
  return table(['size', 'actors / ties', 'layout [where it ran]', 'to rest (s): ours from the handle ready', 'long tasks meanwhile (longest)', 'stress', 'edge CV', "d3-force's time ÷ this"], rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSettle((line) => console.error(line)));
}
