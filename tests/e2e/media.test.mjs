// End-to-end tests of an event's pictures and links (issue 19 §3): shown in its list entry
// lazily, with their alt text, no referrer, and caption and credit as text; a picture in the
// tooltip; an unsafe URL reported and never in the DOM; axe-core clean with pictures shown.
//
// The machine has no network and the local server speaks http, while pictures must be https:
// the story and its pictures are answered by Playwright's routing (page.route) at https URLs,
// so the browser makes the real requests under the page's real CSP, and the test sees each
// request arrive (when, and with which headers).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { browserSuite, waitForSettled } from './helpers.mjs';

const TIMEOUT = 60_000;
const STORY_URL = 'https://stories.test/media.json';
const IMAGES = 'https://images.test/';

// A picture: an SVG, which an <img> shows without running anything in it.
const picture = (fill) => `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180"><rect width="320" height="180" fill="${fill}"/><circle cx="160" cy="90" r="50" fill="#ffffff"/></svg>`;

// Forty events a day apart, so the last entry is far below the first screen; the first and
// the last have a picture each, the second a link and an unsafe picture.
function story() {
  const events = Array.from({ length: 40 }, (_, i) => ({
    id: `e${i}`,
    title: `Event ${i}`,
    date: `2025-10-${String((i % 28) + 1).padStart(2, '0')}`,
    actors: [i % 2 ? 'ann' : 'bob'],
    description: 'What happened that day, in a sentence or two of plain words.',
  }));
  events[0].media = [{
    url: `${IMAGES}bridge.svg`, kind: 'image', alt: 'The new bridge at dawn', credit: 'Ann Lee / Town Archive', caption: 'The bridge, the morning it opened',
  }];
  events[1].media = [
    { url: 'javascript:alert(1)', kind: 'image', alt: 'x' },
    { url: 'https://video.test/watch?v=1', kind: 'link', caption: 'The speech, on video', credit: 'Town TV' },
  ];
  events[39].media = [{ url: `${IMAGES}late.svg`, kind: 'image', alt: 'The last meeting', credit: 'Bob Roe' }];
  return JSON.stringify({
    format: 'castline/1',
    title: 'A story with pictures',
    actors: [
      { id: 'ann', name: 'Ann', media: [{ url: `${IMAGES}ann.svg`, kind: 'image', alt: 'Ann, smiling' }] },
      { id: 'bob', name: 'Bob' },
    ],
    events,
  }, null, 1);
}

// Answers the story and the pictures; returns the image requests seen, in order.
async function routeMedia(page) {
  const requests = [];
  await page.route(STORY_URL, (route) => route.fulfill({
    status: 200,
    headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
    body: story(),
  }));
  await page.route(`${IMAGES}**`, (route) => {
    const request = route.request();
    requests.push({ url: request.url(), referer: request.headers().referer ?? null });
    return route.fulfill({ status: 200, headers: { 'content-type': 'image/svg+xml' }, body: picture('#0072b2') });
  });
  return requests;
}

// The story has warnings (the unsafe picture), shown in the panel's alert: wait for the
// handle rather than for no alert, as waitForCastline does.
async function waitForStory(page) {
  await page.waitForFunction(() => typeof window.castline?.state === 'function', null, { timeout: 20_000 });
  await waitForSettled(page);
}

const entry = (id) => `ol.castline-events > li[data-event-id="${id}"]`;

