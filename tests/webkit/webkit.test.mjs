// The reader's main paths in WebKit, Safari's engine (the one every iPhone reader's browser
// runs): Debian's WebKitGTK, its MiniBrowser driven by WebKitWebDriver over classic WebDriver
// (webdriver.mjs) under a private Xvfb, at devicePixelRatio 2 (GDK_SCALE=2, as on many
// iPhones). Run by `make test-webkit`, which `make test` runs after the other end-to-end tests.
// Expectations come from data/peace-plan-2025.json and the viewer's story(), as in the
// Chromium and Firefox suites.
//
// What it checks: the default story mounts with no error shown; the page's
// Content-Security-Policy holds (no violation while it loads and is used, and eval and inline
// scripts are refused); both canvases are crisp (buffer = CSS size × devicePixelRatio) and
// drawn; a click on an actor filters the event list, Escape shows everything again, a brush on
// the time axis sets a window and the list follows; the picture is made as PNG and SVG (the
// full build loaded on demand); data with problems (?data= and a dropped file) shows its
// diagnostics and draws the rest; the embed snippet's iframe on another origin takes its
// content's height and follows it.
//
// What classic WebDriver cannot give, and how this suite stands in for it:
// - the console and uncaught errors: WebKitGTK under automation prints no console messages and
//   WebDriver has no log endpoint (nor BiDi in Debian's build), and no script can run before a
//   page's own. So the pages are served through probe.mjs, a proxy that passes everything
//   through and puts one external script first in each page's <head>; it records CSP
//   violations, uncaught errors, unhandled rejections, failed loads and console.error/warn
//   calls. Messages the engine itself writes to the console (deprecations, its own CSP
//   reports) are not seen, only their events.
// - the device pixel ratio: set for the whole browser by GDK_SCALE (whole numbers only, so
//   not an iPhone Pro's 3, nor fractional ratios); every test runs at 2.
// - touch, pinch and long press: WebKitGTK's driver has mouse and keys only; touch is left
//   out, and so are iOS's own behaviours (its viewport, the address bar, text-size
//   adjustment, Safari's ITP). This is WebKit's engine on Linux, not Safari on iOS.
// - response headers: read by fetching the same URL from Node.
// - accelerated compositing: off (WEBKIT_DISABLE_COMPOSITING_MODE=1), because without a GPU it
//   paints a few frames a second under Xvfb; and without it the driver takes no screenshots,
//   so a failure reports the probe's findings and the alerts shown instead (webdriver.mjs).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, waitForCastline, canvasInk, readStory, nextFrames, visibleItemIds, eventsInWindow,
} from '../e2e/helpers.mjs';
import { startWebKit, KEYS } from './webdriver.mjs';
import { startProbeProxy, problems } from './probe.mjs';

const TIMEOUT = 120_000;
const SCALE = 2;
const story = await readStory();
const sorted = (ids) => [...ids].sort();

// A story with one good and one bad event, served as if it were data/webkit-problems.json.
const PROBLEMS_JSON = JSON.stringify({
  title: 'Two events, one date wrong',
  actors: [{ id: 'a', name: 'Alice' }, { id: 'b', name: 'Bob' }],
  events: [
    { id: 'ok', title: 'Met', date: '2025-10-24', actors: ['a', 'b'] },
    { id: 'bad', title: 'Called', date: '2025-02-30', actors: ['a'] },
  ],
}, null, 1);

