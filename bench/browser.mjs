// Castline beside its peers in headless Chromium (playwright-core, the system's Chromium):
// layout steps against d3-force, full redraws against vis-network and cytoscape drawing the
// same positioned graph, and the frame rate while panning. Pages come from a small static
// server on loopback that this script starts and stops.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, selectedWorkloads, median, spread, table } from './common.mjs';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * BENCH_ALT_PKG=dir (a wasm-bindgen output directory) adds a second Castline build to the
 * redraw table, e.g. one drawing through BatchedCanvas, to compare drawing back ends.
 */
const ALT = process.env.BENCH_ALT_PKG;

/** Layout plan in the browser: steps per repetition and repetitions. */
const PLAN = { W1: [300, 5], W2: [100, 5], W3: [30, 5], W4: [10, 3] };
/** Peers draw W1–W3; at W4 building their scene alone takes minutes (BENCH_PEERS_W4=1 to try). */
const PEER_SIZES = process.env.BENCH_PEERS_W4 ? ['W1', 'W2', 'W3', 'W4'] : ['W1', 'W2', 'W3'];
const REDRAWS = 7;
const CLICKS = 5;

/** Clicks actors and empty space through real input events; Event Timing durations in ms. */
async function clickToFilter(page, actors) {
  await page.evaluate(() => window.bench.takeInteractions());
  for (let k = 0; k < CLICKS; k++) {
    const at = await page.evaluate((i) => window.bench.actorOnPage(i), (k * 7919) % actors);
    if (!at) continue;
    await page.mouse.click(at.x, at.y);
    await page.waitForTimeout(300);
    await page.mouse.click(3, 3);
    await page.waitForTimeout(300);
  }
  await page.waitForTimeout(500);
  return page.evaluate(() => window.bench.takeInteractions());
}

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const alt = process.env.BENCH_ALT_PKG && url.pathname.startsWith('/alt-pkg/');
    const file = alt
      ? path.join(process.env.BENCH_ALT_PKG, path.basename(url.pathname))
      : path.normalize(path.join(ROOT, decodeURIComponent(url.pathname)));
    const allowed = alt || ['www', 'node_modules', 'bench'].some((d) => file.startsWith(path.join(ROOT, d) + path.sep));
    if (!allowed || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function benchBrowser(log = console.error) {
  const server = await serve();
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const layoutRows = [];
  const drawRows = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.setDefaultTimeout(15 * 60_000);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/bench/page/index.html`);
    await page.waitForFunction(() => window.benchReady === true);
    let altPage = null;
    if (ALT) {
      altPage = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
      altPage.setDefaultTimeout(15 * 60_000);
      await altPage.goto(`http://127.0.0.1:${port}/bench/page/index.html?pkg=/alt-pkg`);
      await altPage.waitForFunction(() => window.benchReady === true);
    }
    for (const w of selectedWorkloads()) {
      const [steps, reps] = PLAN[w.name];
      const l = await page.evaluate(([a, e, s, r]) => window.bench.layout(a, e, s, r), [w.actors, w.events, steps, reps]);
      const ours = median(l.castline);
      layoutRows.push([w.name, 'castline (wasm)', spread(l.castline), '1.00']);
      layoutRows.push([w.name, 'd3-force', spread(l.d3), (median(l.d3) / ours).toFixed(2)]);
      log(`  browser layout ${w.name}: castline ${spread(l.castline)}, d3 ${spread(l.d3)} ms/step`);

      const mounted = await page.evaluate(([a, e]) => window.bench.mountCastline(a, e), [w.actors, w.events]);
      if (mounted.error) {
        drawRows.push([w.name, 'castline', 'not drawn', '', '', '', `refused: ${mounted.error} (${(mounted.bytes / 1e6).toFixed(1)} MB)`]);
        log(`  browser draw ${w.name}: castline refused the story: ${mounted.error}`);
        continue;
      }
      if (altPage) await altPage.evaluate(([a, e]) => window.bench.mountCastline(a, e), [w.actors, w.events]);
      // With a second build, the two take turns redraw by redraw, so load on the machine
      // falls on both alike.
      const redraw = [];
      const altRedraw = [];
      for (let r = 0; r < REDRAWS; r++) {
        redraw.push(...(await page.evaluate(() => window.bench.redrawCastline(1))));
        if (altPage) altRedraw.push(...(await altPage.evaluate(() => window.bench.redrawCastline(1))));
      }
      const pan = await page.evaluate(() => window.bench.panCastline(2000));
      const inp = await clickToFilter(page, w.actors);
      const oursDraw = median(redraw);
      drawRows.push([
        w.name,
        'castline (network + time axis)',
        spread(redraw, 1),
        '1.00',
        `${pan.fps.toFixed(0)} fps`,
        inp.length ? spread(inp, 0) : 'n/a',
        `load ${(mounted.loadMs / 1000).toFixed(2)} s; ${mounted.frames} frames in ${(mounted.layoutMs / 1000).toFixed(1)} s, layout ${mounted.settled ? 'settled' : 'still running'}`,
      ]);
      log(`  browser draw ${w.name}: castline ${spread(redraw, 1)} ms, pan ${pan.fps.toFixed(0)} fps`);
      if (altPage) {
        const t = altRedraw;
        const p = await altPage.evaluate(() => window.bench.panCastline(2000));
        drawRows.push([w.name, `castline, ${ALT}`, spread(t, 1), (median(t) / oursDraw).toFixed(2), `${p.fps.toFixed(0)} fps`, '', '']);
        log(`  browser draw ${w.name}: alt build ${spread(t, 1)} ms, pan ${p.fps.toFixed(0)} fps`);
      }
      if (!PEER_SIZES.includes(w.name)) continue;
      for (const lib of ['vis-network', 'cytoscape']) {
        const m = await page.evaluate(([l, a, e]) => window.bench.mountPeer(l, a, e), [lib, w.actors, w.events]);
        const t = await page.evaluate((r) => window.bench.redrawPeer(r), REDRAWS);
        drawRows.push([w.name, lib, spread(t, 1), (median(t) / oursDraw).toFixed(2), '', '', `load ${(m.loadMs / 1000).toFixed(2)} s`]);
        log(`  browser draw ${w.name}: ${lib} ${spread(t, 1)} ms`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return [
    '### Layout in Chromium (ms per step)\n',
    table(['size', 'library', 'ms per step: median (min–max)', 'peer / castline'], layoutRows),
    '\n### Full redraw of the positioned graph, 1200 × 800 CSS px, device pixel ratio 1 (ms, rasterised)\n',
    table(
      ['size', 'library', 'redraw ms: median (min–max)', 'peer / castline', 'panning', 'click-to-filter INP ms', 'setup'],
      drawRows,
    ),
    `\nRedraws: ${REDRAWS}, each after 2 warm-up redraws. Peers draw ${PEER_SIZES.join(', ')}. Click-to-filter: ${CLICKS} real clicks (Playwright) on actors, then on empty canvas to clear, each interaction's longest Event Timing duration (input to next paint). Brush and hover are not measured yet.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchBrowser());
}
