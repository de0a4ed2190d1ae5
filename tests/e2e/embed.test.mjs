// Castline in an article: the embed snippet on a host page served from
// another origin (another port on 127.0.0.1), pym.js compatibility, oEmbed,
// the downloads, the print stylesheet, and `make dist` served from a
// sub-path. The real server, the real wasm, Debian's Chromium.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  CASTLINE_BIN, repoRoot, browserSuite, waitForCastline, canvasInk, readStory, nextFrames,
} from './helpers.mjs';

const TIMEOUT = 90_000;
const story = await readStory();
const SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * A tiny HTTP server on a free 127.0.0.1 port: `pages` maps a path to HTML
 * (the host article), and `mount` serves a folder under a URL prefix, as a
 * static host would (with `Access-Control-Allow-Origin: *`, which an embed's
 * opaque-origin iframe needs). Records every 404.
 */
async function staticHost({ pages = {}, mount = null } = {}) {
  const missing = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(typeof pages[url.pathname] === 'function' ? pages[url.pathname]() : pages[url.pathname]);
      return;
    }
    if (mount && url.pathname.startsWith(mount.prefix)) {
      let rel = decodeURIComponent(url.pathname.slice(mount.prefix.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.join(mount.dir, rel);
      if (file.startsWith(mount.dir + path.sep)) {
        try {
          const body = await readFile(file);
          res.writeHead(200, {
            'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
            'access-control-allow-origin': '*',
          });
          res.end(body);
          return;
        } catch { /* fall through to 404 */ }
      }
    }
    missing.push(url.pathname);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    missing,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function article(scriptUrl, attributes) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title><link rel="icon" href="data:,"></head>
<body><h1>An article</h1><p>Before the embed.</p>
<div class="castline-embed" ${attributes}><noscript><a href="story.txt">The events as text</a></noscript></div>
<p>After the embed.</p>
<script src="${scriptUrl}" async></script></body></html>`;
}

/** The Castline frame of a page, once its viewer has mounted. */
async function castlineFrame(page, urlPart = 'embed.html') {
  let frame = null;
  const deadline = Date.now() + 20_000;
  while (!frame && Date.now() < deadline) {
    frame = page.frames().find((f) => f.url().includes(urlPart)) ?? null;
    if (!frame) await page.waitForTimeout(100);
  }
  assert.ok(frame, `no frame with ${urlPart} in its URL`);
  await frame.waitForFunction(() => window.castline && typeof window.castline.state === 'function', null, { timeout: 20_000 });
  return frame;
}

const iframeHeight = (page, selector = 'iframe') => page.$eval(selector, (f) => f.getBoundingClientRect().height);
const contentHeight = (frame) => frame.evaluate(() => document.documentElement.getBoundingClientRect().height);

/** Waits until the iframe is as tall as its content (and taller than `above`). */
async function waitForFit(page, frame, above, selector = 'iframe') {
  const deadline = Date.now() + 15_000;
  let last = null;
  while (Date.now() < deadline) {
    const [outer, inner] = [await iframeHeight(page, selector), await contentHeight(frame)];
    last = { outer, inner };
    if (outer > above && Math.abs(outer - Math.ceil(inner)) <= 1) return last;
    await page.waitForTimeout(100);
  }
  assert.fail(`the iframe did not fit its content: ${JSON.stringify(last)}`);
}

describe('Castline in an article', () => {
  // Every request of an embed must succeed, across origins and in the sandbox.
  const { server, withPage } = browserSuite({ httpErrors: true });

  test('the snippet becomes a sandboxed iframe on another origin that grows to its content', { timeout: TIMEOUT }, async () => {
    const host = await staticHost({
      pages: { '/': article(`${server.url}embed.js`, 'data-src="data/peace-plan-2025.json" data-height="300" data-select="dmitriev" data-title="Who met whom"') },
    });
    try {
      await withPage(async ({ page, problems }) => {
        await page.goto(host.url);
        const iframe = await page.$eval('.castline-embed iframe', (f) => ({
          sandbox: f.getAttribute('sandbox'), loading: f.getAttribute('loading'), title: f.title, src: f.src,
        }));
        assert.equal(iframe.sandbox, SANDBOX);
        assert.equal(iframe.loading, 'lazy');
        assert.equal(iframe.title, 'Who met whom');
        const src = new URL(iframe.src);
        assert.equal(src.origin, new URL(server.url).origin);
        assert.equal(src.searchParams.get('parent'), new URL(host.url).origin, 'the child is told where to post');
        assert.notEqual(new URL(host.url).origin, src.origin, 'the article is on another origin');

        const frame = await castlineFrame(page);
        // Opaque origin: the sandbox has no allow-same-origin, and the viewer still loaded its
        // scripts, wasm and data (CORS) under its Content-Security-Policy.
        assert.equal(await frame.evaluate(() => self.origin), 'null');
        assert.deepEqual(await frame.evaluate(() => window.castline.state().selectedActors), ['dmitriev']);
        const ink = await frame.evaluate(() => {
          const c = document.querySelector('canvas.castline-network');
          const copy = document.createElement('canvas');
          copy.width = c.width;
          copy.height = c.height;
          const ctx = copy.getContext('2d');
          ctx.drawImage(c, 0, 0);
          const { data } = ctx.getImageData(0, 0, c.width, c.height);
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] < 200) n += 1;
          return n;
        });
        assert.ok(ink > 500, `the network is drawn inside the iframe (${ink} dark pixels)`);

        const fit = await waitForFit(page, frame, 300);
        assert.ok(fit.outer > 600, `grew from 300 px to its content: ${JSON.stringify(fit)}`);
        // No scroll bar inside: the whole viewer is in view of the article.
        assert.ok(await frame.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1));
        // Downloads are hidden in the sandbox (it may not save files); the full view may.
        assert.equal(await frame.$eval('.castline-export', (e) => e.hidden), true);
        const full = new URL(await frame.$eval('#castline-full-view', (a) => a.href));
        assert.equal(full.pathname, '/index.html');
        assert.match(full.hash, /select=dmitriev/);

        // The height follows the content when it changes.
        await frame.evaluate(() => {
          const extra = document.createElement('div');
          extra.id = 'extra';
          extra.textContent = 'more';
          extra.style.height = '250px';
          document.body.append(extra);
        });
        const grown = await waitForFit(page, frame, fit.outer + 200);
        assert.ok(Math.abs(grown.outer - fit.outer - 250) <= 2, JSON.stringify({ fit, grown }));
        assert.deepEqual(problems, []);
      });
    } finally {
      await host.close();
    }
  });

  test('data-auto-height="false" keeps the snippet\'s height', { timeout: TIMEOUT }, async () => {
    const host = await staticHost({
      pages: { '/': article(`${server.url}embed.js`, 'data-height="300" data-auto-height="false"') },
    });
    try {
      await withPage(async ({ page, problems }) => {
        await page.goto(host.url);
        const frame = await castlineFrame(page);
        assert.equal(new URL(frame.url()).searchParams.get('noheight'), '1', 'the viewer is told to post no height');
        await nextFrames(page, 4);
        await page.waitForTimeout(300);
        assert.equal(await iframeHeight(page), 300);
        assert.ok(await contentHeight(frame) > 300, 'the content is taller than the iframe kept');
        assert.deepEqual(problems, []);
      });
    } finally {
      await host.close();
    }
  });

  test('messages from another frame or of the wrong shape change nothing', { timeout: TIMEOUT }, async () => {
    const host = await staticHost({
      pages: { '/': article(`${server.url}embed.js`, 'data-height="300"') },
    });
    try {
      await withPage(async ({ page, problems }) => {
        await page.goto(host.url);
        const frame = await castlineFrame(page);
        const { outer } = await waitForFit(page, frame, 300);
        const id = new URL(frame.url()).searchParams.get('id');
        assert.equal(id, 'castline-embed-1');
        const settle = async () => {
          await page.waitForTimeout(250);
          await nextFrames(page, 2);
        };

        // Well-formed heights, but from the article itself and from another frame on it.
        await page.evaluate(async (embedId) => {
          window.postMessage({ type: 'castline:height', height: 444 }, '*');
          window.postMessage(`pymxPYMx${embedId}xPYMxheightxPYMx444`, '*');
          const other = document.createElement('iframe');
          other.srcdoc = '<p>another embed</p>';
          document.body.append(other);
          await new Promise((resolve) => { other.onload = resolve; });
          other.contentWindow.parent.postMessage({ type: 'castline:height', height: 444 }, '*');
          other.contentWindow.eval(`parent.postMessage('pymxPYMx${embedId}xPYMxheightxPYMx444', '*')`);
        }, id);
        await settle();
        assert.equal(await iframeHeight(page), outer, 'messages from other windows are ignored');

        // From the embed's own window, but of the wrong shape.
        await frame.evaluate((embedId) => {
          for (const data of [
            { type: 'castline:height', height: '444' },
            { type: 'castline:height', height: 5 },
            { type: 'castline:height', height: 1e9 },
            { type: 'castline:height', height: Number.NaN },
            { type: 'castline:height', height: 444, id: 'castline-embed-2' },
            { type: 'castline:width', height: 444 },
            { height: 444 },
            [444],
            null,
            444,
            'castline:height 444',
            'pymxPYMxcastline-embed-2xPYMxheightxPYMx444',
            `pymxPYMx${embedId}xPYMxwidthxPYMx444`,
            `pymxPYMx${embedId}xPYMxheightxPYMx444px`,
            `pymxPYMx${embedId}xPYMxheightxPYMx-444`,
          ]) window.parent.postMessage(data, '*');
        }, id);
        await settle();
        assert.equal(await iframeHeight(page), outer, 'wrong shapes are ignored');

        // The same channel with the right shape does change it: the checks above mean something.
        await frame.evaluate(() => window.parent.postMessage({ type: 'castline:height', height: 555 }, '*'));
        await settle();
        assert.equal(await iframeHeight(page), 555);
        await frame.evaluate((embedId) => window.parent.postMessage(`pymxPYMx${embedId}xPYMxheightxPYMx666`, '*'), id);
        await settle();
        assert.equal(await iframeHeight(page), 666, 'pym.js’s height message is understood');
        assert.deepEqual(problems, []);
      });
    } finally {
      await host.close();
    }
  });

  test('the host page protocol: embeds(), show(), on(ready, change, settled), versioned messages, foreign frames ignored', { timeout: TIMEOUT }, async () => {
    const watch = `<script>
      window.seen = [];
      window.addEventListener('message', (e) => { if (e.data && e.data.type) window.seen.push(e.data); });
    </script>`;
    const host = await staticHost({
      pages: {
        '/': article(`${server.url}embed.js`, 'data-height="300"') + watch,
        '/strict': article(`${server.url}embed.js`, 'data-height="300" data-host-origin="https://elsewhere.example"') + watch,
      },
    });
    try {
      await withPage(async ({ page, problems }) => {
        await page.goto(host.url);
        const frame = await castlineFrame(page);
        const ready = await page.evaluate(() => new Promise((resolve) => {
          const [embed] = window.CastlineEmbed.embeds();
          embed.on('ready', (detail) => resolve(detail));
        }));
        assert.deepEqual(ready.state.selectedActors, []);
        assert.equal(typeof ready.steps, 'number');
        // A 'ready' handler added once ready runs at once; 'settled' has come too.
        const late = await page.evaluate(() => {
          let ran = false;
          window.CastlineEmbed.embeds()[0].on('ready', () => { ran = true; });
          return ran;
        });
        assert.equal(late, true);
        await page.waitForFunction(() => window.seen.some((m) => m.type === 'castline:settled'));

        // show() moves the embed, and 'change' carries its state.
        const changed = page.evaluate(() => new Promise((resolve) => {
          window.CastlineEmbed.embeds()[0].on('change', (detail) => resolve(detail.state));
        }));
        await page.evaluate(() => window.CastlineEmbed.embeds()[0].show({ select: ['dmitriev'], window: ['2025-10-01', '2025-11-30'] }));
        const state = await changed;
        assert.deepEqual(state.selectedActors, ['dmitriev']);
        assert.deepEqual((await frame.evaluate(() => window.castline.state())).selectedActors, ['dmitriev']);
        assert.deepEqual((await frame.evaluate(() => window.castline.state())).timeWindow.map((d) => d.slice(0, 10)), ['2025-10-01', '2025-11-30']);
        // Playback changes the window every frame: the host hears its first change at once,
        // then at most one every 250 ms, and where it ended (a big story's state lists every
        // visible event).
        await page.evaluate(() => { window.seen.length = 0; });
        await frame.evaluate(() => window.castline.play());
        const started = Date.now();
        await page.waitForFunction(() => window.seen.some((m) => m.type === 'castline:change'), null, { timeout: 2000 });
        const firstAfter = Date.now() - started;
        await page.waitForTimeout(1200);
        const playedFor = Date.now() - started;
        await frame.evaluate(() => window.castline.pause());
        await page.waitForTimeout(400);
        const during = await page.evaluate(() => window.seen.filter((m) => m.type === 'castline:change'));
        assert.ok(firstAfter < 250, `the first change is told at once (${firstAfter} ms)`);
        assert.ok(during.length >= 3 && during.length <= Math.ceil(playedFor / 250) + 2,
          `${during.length} changes told in ${playedFor} ms of playback`);
        const shown = await frame.evaluate(() => window.castline.state().timeWindow);
        assert.deepEqual(during.at(-1).state.timeWindow, shown, 'the last change told is where playback stopped');
        assert.notDeepEqual(during[0].state.timeWindow, shown);

        // Every message the embed sent carries the protocol's version and its id.
        const seen = await page.evaluate(() => window.seen.filter((m) => m.type !== 'castline:height'));
        assert.ok(seen.length >= 3);
        for (const m of seen) assert.ok(m.version === 1 && m.id === 'castline-embed-1', JSON.stringify(m));

        // Another frame on the article sends a well-formed command: ignored.
        await page.evaluate(async () => {
          const other = document.createElement('iframe');
          other.srcdoc = '<p>another embed</p>';
          document.body.append(other);
          await new Promise((resolve) => { other.onload = resolve; });
          other.contentWindow.eval(`parent.frames[0].postMessage({ type: 'castline:show', version: 1, view: { select: ['putin'] } }, '*')`);
        });
        await page.waitForTimeout(400);
        assert.deepEqual((await frame.evaluate(() => window.castline.state())).selectedActors, ['dmitriev'], 'a foreign frame cannot steer the embed');
        // The parent itself, without the version: ignored too.
        await page.evaluate(() => document.querySelector('.castline-embed iframe').contentWindow.postMessage({ type: 'castline:show', view: { select: ['putin'] } }, '*'));
        await page.waitForTimeout(400);
        assert.deepEqual((await frame.evaluate(() => window.castline.state())).selectedActors, ['dmitriev'], 'a message without the version is ignored');

        // A snippet naming another host origin: this page's commands are ignored.
        await page.goto(`${host.url}strict`);
        const strict = await castlineFrame(page);
        await page.waitForFunction(() => window.seen.some((m) => m.type === 'castline:ready'));
        await page.evaluate(() => window.CastlineEmbed.embeds()[0].show({ select: ['putin'] }));
        await page.waitForTimeout(500);
        assert.deepEqual((await strict.evaluate(() => window.castline.state())).selectedActors, [], 'commands from an origin the snippet did not name are ignored');
        assert.deepEqual(problems, []);
      });
    } finally {
      await host.close();
    }
  });

  test('a page that already uses pym.js resizes the viewer unchanged', { timeout: TIMEOUT }, async () => {
    const pymFile = path.join(repoRoot, 'node_modules', 'pym.js', 'dist', 'pym.v1.min.js');
    assert.ok(existsSync(pymFile), 'npm ci installs pym.js (package.json)');
    // The article's own scripts, served as a static host would.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'castline-pym-'));
    const embedUrl = `${server.url}embed.html?data=data%2Fpeace-plan-2025.json`;
    await writeFile(path.join(dir, 'pym.js'), await readFile(pymFile));
    await writeFile(path.join(dir, 'start.js'), `new pym.Parent('graphic', ${JSON.stringify(embedUrl)}, {});\n`);
    const pymHost = await staticHost({
      pages: {
        '/': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pym article</title><link rel="icon" href="data:,"></head><body>
<h1>An article using pym.js</h1><div id="graphic"></div>
<script src="/js/pym.js"></script><script src="/js/start.js"></script></body></html>`,
      },
      mount: { prefix: '/js/', dir },
    });
    try {
      await withPage(async ({ page, problems }) => {
        await page.goto(pymHost.url);
        const frame = await castlineFrame(page);
        const params = new URL(frame.url()).searchParams;
        assert.equal(params.get('childId'), 'graphic', 'pym.js made the iframe');
        const fit = await waitForFit(page, frame, 200, '#graphic iframe');
        assert.ok(fit.outer > 600, JSON.stringify(fit));
        // pym.js sets the height attribute itself from the child's message.
        const attribute = await page.$eval('#graphic iframe', (f) => f.getAttribute('height'));
        assert.equal(attribute, `${Math.ceil(fit.inner)}px`);
        assert.deepEqual(problems, []);
      });
    } finally {
      await pymHost.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('for amp-iframe, the viewer posts AMP’s resize message to the listed origins only', { timeout: TIMEOUT }, async () => {
    let hostOrigin = '';
    const host = await staticHost({
      pages: {
        '/': () => {
          const src = new URL(`${server.url}embed.html`);
          src.searchParams.append('amp', '1');
          src.searchParams.append('parent', 'https://news-example-com.cdn.ampproject.org');
          src.searchParams.append('parent', hostOrigin);
          src.searchParams.append('parent', 'javascript:alert(1)');
          return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AMP-like</title><link rel="icon" href="data:,"></head>
<body><iframe src="${src.href.replaceAll('&', '&amp;')}" sandbox="${SANDBOX}" width="600" height="300" title="Castline"></iframe></body></html>`;
        },
      },
    });
    hostOrigin = new URL(host.url).origin;
    try {
      await withPage(async ({ page, problems }) => {
        await page.addInitScript(() => {
          window.received = [];
          window.addEventListener('message', (e) => window.received.push({ data: e.data, fromFrame: e.source === document.querySelector('iframe')?.contentWindow }));
        });
        await page.goto(host.url);
        const frame = await castlineFrame(page);
        await page.waitForFunction(() => window.received.length > 0);
        const height = Math.ceil(await contentHeight(frame));
        await page.waitForFunction((h) => window.received.some((m) => m.data.height === h), height);
        const received = await page.evaluate(() => window.received);
        for (const m of received) {
          assert.equal(m.fromFrame, true);
          assert.deepEqual(Object.keys(m.data).sort(), ['height', 'sentinel', 'type']);
          assert.equal(m.data.sentinel, 'amp');
          assert.equal(m.data.type, 'embed-size');
        }
        assert.deepEqual(problems, []);
      });
    } finally {
      await host.close();
    }
  });

  test('the page names an oEmbed endpoint that answers a valid rich response', { timeout: TIMEOUT }, async () => {
    const page = await fetch(`${server.url}?data=data%2Fpeace-plan-2025.json`).then((r) => r.text());
    const link = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(page);
    assert.ok(link, 'a discovery link');
    const endpoint = new URL(link[1].replaceAll('&amp;', '&'));
    assert.equal(endpoint.origin, new URL(server.url).origin);
    assert.equal(endpoint.searchParams.get('url'), `${server.url}?data=data%2Fpeace-plan-2025.json`);
    assert.equal(endpoint.searchParams.get('format'), 'json');

    endpoint.searchParams.set('maxwidth', '640');
    endpoint.searchParams.set('maxheight', '5000');
    const response = await fetch(endpoint);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const json = await response.json();
    // oEmbed 1.0, section 2.3: required fields of every response and of a rich one.
    assert.equal(json.version, '1.0');
    assert.equal(json.type, 'rich');
    for (const field of ['html', 'width', 'height']) assert.ok(field in json, field);
    assert.ok(Number.isInteger(json.width) && json.width > 0 && json.width <= 640, `width ${json.width}`);
    assert.ok(Number.isInteger(json.height) && json.height > 0, `height ${json.height}`);
    assert.equal(json.provider_name, 'Castline');
    assert.equal(json.title, story.title);
    assert.equal(typeof json.html, 'string');
    assert.match(json.html, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?data=data%2Fpeace-plan-2025\.json"/);
    assert.ok(json.html.includes(`sandbox="${SANDBOX}"`));
    assert.ok(!('thumbnail_url' in json) || ('thumbnail_width' in json && 'thumbnail_height' in json));

    const refused = async (query) => (await fetch(`${server.url}oembed?${query}`)).status;
    assert.equal(await refused(`url=${encodeURIComponent(server.url)}&format=xml`), 501);
    assert.equal(await refused(`url=${encodeURIComponent('https://elsewhere.example/')}`), 404);
    assert.equal(await refused('format=json'), 400);

    // The HTML works where a consumer pastes it: on another origin, the story loads.
    const host = await staticHost({ pages: { '/': `<!doctype html><title>consumer</title><link rel="icon" href="data:,">${json.html}` } });
    try {
      await withPage(async ({ page: p, problems }) => {
        await p.goto(host.url);
        const frame = await castlineFrame(p);
        assert.equal(await frame.evaluate(() => window.castline.story().title), story.title);
        assert.equal(await iframeHeight(p), json.height);
        assert.deepEqual(problems, []);
      });
    } finally {
      await host.close();
    }
  });

  test('downloads: the picture as PNG at twice its size and as SVG, the data as JSON and CSV', { timeout: TIMEOUT }, async () => {
    await withPage({ acceptDownloads: true }, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const size = await page.evaluate(() => {
        const n = document.querySelector('canvas.castline-network').getBoundingClientRect();
        const t = document.querySelector('canvas.castline-timeline').getBoundingClientRect();
        return { width: Math.max(n.width, t.width), height: n.height + t.height };
      });
      const files = {};
      for (const kind of ['png', 'svg', 'json', 'csv']) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click(`.castline-export button[data-export="${kind}"]`),
        ]);
        assert.match(download.suggestedFilename(), new RegExp(`^how-the-28-point-ukraine-peace-plan-was-drafted(-events)?\\.${kind}$`));
        files[kind] = await readFile(await download.path());
      }
      const png = files.png;
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), Math.ceil(size.width * 2), 'PNG width: twice the CSS width');
      assert.ok(Math.abs(png.readUInt32BE(20) - size.height * 2) <= 2, `PNG height ${png.readUInt32BE(20)} for ${size.height} CSS px`);

      const svg = files.svg.toString('utf8');
      assert.match(svg, /^<svg/);
      for (const actor of story.actors) assert.ok(svg.includes(actor.name), `${actor.name} in the SVG`);

      const json = JSON.parse(files.json.toString('utf8'));
      assert.equal(json.format, 'castline/1');
      assert.equal(json.events.length, story.events.length);

      const csv = files.csv.toString('utf8').trimEnd().split('\n');
      assert.equal(csv[0], 'id,title,date,date_text,actors,description,source,quote,url,tags');
      assert.ok(csv.length > story.events.length, 'a row per event (some span lines)');
      for (const event of story.events) assert.ok(csv.some((line) => line.startsWith(`${event.id},`)), event.id);

      // The API gives the same blobs to scripts.
      const blob = await page.evaluate(async () => {
        const b = await window.castline.exportBlob('svg');
        return { type: b.type, size: b.size };
      });
      assert.equal(blob.type, 'image/svg+xml');
      assert.equal(blob.size, files.svg.length);
      assert.deepEqual(problems, []);
    });
  });

  test('print: the pictures and every event, no controls', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await page.goto(`${server.url}#select=dmitriev`);
      await waitForCastline(page);
      const shown = () => page.$$eval('ol.castline-events > li', (items) => items.filter((li) => getComputedStyle(li).display !== 'none').length);
      assert.ok(await shown() < story.events.length, 'the screen shows a filtered list');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await shown(), story.events.length, 'print shows every event');
      const visible = (selector) => page.$eval(selector, (e) => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0);
      assert.equal(await visible('.castline-toolbar'), false);
      assert.equal(await visible('.castline-export'), false);
      assert.equal(await visible('.castline-tools'), false);
      assert.equal(await visible('canvas.castline-network'), true);
      assert.equal(await visible('canvas.castline-timeline'), true);
      const ink = await canvasInk(page, 'canvas.castline-network');
      assert.ok(ink.ink > 0, 'the picture is still drawn');
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10_000, `a PDF of ${pdf.length} bytes`);
      assert.deepEqual(problems, []);
    });
  });

  test('make dist: loads from a sub-path of a static host with no 404, and embeds from there', { timeout: TIMEOUT * 2 }, async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'castline-dist-'));
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'dist.mjs'), '--out', out, '--castline', CASTLINE_BIN], { stdio: 'pipe' });
      const index = await readFile(path.join(out, 'index.html'), 'utf8');
      assert.match(index, /<script type="module" src="app\.[0-9a-f]{8}\.js" fetchpriority="low"><\/script>/);
      assert.match(index, /<link rel="stylesheet" href="castline\.[0-9a-f]{8}\.css">/);
      assert.match(index, /<meta property="og:image" content="story\.png">/);
      assert.match(index, /<meta name="twitter:card" content="summary_large_image">/);
      assert.doesNotMatch(index, /(href|src)="(\/|https?:)/, 'relative URLs only');
      for (const f of ['story.png', 'story.svg', 'story.txt', 'embed.js', 'embed.html', 'index.html.gz', 'data/peace-plan-2025.json']) {
        assert.ok(existsSync(path.join(out, f)), f);
      }
      const svg = await readFile(path.join(out, 'story.svg'), 'utf8');
      for (const actor of story.actors) assert.ok(svg.includes(actor.name), `${actor.name} in story.svg`);

      const site = await staticHost({ mount: { prefix: '/news/castline/', dir: out } });
      const host = await staticHost({
        pages: { '/': article(`${site.url}news/castline/embed.js`, 'data-height="300" data-select="witkoff"') },
      });
      try {
        await withPage(async ({ page, problems }) => {
          await page.goto(`${site.url}news/castline/`);
          await waitForCastline(page);
          const title = await page.$eval('.castline-title', (h) => h.textContent);
          assert.equal(title, story.title);
          const ink = await canvasInk(page, 'canvas.castline-network');
          assert.ok(ink.ink > 0);
          assert.deepEqual(problems, []);
        });
        await withPage(async ({ page, problems }) => {
          await page.goto(host.url);
          const frame = await castlineFrame(page);
          assert.ok(frame.url().startsWith(`${site.url}news/castline/embed.html?`));
          assert.deepEqual(await frame.evaluate(() => window.castline.state().selectedActors), ['witkoff']);
          await waitForFit(page, frame, 300);
          assert.deepEqual(problems, []);
        });
        assert.deepEqual(site.missing, [], 'no 404 on the static host');
      } finally {
        await host.close();
        await site.close();
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