describe('in WebKit (Safari’s engine)', () => {
  let server;
  let proxy;
  let webkit;

  before(async () => {
    server = await startServer();
    proxy = await startProbeProxy(server.url, {
      files: { '/data/webkit-problems.json': { type: 'application/json', body: PROBLEMS_JSON } },
    });
    webkit = await startWebKit({ scale: SCALE });
  });

  after(async () => {
    await webkit?.stop();
    await proxy?.close();
    await server?.stop();
  });

  // A fresh browser (a new WebDriver session: MiniBrowser with a new profile) per test. When
  // a test fails, its error also gives what the page's probe recorded and the alerts shown,
  // and with WEBKIT_DISABLE_COMPOSITING_MODE=0 a screenshot (webdriver.mjs says why not always).
  async function withSession(name, fn, options = {}) {
    const session = await webkit.newSession(options);
    try {
      return await fn(session);
    } catch (error) {
      try {
        await session.switchToFrame(null);
        error.message += `\n(the page's probe: ${JSON.stringify(await problems(session))}; alerts: ${JSON.stringify(await alertText(session))})`;
        if (webkit.composited) {
          const file = path.join(os.tmpdir(), `castline-webkit-${name}.png`);
          await writeFile(file, await session.screenshot());
          error.message += `\n(screenshot: ${file})`;
        }
      } catch { /* the page is gone */ }
      throw error;
    } finally {
      await session.close();
    }
  }

  async function open(session, query = '') {
    await session.goto(`${proxy.url}${query}`);
    await waitForCastline(session);
  }

  const state = (session) => session.evaluate(() => window.castline.state());

  // A point on a canvas, in the viewport's coordinates, from a position the viewer reports.
  async function pointOn(session, selector, position) {
    assert.ok(position, `no position on ${selector}`);
    const rect = await session.$eval(selector, (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top };
    });
    return { x: rect.left + position.x, y: rect.top + position.y };
  }

  const alertText = (session) => session.$$eval('[role="alert"]', (els) => els
    .filter((el) => !el.hidden).map((el) => el.textContent).join(' '));

  test('the story mounts under the CSP, without errors, and both canvases draw crisp at devicePixelRatio 2', { timeout: TIMEOUT }, async () => {
    const response = await fetch(proxy.url);
    assert.equal(response.status, 200);
    // Its origin beside 'self': WebKit matches 'self' against a sandboxed frame's opaque origin.
    const csp = (response.headers.get('content-security-policy') ?? '').split('; ');
    assert.ok(csp.includes(`script-src 'self' ${new URL(proxy.url).origin} 'wasm-unsafe-eval'`), csp.join('; '));
    await withSession('mount', async (page) => {
      await open(page);
      await nextFrames(page, 3);
      assert.match(await page.evaluate(() => navigator.userAgent), /AppleWebKit\/.* Safari\//);
      assert.equal(await page.$eval('h1', (h) => h.textContent.trim()), story.title);
      assert.equal(await page.evaluate(() => window.devicePixelRatio), SCALE);
      assert.equal(await alertText(page), '', 'no error or diagnostic is shown');
      assert.deepEqual(await page.evaluate(() => window.castline.diagnostics()), []);
      for (const selector of ['canvas.castline-network', 'canvas.castline-timeline']) {
        const c = await canvasInk(page, selector);
        assert.ok(c, `${selector} exists`);
        assert.ok(c.cssWidth > 200 && c.cssHeight > 100, `${selector} is laid out: ${c.cssWidth} × ${c.cssHeight}`);
        assert.ok(Math.abs(c.width - SCALE * c.cssWidth) <= 1, `${selector}: buffer width ${c.width} is ${SCALE} × CSS width ${c.cssWidth}`);
        assert.ok(Math.abs(c.height - SCALE * c.cssHeight) <= 1, `${selector}: buffer height ${c.height} is ${SCALE} × CSS height ${c.cssHeight}`);
        assert.ok(c.ink > 2000 && c.ink > c.total * 0.005, `${selector} is not blank (${c.ink} of ${c.total} pixels drawn)`);
      }
      assert.equal((await visibleItemIds(page)).length, story.events.length);
      assert.deepEqual(await problems(page), []);

      // The policy is enforced, and the probe would have seen a breach: eval and an inline
      // script are refused, and each is reported as a violation.
      const refused = await page.evaluate(() => {
        let evalResult;
        try { evalResult = String(eval('1 + 1')); } catch (error) { evalResult = error.name; }
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true;';
        document.head.append(script);
        return { evalResult, inlineRan: window.__inlineRan === true };
      });
      assert.deepEqual(refused, { evalResult: 'EvalError', inlineRan: false });
      await nextFrames(page, 2);
      const seen = await problems(page);
      assert.ok(seen.some((p) => /^CSP violation: script-src.*eval/.test(p)), `eval reported: ${seen.join('; ')}`);
      assert.ok(seen.some((p) => /^CSP violation: script-src.*inline/.test(p)), `the inline script reported: ${seen.join('; ')}`);
    });
  });

  test('a click on an actor shows only its events, Escape all again, and a drag across the time axis a window', { timeout: TIMEOUT }, async () => {
    await withSession('reading', async (page) => {
      await open(page);
      const actor = 'dmitriev';
      const expected = story.events.filter((e) => (e.actors ?? []).includes(actor)).map((e) => e.id);
      assert.ok(expected.length > 0 && expected.length < story.events.length);
      const at = await pointOn(page, 'canvas.castline-network', await page.evaluate((id) => window.castline.actorPosition(id), actor));
      await page.mouse([at]);
      await nextFrames(page);
      const selected = await state(page);
      assert.deepEqual(selected.selectedActors, [actor]);
      assert.deepEqual(sorted(selected.visibleEvents), sorted(expected));
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(expected));

      await page.press(KEYS.Escape);
      await nextFrames(page);
      assert.deepEqual((await state(page)).selectedActors, []);
      assert.equal((await state(page)).visibleEvents.length, story.events.length);
      assert.equal((await visibleItemIds(page)).length, story.events.length);

      // From just left of the Axios report to just right of the WSJ report, along the Axios lane.
      const mark = async (id) => pointOn(page, 'canvas.castline-timeline', await page.evaluate((e) => window.castline.eventPosition(e), id));
      const axios = await mark('axios-report');
      const wsj = await mark('wsj-report');
      await page.mouse([
        { x: axios.x - 14, y: axios.y },
        { x: (axios.x + wsj.x) / 2, y: axios.y },
        { x: wsj.x + 14, y: axios.y },
      ], { steps: 6 });
      await nextFrames(page);
      const brushed = await state(page);
      assert.ok(brushed.timeWindow, 'a window is set');
      const inWindow = await eventsInWindow(page, brushed.timeWindow);
      assert.ok(inWindow.includes('axios-report') && inWindow.includes('wsj-report'), `the window ${brushed.timeWindow} holds both reports`);
      assert.ok(inWindow.length < story.events.length, 'the window leaves events out');
      assert.deepEqual(sorted(brushed.visibleEvents), sorted(inWindow));
      // The lists follow a drag when it ends, just after the pictures are painted.
      await nextFrames(page, 3);
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(inWindow));
      assert.match(await page.url(), /#.*window=/, 'the window is in the URL fragment');
      assert.deepEqual(await problems(page), []);
    });
  });

  test('the picture is made as PNG and SVG, the SVG by the full build loaded on demand', { timeout: TIMEOUT }, async () => {
    await withSession('export', async (page) => {
      await open(page);
      const made = await page.evaluate(async () => {
        const out = {};
        for (const kind of ['png', 'svg']) {
          const blob = await window.castline.exportBlob(kind);
          const bytes = new Uint8Array(await blob.arrayBuffer());
          out[kind] = { type: blob.type, size: blob.size, head: new TextDecoder().decode(bytes.slice(1, 4)), text: kind === 'svg' ? new TextDecoder().decode(bytes) : '' };
        }
        return out;
      });
      assert.equal(made.png.type, 'image/png');
      assert.equal(made.png.head, 'PNG');
      assert.ok(made.png.size > 20_000, `a PNG of ${made.png.size} bytes`);
      assert.match(made.svg.type, /^image\/svg\+xml/);
      assert.match(made.svg.text, /<svg[\s>]/);
      assert.ok(made.svg.text.includes('Kirill Dmitriev'), 'the SVG names the actors');
      assert.deepEqual(await problems(page), []);
    });
  });

  test('data with problems, named by ?data= or dropped on the page, shows its diagnostics and draws the rest', { timeout: TIMEOUT }, async () => {
    await withSession('problems', async (page) => {
      // ?data=: the first build refuses it, the full build reads it and explains.
      await open(page, '?data=data/webkit-problems.json');
      assert.deepEqual((await state(page)).visibleEvents, ['ok']);
      assert.deepEqual(await visibleItemIds(page), ['ok']);
      let alert = await alertText(page);
      assert.match(alert, /webkit-problems\.json:\d+:\d+: /);
      assert.match(alert, /field "date"/);
      assert.match(alert, /2025-02-30/);
      assert.ok((await page.evaluate(() => window.castline.diagnostics())).length > 0);
      await nextFrames(page, 3);
      for (const selector of ['canvas.castline-network', 'canvas.castline-timeline']) {
        const c = await canvasInk(page, selector);
        assert.ok(c.ink > 200, `${selector} draws the rest (${c.ink} pixels drawn)`);
      }

      // A CSV dropped on the page (a File in a DataTransfer, as a drag from the desktop
      // delivers it) replaces the story.
      const csv = 'title,date,actors\nFirst,2025-10-24,Jane Doe; John Roe\nSecond,2025-02-30,Jane Doe\nThird,2025-11,John Roe\n';
      await page.evaluate((text) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], 'my-events.csv', { type: 'text/csv' }));
        for (const kind of ['dragover', 'drop']) {
          document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
      }, csv);
      const events = await page.evaluate(async () => {
        const deadline = performance.now() + 15_000;
        while (performance.now() < deadline) {
          const shown = window.castline?.story?.().events;
          if (shown?.length === 2) return shown.map((e) => e.title);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return null;
      });
      assert.deepEqual(events, ['First', 'Third']);
      alert = await alertText(page);
      assert.match(alert, /my-events\.csv:3:2: row 3, field "date"/);
      assert.match(alert, /2025-02-30/);
      await waitForCastline(page);
      const titles = await page.$$eval('ol.castline-events > li .castline-event-title', (els) => els.map((el) => el.textContent));
      assert.deepEqual(titles, ['First', 'Third']);
      await nextFrames(page, 3);
      assert.ok((await canvasInk(page, 'canvas.castline-network')).ink > 200, 'the dropped story is drawn');
      assert.deepEqual(await problems(page), []);
    });
  });

  test('the embed snippet on another origin becomes a sandboxed iframe whose height follows its content', { timeout: TIMEOUT }, async () => {
    // The article, on another port of 127.0.0.1 (another origin); the probe watches it too.
    const articleHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title>
<script src="${proxy.url}__castline_probe.js"></script><link rel="icon" href="data:,"></head>
<body><h1>An article</h1><p>Before the embed.</p>
<div class="castline-embed" data-src="data/peace-plan-2025.json" data-height="300" data-select="dmitriev" data-title="Who met whom"></div>
<p>After the embed.</p>
<script src="${proxy.url}embed.js" async></script></body></html>`;
    const article = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(articleHtml);
    });
    await new Promise((resolve) => article.listen(0, '127.0.0.1', resolve));
    const articleUrl = `http://127.0.0.1:${article.address().port}/`;
    try {
      await withSession('embed', async (page) => {
        await page.goto(articleUrl);
        const iframe = await page.evaluate(async () => {
          const deadline = performance.now() + 20_000;
          while (performance.now() < deadline) {
            const f = document.querySelector('.castline-embed iframe');
            if (f) return { sandbox: f.getAttribute('sandbox'), title: f.title, src: f.src };
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return null;
        });
        assert.ok(iframe, 'the snippet made an iframe');
        assert.equal(iframe.sandbox, 'allow-scripts allow-popups allow-popups-to-escape-sandbox');
        assert.equal(iframe.title, 'Who met whom');
        assert.equal(new URL(iframe.src).origin, new URL(proxy.url).origin);
        assert.notEqual(new URL(articleUrl).origin, new URL(proxy.url).origin, 'the article is on another origin');

        const frameElement = await page.findElement('.castline-embed iframe');
        const inFrame = async (fn) => {
          await page.switchToFrame(frameElement);
          try { return await fn(); } finally { await page.switchToFrame(null); }
        };
        const outer = () => page.$eval('.castline-embed iframe', (f) => f.getBoundingClientRect().height);
        const inner = () => inFrame(() => page.evaluate(() => document.documentElement.getBoundingClientRect().height));
        // Waits until the iframe is as tall as its content, and taller than `above`.
        const fit = async (above) => {
          const deadline = Date.now() + 20_000;
          let last = null;
          while (Date.now() < deadline) {
            last = { outer: await outer(), inner: await inner() };
            if (last.outer > above && Math.abs(last.outer - Math.ceil(last.inner)) <= 1) return last;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          return assert.fail(`the iframe did not fit its content: ${JSON.stringify(last)}`);
        };

        await inFrame(async () => {
          try {
            await waitForCastline(page);
          } catch (error) {
            error.message += ` (in the frame; its probe: ${JSON.stringify(await problems(page))})`;
            throw error;
          }
          // Opaque origin (no allow-same-origin), and still the viewer loaded its scripts,
          // wasm and data under its policy.
          assert.equal(await page.evaluate(() => self.origin), 'null');
          assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
          assert.equal(await page.evaluate(() => window.devicePixelRatio), SCALE);
          const c = await canvasInk(page, 'canvas.castline-network');
          assert.ok(Math.abs(c.width - SCALE * c.cssWidth) <= 1, `the embed's network is crisp: ${c.width} for ${c.cssWidth}`);
          assert.ok(c.ink > 2000, `the network is drawn inside the iframe (${c.ink} pixels)`);
        });
        const first = await fit(300);
        assert.ok(first.outer > 600, `grew from 300 px to its content: ${JSON.stringify(first)}`);
        assert.ok(await inFrame(() => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)), 'no scroll bar inside');

        // The height follows the content when it changes.
        await inFrame(() => page.evaluate(() => {
          const extra = document.createElement('div');
          extra.style.height = '250px';
          extra.textContent = 'more';
          document.body.append(extra);
        }));
        const grown = await fit(first.outer + 200);
        assert.ok(Math.abs(grown.outer - first.outer - 250) <= 2, JSON.stringify({ first, grown }));

        assert.deepEqual(await inFrame(() => problems(page)), [], 'nothing went wrong in the embed');
        assert.deepEqual(await problems(page), [], 'nothing went wrong in the article');
      });
    } finally {
      article.closeAllConnections();
      await new Promise((resolve) => article.close(resolve));
    }
  });
});
