// A small client of classic WebDriver (the W3C HTTP protocol) for WebKitGTK's WebKitWebDriver,
// which drives MiniBrowser: WebKit, Safari's engine. Playwright drives only its own WebKit
// builds (a download) and puppeteer-core speaks only CDP and WebDriver BiDi, which Debian's
// WebKitWebDriver does not offer; so the commands the suite needs are here, on fetch().
//
// startWebKit() starts a private X server (Xvfb, which picks a free display itself through
// -displayfd) and WebKitWebDriver on a free 127.0.0.1 port, and waits until the driver says it
// is ready. Everything it starts runs in process groups of its own and is ended by stop(), or
// when the test process exits.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

export const WEBKIT_DRIVER = process.env.CASTLINE_WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
// Debian's libwebkit2gtk-4.1-0 puts it under the architecture's library folder.
export const MINIBROWSER = process.env.CASTLINE_MINIBROWSER || (() => {
  const folders = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => d.includes('-linux-')) : [];
  const found = folders.map((d) => `/usr/lib/${d}/webkit2gtk-4.1/MiniBrowser`).find(existsSync);
  return found ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
})();
const XVFB = process.env.CASTLINE_XVFB || '/usr/bin/Xvfb';

export const KEYS = { Escape: '\uE00C', Enter: '\uE007', Tab: '\uE004' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const groups = new Set();
function killGroups() {
  for (const pid of groups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  groups.clear();
}
process.on('exit', killGroups);

// A process group of its own (detached), so that stopping it also ends what it started:
// WebKitWebDriver starts MiniBrowser, which starts WebKit's web and network processes.
function spawnGroup(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid) groups.add(child.pid);
  return child;
}

async function stopGroup(child) {
  if (!child?.pid || !groups.has(child.pid)) return;
  const running = child.exitCode === null && child.signalCode === null;
  const exited = running ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* the group is gone */ }
  await Promise.race([exited, sleep(3000)]);
  // Whatever of the group is left, the leader gone or not.
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group is gone */ }
  groups.delete(child.pid);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts Xvfb on a free display; resolves to { display, child }. */
async function startXvfb({ width, height }) {
  // -displayfd: the server picks the first free display and writes its number once it
  // accepts connections, so two suites never race for one (as xvfb-run -a can).
  const child = spawnGroup(XVFB, ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display within 20 s: ${stderr}`)), 20_000);
    child.stdio[3].setEncoding('utf8');
    child.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code ?? signal}): ${stderr}`));
    });
  }).catch(async (error) => {
    await stopGroup(child);
    throw error;
  });
  return { display, child };
}

/**
 * Starts Xvfb and WebKitWebDriver. `scale` is GDK_SCALE, the device pixel ratio the browser
 * draws at (WebDriver has no command for it; GTK takes whole numbers only). Resolves to
 * { newSession(options), log(), stop() }.
 */
export async function startWebKit({ scale = 1, env = {}, timeoutMs = 30_000 } = {}) {
  for (const file of [WEBKIT_DRIVER, MINIBROWSER, XVFB]) {
    if (!existsSync(file)) {
      throw new Error(`${file} does not exist: run \`scripts/setup.sh --browser\` (Debian's webkit2gtk-driver and xvfb).`);
    }
  }
  const xvfb = await startXvfb({ width: 1600 * scale, height: 1200 * scale });
  let driver;
  let log = '';
  try {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      // Without a GPU, WebKitGTK's accelerated compositing goes through software OpenGL on
      // Xvfb and paints a few frames a second on a busy machine, even for an empty page: too
      // slow for tests that wait for animation frames. Without it the page is painted
      // directly, at the display's rate; script, layout and canvas drawing are the same
      // engine either way. WEBKIT_DISABLE_COMPOSITING_MODE=0 in the environment keeps it
      // (screenshots need it).
      const driverEnv = {
        ...process.env,
        DISPLAY: xvfb.display,
        GDK_BACKEND: 'x11',
        GDK_SCALE: String(scale),
        GDK_DPI_SCALE: '1',
        WEBKIT_DISABLE_COMPOSITING_MODE: process.env.WEBKIT_DISABLE_COMPOSITING_MODE ?? '1',
        ...env,
      };
      driver = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: driverEnv,
      });
      for (const stream of [driver.stdout, driver.stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => { log += chunk; });
      }
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + timeoutMs;
      let ready = false;
      while (Date.now() < deadline && driver.exitCode === null) {
        try {
          const status = await (await fetch(`${base}/status`)).json();
          if (status.value?.ready) { ready = true; break; }
        } catch { /* not listening yet */ }
        await sleep(100);
      }
      if (ready) {
        const webkit = {
          base,
          composited: driverEnv.WEBKIT_DISABLE_COMPOSITING_MODE === '0',
          log: () => log,
          newSession: (options) => Session.create(base, options),
          async stop() {
            await stopGroup(driver);
            await stopGroup(xvfb.child);
          },
        };
        return webkit;
      }
      await stopGroup(driver);
      // Another process may have taken the port between freePort() and the driver's bind.
      if (attempt >= 3) throw new Error(`WebKitWebDriver did not become ready:\n${log}`);
    }
  } catch (error) {
    await stopGroup(driver);
    await stopGroup(xvfb.child);
    throw error;
  }
}

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`WebDriver ${method} ${path}: ${status} ${value?.error ?? ''}: ${value?.message ?? JSON.stringify(value)}`);
    this.error = value?.error;
  }
}

