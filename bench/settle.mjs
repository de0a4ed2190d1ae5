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
// leaves out the runs without a worker (minutes at W4).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { d3Simulation } from './layout.mjs';
import { loadCastline, selectedWorkloads, SEED, table } from './common.mjs';
import { stress, edgeSpread } from './quality.mjs';
import { serve } from './mount.mjs';

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

export async function benchSettlePage(log = console.error) {
  const wasm = await loadCastline();
  const stories = fs.mkdtempSync(path.join(os.tmpdir(), 'castline-settle-'));
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
      const runs = [['page, worker (coarse to fine)', true], ...(main ? [['page, no Worker (frames, plain)', false]] : [])];
      for (const [name, worker] of runs) {
        log(`settle ${w.name}: ${name}`);
        const r = await settleOnce(browser, url, worker);
        if (r.error) throw new Error(`${w.name}: ${r.error}`);
        rows.push([w.name, `${n} / ${edges.length / 2}`, `${name} [${r.where}]`, (r.ms / 1000).toFixed(2),
          `${r.longTasks} (${r.longest.toFixed(0)} ms)`, ...quality(r.xy)]);
      }
      log(`settle ${w.name}: d3-force`);
      const d = d3(n, edges, n >= 20_000 && !process.env.BENCH_SETTLE_D3_W4 ? 30 : 300);
      rows.push([w.name, `${n} / ${edges.length / 2}`, 'd3-force, 300 ticks (Node)',
        `${(d.ms / 1000).toFixed(2)}${d.scaled ? ' (scaled from 30 ticks)' : ''}`, '–', ...quality(d.xy)]);
      fs.rmSync(path.join(stories, `${w.name}.json`), { force: true });
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(stories, { recursive: true, force: true });
  }
  return table(['size', 'actors / ties', 'layout [where it ran]', 'handle ready to settled (s)', 'long tasks meanwhile (longest)', 'stress', 'edge CV'], rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSettle((line) => console.error(line)));
}
