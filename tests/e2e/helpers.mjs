// Shared by the end-to-end tests and scripts/screenshot.mjs: start the real
// `castline serve`, drive Debian's Chromium with playwright-core, and clean
// up both whatever happens. Test files get both through browserSuite().

import { spawn } from 'node:child_process';
import http from 'node:http';
import { before, after } from 'node:test';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// The command line the tests run (`serve`, `generate`, and `make dist`'s renderer).
export const CASTLINE_BIN = process.env.CASTLINE_BIN || path.join(repoRoot, 'target', 'debug', 'castline');

export const CHROMIUM_PATH = process.env.CASTLINE_CHROMIUM || '/usr/bin/chromium';

// This machine has no network: without these Chromium keeps trying to reach
// Google's services, and as root it needs --no-sandbox.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const children = new Set();

// A test file that crashes or is interrupted must not leave a server behind.
function killChildren() {
  for (const child of children) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  children.clear();
}
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

/**
 * Starts `castline serve --port 0` from the repository root (with more `args`, such as
 * `--data DIR`) and resolves to { url, stop } once it has printed the URL it serves.
 */
export async function startServer({ timeoutMs = 20_000, args = [] } = {}) {
  if (!existsSync(CASTLINE_BIN)) {
    throw new Error(`The server binary ${CASTLINE_BIN} does not exist: run \`cargo build --bin castline\` first (or set CASTLINE_BIN).`);
  }
  const child = spawn(CASTLINE_BIN, ['serve', '--port', '0', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      reject(new Error(`castline serve printed no URL within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const m = /Castline is serving the page at (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`castline serve exited (${code ?? signal}) before serving.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  }).catch((error) => {
    stopChild(child);
    throw error;
  });
  child.stdout.resume(); // keep draining so the server never blocks on a full pipe

  return {
    url: url.endsWith('/') ? url : `${url}/`,
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
}

function stopChild(child) {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try { child.kill('SIGKILL'); } catch { /* gone */ }
    }, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * One served page and one browser for the tests of the enclosing describe():
 * registers its before and after hooks, which start `castline serve` and
 * Chromium once and stop both whatever happens. Returns
 *
 * - `server.url`: the server's URL, ending in `/` (once the before hook has run);
 * - `withPage([options,] fn)`: runs `fn({ context, page, problems })` in a
 *   fresh context and closes it afterwards. `options` are context options
 *   (viewport, deviceScaleFactor, hasTouch, isMobile, colorScheme,
 *   reducedMotion, acceptDownloads); `problems` collects console errors and
 *   warnings (a deprecation warning from the wasm glue counts) and page errors.
 *
 * `httpErrors: true` also counts every response of 400 or more as a problem,
 * for pages whose every request must succeed (an embed on another origin).
 */
export function browserSuite({ httpErrors = false } = {}) {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  async function withPage(options, fn) {
    if (typeof options === 'function') [options, fn] = [{}, options];
    const { viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, ...more } = options;
    const context = await browser.newContext({ viewport, deviceScaleFactor, ...more });
    try {
      const page = await context.newPage();
      const problems = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      if (httpErrors) {
        page.on('response', (r) => {
          if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
        });
      }
      return await fn({ context, page, problems });
    } finally {
      await context.close();
    }
  }

  return {
    server: { get url() { return server.url; } },
    withPage,
  };
}

/**
 * Waits until the default page has mounted and its layout stopped moving. Polled inside the
 * page, so that a Playwright page and a puppeteer one (the Firefox suite) both can wait.
 */
export async function waitForCastline(page) {
  // Either the handle appears or the page says in words why not; report that.
  const shown = await page.evaluate(async () => {
    const alerts = () => [...document.querySelectorAll('[role="alert"]')]
      .filter((el) => !el.hidden && el.textContent.trim()).map((el) => el.textContent.trim()).join(' ');
    const deadline = performance.now() + 20_000;
    while (performance.now() < deadline) {
      if (typeof window.castline?.state === 'function') return null;
      const text = alerts();
      if (text) return text;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return 'neither the story nor a message within 20 s';
  });
  if (shown) throw new Error(`the page shows an error instead of the story: ${shown}`);
  await waitForSettled(page);
}

/** The ids of the event list's entries a reader can see, in list order. */
export function visibleItemIds(page) {
  return page.$$eval('ol.castline-events > li', (items) => items
    .filter((li) => !li.hidden && li.offsetParent !== null).map((li) => li.dataset.eventId));
}

const DAY_MS = 86_400_000;

/**
 * The events the viewer should show for a window, from its own resolved dates (story()): an
 * end given as a day includes that whole day. `among`, if given, narrows them to those ids.
 */
export async function eventsInWindow(page, [start, end], among = null) {
  const events = (await page.evaluate(() => window.castline.story())).events;
  const from = Date.parse(start);
  const to = Date.parse(end) + (/^\d{4}-\d{2}-\d{2}$/.test(end) ? DAY_MS : 0);
  return events
    .filter((e) => Date.parse(e.start) < to && Date.parse(e.end) > from)
    .filter((e) => !among || among.includes(e.id))
    .map((e) => e.id);
}

/**
 * Waits until every visible actor stays put for several animation frames,
 * so that a click lands where actorPosition() said.
 */
export async function waitForSettled(page) {
  const settled = await page.evaluate(async () => {
    const handle = window.castline;
    if (!handle) return false;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const deadline = performance.now() + 15_000;
    let last = '';
    let stable = 0;
    while (performance.now() < deadline) {
      await frame();
      const ids = handle.state().visibleActors;
      const now = JSON.stringify(ids.map((id) => {
        const p = handle.actorPosition(id);
        return p ? [Math.round(p.x * 2), Math.round(p.y * 2)] : null;
      }));
      if (now === last) {
        stable += 1;
        if (stable >= 6) return true;
      } else {
        stable = 0;
        last = now;
      }
    }
    return false;
  });
  if (!settled) throw new Error('the network layout did not settle within 15 s');
}

/**
 * Counts the pixels of a canvas that differ from its corner (background)
 * pixel, and reports its buffer and CSS sizes.
 */
export function canvasInk(page, selector) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    if (!canvas) return null;
    const rect = canvas.getBoundingClientRect();
    const result = {
      width: canvas.width,
      height: canvas.height,
      cssWidth: rect.width,
      cssHeight: rect.height,
      top: rect.top,
      bottom: rect.bottom,
      left: rect.left,
      right: rect.right,
      ink: 0,
      total: canvas.width * canvas.height,
    };
    if (!canvas.width || !canvas.height) return result;
    // Read a copy, so the test neither touches the page's own context nor
    // makes Chromium warn about repeated readbacks from it.
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const [r0, g0, b0, a0] = [data[0], data[1], data[2], data[3]];
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.abs(data[i] - r0) + Math.abs(data[i + 1] - g0) + Math.abs(data[i + 2] - b0) + Math.abs(data[i + 3] - a0);
      if (d > 24) result.ink += 1;
    }
    return result;
  }, selector);
}

/** The story the default page shows, read straight from the data file. */
export async function readStory() {
  const text = await readFile(path.join(repoRoot, 'data', 'peace-plan-2025.json'), 'utf8');
  return JSON.parse(text);
}

/** Two animation frames: enough for the frame loop to draw what changed. */
export function nextFrames(page, n = 2) {
  return page.evaluate(async (count) => {
    for (let i = 0; i < count; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
  }, n);
}

const STATIC_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A folder served as any static host would: files and their types, nothing else; with
 * `cors`, also `Access-Control-Allow-Origin: *`, which an embed's sandboxed frame needs
 * (docs/embedding.md).
 */
export async function staticFolder(dir, { cors = false } = {}) {
  const missing = [];
  const server = http.createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    try {
      if (!file.startsWith(dir + path.sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream',
        ...(cors ? { 'access-control-allow-origin': '*' } : {}),
      });
      res.end(body);
    } catch {
      missing.push(rel);
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    missing,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