describe('media', () => {
  const { server, withPage } = browserSuite();

  test('a picture shows in its entry lazily, with alt text, no referrer, caption and credit as text', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 1280, height: 900 } }, async ({ page }) => {
      const requests = await routeMedia(page);
      const response = await page.goto(`${server.url}?data=${encodeURIComponent(STORY_URL)}`);
      // The page's policy loads pictures from https and nowhere else beyond its own origin.
      const csp = response.headers()['content-security-policy'] ?? '';
      const imgSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('img-src'));
      assert.match(imgSrc ?? '', /^img-src 'self' \S+ data: https:$/, csp);
      await waitForStory(page);

      const figure = await page.$eval(`${entry('e0')} figure`, (f) => {
        const img = f.querySelector('img');
        return {
          src: img.getAttribute('src'),
          alt: img.getAttribute('alt'),
          loading: img.getAttribute('loading'),
          referrerpolicy: img.getAttribute('referrerpolicy'),
          caption: f.querySelector('figcaption')?.textContent,
          captionChildren: [...f.querySelector('figcaption').children].map((c) => c.tagName),
        };
      });
      assert.deepEqual(figure, {
        src: `${IMAGES}bridge.svg`,
        alt: 'The new bridge at dawn',
        loading: 'lazy',
        referrerpolicy: 'no-referrer',
        caption: 'The bridge, the morning it opened Credit: Ann Lee / Town Archive',
        captionChildren: ['SPAN', 'SPAN'],
      });
      // The picture loads once its entry is near the screen, and says nothing of the page.
      await page.locator(`${entry('e0')} img`).scrollIntoViewIfNeeded();
      await page.waitForFunction((sel) => document.querySelector(sel)?.complete && document.querySelector(sel).naturalWidth > 0, `${entry('e0')} img`);
      const bridge = requests.find((r) => r.url.endsWith('bridge.svg'));
      assert.ok(bridge, JSON.stringify(requests));
      assert.equal(bridge.referer, null, 'no Referer header');
      // The last entry's picture is far below: not asked for until the reader gets near it.
      assert.equal(requests.filter((r) => r.url.endsWith('late.svg')).length, 0, JSON.stringify(requests));
      await page.locator(entry('e39')).scrollIntoViewIfNeeded();
      await page.waitForFunction((sel) => document.querySelector(sel)?.complete, `${entry('e39')} img`);
      assert.equal(requests.filter((r) => r.url.endsWith('late.svg')).length, 1);

      // A link is a link with its words and its credit, never an embed.
      const link = await page.$eval(`${entry('e1')} .castline-media a`, (a) => ({
        href: a.getAttribute('href'), text: a.textContent, rel: a.rel, referrerpolicy: a.getAttribute('referrerpolicy'),
        item: a.parentElement.textContent,
      }));
      assert.deepEqual(link, {
        href: 'https://video.test/watch?v=1',
        text: 'The speech, on video',
        rel: 'noopener noreferrer',
        referrerpolicy: 'no-referrer',
        item: 'The speech, on video Credit: Town TV',
      });
      assert.equal(await page.locator('iframe, embed, object, video').count(), 0);
    });
  });

  test('a javascript: picture is reported at its line, column and field, and is nowhere in the DOM', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page }) => {
      await routeMedia(page);
      await page.goto(`${server.url}?data=${encodeURIComponent(STORY_URL)}`);
      await waitForStory(page);
      const panel = await page.$eval('.castline-diagnostics', (p) => p.textContent);
      // Located at the line of the file story() writes where the URL is.
      const line = story().split('\n').findIndex((l) => l.includes('javascript:')) + 1;
      assert.match(panel, new RegExp(`:${line}:\\d+: events\\[1\\] "e1", field "media\\[0\\]\\.url": the image "javascript:alert\\(1\\)" was dropped`), panel);
      // e1's entry keeps its link and has no picture: its only one was unsafe.
      assert.equal(await page.locator(`${entry('e1')} .castline-media a`).count(), 1);
      assert.equal(await page.locator(`${entry('e1')} img`).count(), 0);
      const unsafe = await page.evaluate(() => [...document.querySelectorAll('*')]
        .flatMap((node) => [...node.attributes].filter((a) => /^\s*javascript:/i.test(a.value)).map((a) => `${node.tagName} ${a.name}`)));
      assert.deepEqual(unsafe, []);
    });
  });

  test('printed, every entry names its media\'s credits, filtered out on screen or not', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page }) => {
      await routeMedia(page);
      await page.goto(`${server.url}?data=${encodeURIComponent(STORY_URL)}`);
      await waitForStory(page);
      // Filtered out on screen, printed all the same.
      await page.evaluate(() => window.castline.select(['bob']));
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => [...document.querySelectorAll('.castline-media-credit')]
        .map((c) => ({ text: c.textContent, shown: c.getClientRects().length > 0 })));
      assert.deepEqual(printed, [
        { text: 'Credit: Ann Lee / Town Archive', shown: true },
        { text: 'Credit: Town TV', shown: true },
        { text: 'Credit: Bob Roe', shown: true },
      ]);
    });
  });

  test('hovering an actor with a picture shows it in the tooltip', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page }) => {
      await routeMedia(page);
      await page.goto(`${server.url}?data=${encodeURIComponent(STORY_URL)}`);
      await waitForStory(page);
      const at = await page.evaluate(() => {
        const p = window.castline.actorPosition('ann');
        const rect = document.querySelector('canvas.castline-network').getBoundingClientRect();
        return { x: rect.left + p.x, y: rect.top + p.y };
      });
      await page.mouse.move(at.x, at.y);
      await page.waitForSelector('.castline-tooltip:not([hidden]) img');
      const tip = await page.$eval('.castline-tooltip', (t) => {
        const img = t.querySelector('img');
        return { src: img.getAttribute('src'), alt: img.alt, referrerpolicy: img.getAttribute('referrerpolicy'), text: t.textContent };
      });
      assert.equal(tip.src, `${IMAGES}ann.svg`);
      assert.equal(tip.alt, 'Ann, smiling');
      assert.equal(tip.referrerpolicy, 'no-referrer');
      assert.match(tip.text, /^Ann\n/);
    });
  });

  test('axe-core finds nothing with the pictures shown, wide and on a phone', { timeout: TIMEOUT }, async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 812 }]) {
      await withPage({ viewport }, async ({ page }) => {
        await routeMedia(page);
        await page.goto(`${server.url}?data=${encodeURIComponent(STORY_URL)}`);
        await waitForStory(page);
        await page.locator(`${entry('e0')} img`).scrollIntoViewIfNeeded();
        await page.waitForFunction((sel) => document.querySelector(sel)?.naturalWidth > 0, `${entry('e0')} img`);
        const violations = (await new AxeBuilder({ page }).analyze()).violations
          .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        assert.deepEqual(violations, [], `axe-core at ${viewport.width} px`);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= viewport.width, 'no sideways scrolling');
      });
    }
  });
});
