// Castline beside its peers in headless Chromium (playwright-core, the system's Chromium):
// layout steps against d3-force; full redraws against a hand-batched replay of the same scene,
// vis-network and cytoscape drawing the same positioned graph; the frame rate while panning;
// and, on the real page (www/index.html with a generated story), interaction to next paint of
// clicks, hover and brushing with the main-thread long tasks they cause. Pages come from a
// small static server on loopback that this script starts and stops.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, SEED, loadCastline, selectedWorkloads, median, spread, table } from './common.mjs';

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
const REDRAWS = 11;
const CLICKS = 5;
const DRAG_STEPS = 40;
const HOVERS = 10;
const BRUSHES = 3;
/** How long the real page may take to load a story and let its layout settle before the
 * interactions start anyway (they then compete with layout frames, as a reader's would). */
const PAGE_SETTLE_MS = 120_000;
/** BENCH_SHOTS=dir saves screenshots of every canvas drawn, to check that each one drew. */
const SHOTS = process.env.BENCH_SHOTS;

/** `/story/NAME` serves generated stories from `stories` (a temp dir); the rest from the repo. */
function serve(stories) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const alt = process.env.BENCH_ALT_PKG && url.pathname.startsWith('/alt-pkg/');
    const story = url.pathname.startsWith('/story/');
    const file = alt
      ? path.join(process.env.BENCH_ALT_PKG, path.basename(url.pathname))
      : story
        ? path.join(stories, path.basename(decodeURIComponent(url.pathname)))
        : path.normalize(path.join(ROOT, decodeURIComponent(url.pathname)));
    const allowed = alt || story || ['www', 'node_modules', 'bench'].some((d) => file.startsWith(path.join(ROOT, d) + path.sep));
    if (!allowed || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Runs before the real page's own scripts: Event Timing entries (input to next paint; entries
 * under 16 ms are not reported) and main-thread long tasks (over 50 ms), kept for the driver.
 */