/** One browser session: a fresh MiniBrowser with its own profile. */
export class Session {
  static async create(base, { width = 1280, height = 800, args = [] } = {}) {
    const body = {
      capabilities: {
        alwaysMatch: {
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', ...args] },
          pageLoadStrategy: 'normal',
          timeouts: { script: 60_000, pageLoad: 60_000, implicit: 0 },
        },
      },
    };
    const value = await command(base, 'POST', '/session', body);
    const session = new Session(base, value.sessionId);
    try {
      await session.setViewport(width, height);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  command(method, path, body, timeoutMs) {
    return command(this.base, method, `/session/${this.id}${path}`, body, timeoutMs);
  }

  /** Resizes the window so that the page's viewport is width × height CSS pixels. */
  async setViewport(width, height) {
    let rect = await this.command('POST', '/window/rect', { width, height });
    for (let i = 0; i < 3; i += 1) {
      const inner = await this.execute('return [window.innerWidth, window.innerHeight]');
      if (inner[0] === width && inner[1] === height) return;
      rect = await this.command('POST', '/window/rect', {
        width: rect.width + width - inner[0], height: rect.height + height - inner[1],
      });
    }
    const inner = await this.execute('return [window.innerWidth, window.innerHeight]');
    throw new Error(`the viewport is ${inner.join(' × ')}, not ${width} × ${height}`);
  }

  goto(url) {
    return this.command('POST', '/url', { url });
  }

  url() {
    return this.command('GET', '/url');
  }

  /** Runs a script body (with `arguments`) synchronously in the current browsing context. */
  execute(script, ...args) {
    return this.command('POST', '/execute/sync', { script, args });
  }

  /**
   * Runs `fn(arg)` in the page and resolves to its (awaited) result, like Playwright's
   * page.evaluate: so the helpers of tests/e2e/helpers.mjs work on a Session too. The
   * function must be self-contained; `arg` and the result travel as JSON.
   */
  async evaluate(fn, arg) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn})(arguments[0]))
        .then((value) => done({ value: value === undefined ? null : value }),
              (error) => done({ error: String(error && error.stack || error) }));`;
    const result = await this.command('POST', '/execute/async', { script, args: [arg === undefined ? null : arg] });
    if (result?.error) throw new Error(`in the page: ${result.error}`);
    return result?.value;
  }

  $$eval(selector, fn, arg) {
    return this.evaluate(`(a) => (${fn})([...document.querySelectorAll(a[0])], a[1])`, [selector, arg]);
  }

  $eval(selector, fn, arg) {
    return this.evaluate(`(a) => (${fn})(document.querySelector(a[0]), a[1])`, [selector, arg]);
  }

  /** The first element matching a CSS selector, as a WebDriver element reference. */
  findElement(selector) {
    return this.command('POST', '/element', { using: 'css selector', value: selector });
  }

  /** Makes the frame of this <iframe> element (or the top page, with null) the context. */
  switchToFrame(element) {
    return this.command('POST', '/frame', { id: element });
  }

  /** Performs input actions (W3C "Perform Actions"), then releases every key and button. */
  async actions(sources) {
    await this.command('POST', '/actions', { actions: sources });
    await this.command('DELETE', '/actions');
  }

  /**
   * A mouse drag or click through viewport points: moves to the first, presses, moves
   * through the others (each in `steps` moves), releases. One point is a click.
   */
  async mouse(points, { steps = 1 } = {}) {
    const at = ({ x, y }) => ({ x: Math.round(x), y: Math.round(y) });
    const moves = [{ type: 'pointerMove', duration: 0, origin: 'viewport', ...at(points[0]) }, { type: 'pointerDown', button: 0 }];
    let last = points[0];
    for (const point of points.slice(1)) {
      for (let i = 1; i <= steps; i += 1) {
        const t = i / steps;
        moves.push({
          type: 'pointerMove', duration: 16, origin: 'viewport',
          ...at({ x: last.x + (point.x - last.x) * t, y: last.y + (point.y - last.y) * t }),
        });
      }
      last = point;
    }
    moves.push({ type: 'pointerUp', button: 0 });
    await this.actions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: moves }]);
  }

  /** Presses and releases a key (a character, or one of KEYS) on the focused element. */
  press(key) {
    return this.actions([{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }] }]);
  }

  /**
   * A PNG of the viewport, as a Buffer. Without compositing (startWebKit's default) WebKitGTK
   * 2.50 never answers this command, so it gives up after `timeoutMs`.
   */
  async screenshot({ timeoutMs = 10_000 } = {}) {
    return Buffer.from(await this.command('GET', '/screenshot', undefined, timeoutMs), 'base64');
  }

  async close() {
    try {
      await this.command('DELETE', '');
    } catch { /* the browser is gone already */ }
  }
}

// Scripts may run for up to a minute (the session's script timeout); nothing takes longer.
async function command(base, method, path, body, timeoutMs = 90_000) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, response.status, { message: text });
  }
  if (!response.ok) throw new WebDriverError(method, path, response.status, json.value);
  return json.value;
}