function observeInteractions() {
  const seen = { events: [], longTasks: [] };
  window.__bench = seen;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      seen.events.push({ name: e.name, id: e.interactionId, start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Event Timing entries since the last call (then cleared) and the page's clock. */
async function takeEvents(page) {
  return page.evaluate(() => {
    const out = window.__bench.events.splice(0);
    return { events: out, now: performance.now() };
  });
}

/** Lets pending frames and Event Timing entries arrive, then takes them. */
async function settleAndTake(page, ms = 400) {
  await page.waitForTimeout(ms);
  return takeEvents(page);
}

/** The longest reported duration, or 16 when nothing reached Event Timing's 16 ms floor. */
const longest = (events, pick = () => true) => Math.max(16, ...events.filter(pick).map((e) => e.duration));

/**
 * The real page (www/index.html?data=…, its own castline.js with the accessible DOM mirror
 * and live region) with a generated story: click-to-filter and clear, hover, and brushing on
 * the time axis through Playwright's mouse, each as Event Timing durations, with the long
 * tasks that fall in each phase.
 */
async function benchRealPage(browser, port, w, log) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  page.setDefaultTimeout(PAGE_SETTLE_MS + 60_000);
  page.on('pageerror', (e) => log(`real page error: ${e.message}`));
  await page.addInitScript(observeInteractions);
  const rows = [];
  try {
    const t0 = Date.now();
    await page.goto(`http://127.0.0.1:${port}/www/index.html?data=/story/${w.name}.json`);
    const ready = await page
      // `window.castline` is first the page's <div id="castline"> (named access); the handle
      // replaces it once mount() resolves.
      .waitForFunction(() => typeof window.castline?.actorPosition === 'function' || document.querySelector('.castline-fatal'), null, {
        timeout: PAGE_SETTLE_MS,
      })
      .then(() => page.evaluate(() => (typeof window.castline?.actorPosition === 'function' ? null : document.querySelector('.castline-fatal')?.textContent ?? 'failed')))
      .catch(() => 'not mounted in time');
    if (ready) return { rows: [[w.name, 'real page', 'not measured', '', '', ready.slice(0, 80)]], setup: ready };
    const mountS = (Date.now() - t0) / 1000;
    const settled = await page
      .waitForFunction(() => document.querySelector('.castline-layout-progress')?.hidden === true, null, {
        timeout: Math.max(1000, PAGE_SETTLE_MS - (Date.now() - t0)),
        polling: 500,
      })
      .then(() => true)
      .catch(() => false);
    const setup = `mounted in ${mountS.toFixed(1)} s; layout ${settled ? `settled after ${((Date.now() - t0) / 1000).toFixed(1)} s` : `still running after ${(PAGE_SETTLE_MS / 1000).toFixed(0)} s`}`;
    await page.waitForTimeout(500);
    await takeEvents(page);
    const boxes = await page.evaluate(() => {
      const box = (sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return { x: r.left, y: r.top, w: r.width, h: r.height };
      };
      return { network: box('canvas.castline-network'), timeline: box('canvas.castline-timeline') };
    });
    // On the canvas and inside the 1000 px high viewport (the mouse cannot reach beyond it).
    const inside = (b, p) => p && p.x > 2 && p.y > 2 && p.x < b.w - 2 && p.y < b.h - 2 && b.y + p.y < 995;
    const actorAt = (id) => page.evaluate((i) => window.castline.actorPosition(i), id);
    const eventAt = (id) => page.evaluate((i) => window.castline.eventPosition(i), id);
    const longTasksIn = async (from, to) => {
      const tasks = await page.evaluate(() => window.__bench.longTasks);
      const within = tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
      return within.length ? `${within.length}, longest ${Math.max(...within.map((t) => t.duration)).toFixed(0)}` : '0';
    };
    const phase = async (label, fn) => {
      const from = (await takeEvents(page)).now;
      const values = [];
      let tried = 0;
      await fn(values, () => tried++);
      const to = (await takeEvents(page)).now;
      const tasks = await longTasksIn(from, to);
      rows.push([w.name, label, values.length ? spread(values, 0) : 'n/a', `${values.length}/${tried}`, tasks, rows.length ? '' : setup]);
      log(`  real page ${w.name} ${label}: ${values.length ? spread(values, 0) : 'n/a'} ms; long tasks ${tasks}`);
    };

    const clears = [];
    await phase('click an actor (filter)', async (values, tried) => {
      for (let k = 0; k < CLICKS; k++) {
        tried();
        const p = await actorAt(`a${(k * 7919) % w.actors}`);
        if (!inside(boxes.network, p)) continue;
        await page.mouse.click(boxes.network.x + p.x, boxes.network.y + p.y);
        const { events } = await settleAndTake(page);
        values.push(longest(events, (e) => e.id));
        // Clearing (a click on the empty corner of the network) is timed on its own.
        await page.mouse.click(boxes.network.x + 3, boxes.network.y + 3);
        clears.push(longest((await settleAndTake(page)).events, (e) => e.id));
      }
    });
    rows.push([w.name, 'click empty network (clear)', clears.length ? spread(clears, 0) : 'n/a', `${clears.length}/${CLICKS}`, '(in the row above)', '']);

    await phase('hover actors and event marks', async (values, tried) => {
      for (let k = 0; k < HOVERS; k++) {
        tried();
        const onNetwork = k % 2 === 0;
        const p = onNetwork ? await actorAt(`a${(k * 104729) % w.actors}`) : await eventAt(`e${(k * 15485863) % w.events}`);
        const b = onNetwork ? boxes.network : boxes.timeline;
        if (!inside(b, p)) continue;
        await page.mouse.move(b.x + p.x, b.y + p.y);
        values.push(longest((await settleAndTake(page, 300)).events));
      }
      await page.mouse.move(1, 1);
      await settleAndTake(page, 300);
    });

    const moves = [];
    await phase('brush on the time axis (down, up)', async (values, tried) => {
      const b = boxes.timeline;
      for (let k = 0; k < BRUSHES; k++) {
        tried();
        const y = b.y + 10;
        const x0 = b.x + b.w * (0.2 + 0.1 * k);
        const x1 = x0 + b.w * 0.25;
        await page.mouse.move(x0, y);
        await settleAndTake(page, 200);
        await page.mouse.down();
        const down = await settleAndTake(page, 200);
        for (let j = 1; j <= 8; j++) {
          await page.mouse.move(x0 + ((x1 - x0) * j) / 8, y);
          moves.push(longest((await settleAndTake(page, 120)).events, (e) => e.name === 'pointermove'));
        }
        await page.mouse.up();
        const up = await settleAndTake(page);
        values.push(Math.max(longest(down.events, (e) => e.id), longest(up.events, (e) => e.id)));
        await page.evaluate(() => window.castline.clear());
        await settleAndTake(page);
      }
    });
    rows.push([w.name, 'brush: each pointer move while dragging', moves.length ? spread(moves, 0) : 'n/a', `${moves.length}`, '(in the row above)', '']);

    // A reader's drag sends moves as fast as the page takes them: each has a new picture to
    // make. (Playwright waits for each move to be handled, so the rate is reported.)
    const rates = [];
    await phase('drag without pausing (pan the network, then brush), 40 moves each', async (values, tried) => {
      const drags = [
        [boxes.network, [6, 6], [206, 146]],
        [boxes.timeline, [boxes.timeline.w * 0.2, 10], [boxes.timeline.w * 0.7, 10]],
      ];
      for (const [b, [x0, y0], [x1, y1]] of drags) {
        tried();
        await page.mouse.move(b.x + x0, b.y + y0);
        await settleAndTake(page, 200);
        await page.mouse.down();
        const t0 = Date.now();
        await page.mouse.move(b.x + x1, b.y + y1, { steps: DRAG_STEPS });
        rates.push(DRAG_STEPS / ((Date.now() - t0) / 1000));
        await page.mouse.up();
        values.push(longest((await settleAndTake(page)).events, (e) => e.name === 'pointermove'));
      }
      await page.evaluate(() => window.castline.clear());
      await settleAndTake(page);
    });
    rows.push([w.name, 'drag without pausing: moves per second', rates.length ? spread(rates, 0) : 'n/a', `${rates.length}`, '(in the row above)', '']);

    // Zoomed in, part of the network is off the canvas and its nodes are shapes: what a
    // pan or a wheel makes each frame is heavier than in the fitted view above.
    // The zoom in and the fit after are set-up, outside the phase's window.
    await page.evaluate(() => window.castline.zoom('network', 2));
    await settleAndTake(page, 600);
    await phase('zoomed in ×2: pan the network (40 moves), 8 wheel turns, then + and − 3 times', async (values, tried) => {
      const b = boxes.network;
      // A press on a node would drag it: start where no actor is near.
      const start = await page.evaluate(([w, h]) => {
        const ids = window.castline.state().visibleActors;
        const points = ids.map((id) => window.castline.actorPosition(id)).filter(Boolean);
        for (let y = 20; y < h - 20; y += 10) {
          for (let x = 20; x < w / 2; x += 10) {
            if (points.every((p) => Math.hypot(p.x - x, p.y - y) > 24)) return { x, y };
          }
        }
        return null;
      }, [b.w, b.h]);
      if (start) {
        tried();
        await page.mouse.move(b.x + start.x, b.y + start.y);
        await settleAndTake(page, 200);
        await page.mouse.down();
        await page.mouse.move(b.x + start.x + 200, b.y + start.y + 100, { steps: DRAG_STEPS });
        await page.mouse.up();
        values.push(longest((await settleAndTake(page)).events, (e) => e.name === 'pointermove'));
      }
      await page.mouse.move(b.x + b.w / 2, b.y + b.h / 2);
      for (let k = 0; k < 8; k++) {
        await page.mouse.wheel(0, k < 4 ? 100 : -100);
        await page.waitForTimeout(60);
      }
      await settleAndTake(page, 600);
      // Each press of a zoom button repaints the whole network at rest.
      for (let k = 0; k < 3; k++) {
        await page.click('button[aria-label="Zoom the network in"]');
        await settleAndTake(page, 300);
        await page.click('button[aria-label="Zoom the network out"]');
        await settleAndTake(page, 300);
      }
    });
    await page.evaluate(() => window.castline.fit('network'));
    await settleAndTake(page);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${w.name}-real-page.png`) });
    return { rows, setup };
  } finally {
    await page.close();
  }
}

export async function benchBrowser(log = console.error) {
  const stories = fs.mkdtempSync(path.join(os.tmpdir(), 'castline-bench-'));
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  const server = await serve(stories);
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
  const pageRows = [];
  const castline = await loadCastline();
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
    const shot = async (p, selector, name) => {
      if (SHOTS) await p.locator(selector).screenshot({ path: path.join(SHOTS, `${name}.png`) });
    };
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
      } else {
        if (altPage) await altPage.evaluate(([a, e]) => window.bench.mountCastline(a, e), [w.actors, w.events]);
        // Castline, the hand-batched replay of its scene (and a second build) take turns
        // redraw by redraw, so load on the machine falls on all alike.
        const redraw = [];
        const moved = [];
        const zoomedMoved = [];
        const reference = [];
        const altRedraw = [];
        for (let r = 0; r < REDRAWS; r++) {
          redraw.push(...(await page.evaluate(() => window.bench.redrawCastline(1))));
          moved.push(...(await page.evaluate(() => window.bench.redrawCastline(1, true))));
          zoomedMoved.push(...(await page.evaluate(() => window.bench.redrawCastline(1, true, true))));
          reference.push(...(await page.evaluate(() => window.bench.redrawReference(1))));
          if (altPage) altRedraw.push(...(await altPage.evaluate(() => window.bench.redrawCastline(1))));
        }
        await shot(page, '#network', `${w.name}-castline-network`);
        await shot(page, '#timeline', `${w.name}-castline-timeline`);
        await shot(page, '#refNetwork', `${w.name}-reference-network`);
        await shot(page, '#refTimeline', `${w.name}-reference-timeline`);
        const pan = await page.evaluate(() => window.bench.panCastline(2000));
        const oursDraw = median(redraw);
        const ratio = (t) => (oursDraw / median(t)).toFixed(2);
        drawRows.push([
          w.name,
          'castline (network + time axis)',
          spread(redraw, 1),
          '1.00',
          '',
          `${pan.fps.toFixed(0)} fps`,
          `load ${(mounted.loadMs / 1000).toFixed(2)} s; layout ${mounted.settled ? 'settled' : 'not settled'} in ${(mounted.layoutMs / 1000).toFixed(1)} s`,
        ]);
        drawRows.push([
          w.name,
          'castline, network moved by 1 px',
          spread(moved, 1),
          '',
          '',
          '',
          `nodes found again: ${(median(moved) / median(reference)).toFixed(2)}× the replay`,
        ]);
        drawRows.push([
          w.name,
          'castline, zoomed in ×2, moved by 1 px',
          spread(zoomedMoved, 1),
          '',
          '',
          '',
          'ties chosen again (a smaller scene than the replay\'s)',
        ]);
        drawRows.push([
          w.name,
          'hand-batched replay of the same scene',
          spread(reference, 1),
          ratio(reference),
          '≤ 1.20',
          '',
          `${mounted.shapes.toLocaleString('en')} shapes, ${mounted.texts.toLocaleString('en')} texts, ${mounted.styles} styles`,
        ]);
        log(`  browser draw ${w.name}: castline ${spread(redraw, 1)} ms, moved ${spread(moved, 1)} ms, zoomed and moved ${spread(zoomedMoved, 1)} ms, reference ${spread(reference, 1)} ms, pan ${pan.fps.toFixed(0)} fps`);
        if (altPage) {
          const p = await altPage.evaluate(() => window.bench.panCastline(2000));
          drawRows.push([w.name, `castline, ${ALT}`, spread(altRedraw, 1), ratio(altRedraw), '', `${p.fps.toFixed(0)} fps`, '']);
          log(`  browser draw ${w.name}: alt build ${spread(altRedraw, 1)} ms, pan ${p.fps.toFixed(0)} fps`);
        }
        if (PEER_SIZES.includes(w.name)) {
          const target = ['W2', 'W3'].includes(w.name);
          for (const lib of ['vis-network', 'cytoscape']) {
            const m = await page.evaluate(([l, a, e]) => window.bench.mountPeer(l, a, e), [lib, w.actors, w.events]);
            const t = await page.evaluate((r) => window.bench.redrawPeer(r), REDRAWS);
            const goal = target ? (lib === 'vis-network' ? '≤ 0.67' : '≤ 0.10') : '';
            const what = lib === 'vis-network' ? 'vis-network, redraw()' : 'cytoscape, every element drawn';
            drawRows.push([w.name, what, spread(t, 1), ratio(t), goal, '', `load ${(m.loadMs / 1000).toFixed(2)} s`]);
            log(`  browser draw ${w.name}: ${what} ${spread(t, 1)} ms`);
            await shot(page, '#peer', `${w.name}-${lib}`);
            if (lib === 'cytoscape') {
              const c = await page.evaluate((r) => window.bench.redrawPeer(r, true), REDRAWS);
              drawRows.push([w.name, 'cytoscape, its own render()', spread(c, 1), ratio(c), '', '', 'may paint cached bitmaps']);
              log(`  browser draw ${w.name}: cytoscape cached render() ${spread(c, 1)} ms`);
              await shot(page, '#peer', `${w.name}-cytoscape-cached`);
            }
          }
        }
      }
      // The real page reads the story as a reader's browser would: from a file it fetches.
      fs.writeFileSync(path.join(stories, `${w.name}.json`), castline.generateStory(w.actors, w.events, SEED));
      const real = await benchRealPage(browser, port, w, log);
      pageRows.push(...real.rows);
      fs.rmSync(path.join(stories, `${w.name}.json`), { force: true });
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(stories, { recursive: true, force: true });
  }
  return [
    '### Layout in Chromium (ms per step)\n',
    table(['size', 'library', 'ms per step: median (min–max)', 'peer / castline'], layoutRows),
    '\n### Full redraw of the positioned graph, 1200 × 800 CSS px, device pixel ratio 1 (ms, rasterised)\n',
    table(
      ['size', 'what is drawn', 'redraw ms: median (min–max)', 'castline / this', 'target', 'panning', 'setup'],
      drawRows,
    ),
    `\nRedraws: ${REDRAWS}, each after 2 warm-up redraws; Castline and the hand-batched replay take turns. The first row repaints an unchanged picture (as after a hover or a theme change: the ties chosen for the last frame are reused); the second pans the network by a pixel first, so the nodes on screen are found again, as after any pan, zoom or layout step (the ties chosen are kept while the whole network stays on the canvas); the third zooms the network in twice and then pans it by a pixel, so part of it is off the canvas and the ties are chosen again from every one. The replay paints the scene Castline drew (recorded through \`Viewer.recordScene()\`) grouped by style: one path and one stroke or fill per style, fonts set once. "castline / this" below 1 means Castline is faster; the targets are issue 6's (within 1.2× of the replay; 1.5× faster than vis-network and 10× faster than cytoscape at W2 and W3). Peers draw ${PEER_SIZES.join(', ')}; cytoscape's full redraw is its own \`drawElement\` for every element (its own \`render()\`, shown for comparison, may paint layers or nodes from bitmap caches instead).`,
    '\n### Interaction on the real page (www/index.html with the story as a file; Event Timing, ms)\n',
    table(['size', 'interaction', 'input to next paint ms: median (min–max)', 'measured', 'long tasks > 50 ms (count, longest ms)', 'setup'], pageRows),
    `\nEach interaction's longest Event Timing duration (input until the next paint); Event Timing does not report durations under 16 ms, which count as 16. Clicks: ${CLICKS} actors (Playwright mouse), each followed by a click on the network's empty corner to clear. Hover: ${HOVERS} moves, alternately onto an actor and an event mark. Brush: ${BRUSHES} drags across the time axis (down, 8 moves, up). Drag without pausing: a pan of the network and a brush, each ${DRAG_STEPS} moves sent back to back (the longest move counts). Zoomed in ×2: the network zoomed in twice, a pan of ${DRAG_STEPS} moves from a spot with no actor near, then 8 wheel turns 60 ms apart, then the network's + and − buttons pressed 3 times each (the pan's longest move counts; the long tasks are the pan's, the wheel's and the buttons'). Targets: ≤ 100 ms at W3, ≤ 200 ms at W4, no task over 50 ms.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchBrowser());
}
