// A story too big to lay out in one go settles over several frames, with a progress bar,
// while the page stays usable.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CASTLINE_BIN, browserSuite, waitForCastline } from './helpers.mjs';

describe('a big story', () => {
  const { server, withPage } = browserSuite();

  /** A generated story's text: `castline generate` with these actors, events and seed. */
  const generated = (actors, events, seed) => execFileSync(CASTLINE_BIN, ['generate', '--actors', String(actors), '--events', String(events), '--seed', String(seed)], { maxBuffer: 64 << 20 }).toString();

  /** Runs `inPage(storyText)` in the default page; resolves to what it returned and the page's problems. */
  async function withStory(story, inPage) {
    return withPage(async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const seen = await page.evaluate(inPage, story);
      return { seen, problems };
    });
  }

  /** Runs `inPage(storyText)` in the default page with a generated 600-actor story. */
  const withBigStory = (inPage) => withStory(generated(600, 2000, 3), inPage);

  test('a 600-actor story shows a layout progress bar until it settles', { timeout: 90_000 }, async () => {
    const { seen, problems } = await withBigStory(async (text) => {
      const { mount } = await import('./castline.js');
      const box = document.createElement('div');
      document.body.append(box);
      const handle = await mount(box, { data: text });
      const bar = box.querySelector('.castline-layout-progress');
      let shown = false;
      let lastValue = 0;
      // Watch it frame by frame: visible and growing while the layout runs, then gone.
      for (let i = 0; i < 2000 && !(shown && bar.hidden); i++) {
        await new Promise((r) => requestAnimationFrame(r));
        if (!bar.hidden) {
          shown = true;
          if (bar.value < lastValue) return { error: `progress went back from ${lastValue} to ${bar.value}` };
          lastValue = bar.value;
        }
      }
      return { shown, hiddenAtEnd: bar.hidden, actors: handle.state().visibleActors.length };
    });
    assert.equal(seen.error, undefined, seen.error);
    assert.equal(seen.shown, true, 'the progress bar was shown while laying out');
    assert.equal(seen.hiddenAtEnd, true, 'and hidden once the layout settled');
    assert.equal(seen.actors, 600);
    assert.deepEqual(problems, []);
  });

  // Reading, preparing and drawing a big story each take a while: between the steps the
  // page paints what it is doing (and handles input), rather than freezing once for the sum.
  test('a story is mounted in steps, and the page paints what each step is doing', { timeout: 90_000 }, async () => {
    const { seen, problems } = await withBigStory(async (text) => {
      const { mount } = await import('./castline.js');
      const box = document.createElement('div');
      document.body.append(box);
      // What a frame shows of the loading message while mount() runs.
      const painted = [];
      let mounted = false;
      const watch = () => {
        const loading = box.querySelector('.castline-loading');
        const shown = loading && !loading.hidden ? loading.textContent : '(none)';
        if (painted.at(-1) !== shown) painted.push(shown);
        if (!mounted) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      const handle = await mount(box, { data: text });
      mounted = true;
      const loading = box.querySelector('.castline-loading');
      return {
        painted,
        role: loading.getAttribute('role'),
        hiddenAfter: loading.hidden,
        events: handle.story().events.length,
      };
    });
    assert.equal(seen.events, 2000);
    const steps = seen.painted.filter((t) => t !== '(none)');
    // (A slow machine may read it in parts, each showing the share read.)
    assert.deepEqual(
      [...new Set(steps.filter((t) => t !== 'Loading the story…').map((t) => t.replace(/ \d+%$/, '')))],
      ['Reading the story…', 'Preparing 2,000 events and 600 actors…'],
      `the frames painted while mounting showed ${JSON.stringify(seen.painted)}`,
    );
    assert.equal(seen.role, 'status', 'a screen reader hears each step');
    assert.equal(seen.hiddenAfter, true, 'the message is gone once the picture is there');
    assert.deepEqual(problems, []);
  });

  // A big story is read and checked in parts (issue 20 §2), each a task of its own: between
  // them the page paints the share read, which rises to the whole story, none of it lost.
  test('a big story is read in parts, showing the share read', { timeout: 120_000 }, async () => {
    const { seen, problems } = await withStory(generated(3000, 60000, 9), async (storyText) => {
      const { mount } = await import('./castline.js');
      const box = document.createElement('div');
      document.body.append(box);
      const painted = [];
      let mounted = false;
      const watch = () => {
        const loading = box.querySelector('.castline-loading');
        const shown = loading && !loading.hidden ? loading.textContent : '(none)';
        const hidden = loading?.querySelector('[aria-hidden="true"]')?.textContent ?? '';
        if (painted.at(-1)?.shown !== shown) painted.push({ shown, hidden });
        if (!mounted) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      const handle = await mount(box, { data: storyText });
      mounted = true;
      const story = handle.story();
      return { painted, events: story.events.length, actors: story.actors.length };
    });
    assert.equal(seen.events, 60000);
    assert.equal(seen.actors, 3000);
    const shares = seen.painted
      .map(({ shown, hidden }) => ({ share: /^Reading the story… (\d+)%$/.exec(shown)?.[1], hidden }))
      .filter(({ share }) => share !== undefined);
    assert.ok(shares.length >= 2, `shares painted while reading: ${JSON.stringify(seen.painted)}`);
    const numbers = shares.map(({ share }) => Number(share));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'the share only rises');
    // Shown, not announced: the status's words stay "Reading the story…".
    assert.ok(shares.every(({ share, hidden }) => hidden === ` ${share}%`), JSON.stringify(shares));
    assert.deepEqual(problems, []);
  });

  // The page keeps no copy of the story (issue 16): the lists, the search box and the words
  // ask the viewer for what they show, so any event of a big story is found and listed
  // though the page never took them all; the handle's story() still gives every one.
  test("a big story is asked, not copied: search finds its last event and the list shows it", { timeout: 90_000 }, async () => {
    const text = execFileSync(CASTLINE_BIN, ['generate', '--actors', '300', '--events', '12000', '--seed', '5'], { maxBuffer: 64 << 20 }).toString();
    const last = JSON.parse(text).events.at(-1);
    const { seen, problems } = await withPage(async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const seen = await page.evaluate(async ([storyText, id]) => {
        const { mount } = await import('./castline.js');
        const box = document.createElement('div');
        document.body.append(box);
        const handle = await mount(box, { data: storyText });
        // A big story's list is built once both canvases are painted (lists.js).
        const afterLists = async () => {
          for (let k = 0; k < 8; k += 1) await new Promise((r) => requestAnimationFrame(r));
          await new Promise((r) => setTimeout(r, 0));
        };
        await afterLists();
        const listed = () => [...box.querySelectorAll('.castline-events > li')].map((li) => li.dataset.eventId);
        const before = listed();
        const story = handle.story();
        const title = story.events.find((e) => e.id === id).title;
        const input = box.querySelector('.castline-search-input');
        input.value = title;
        input.dispatchEvent(new Event('input'));
        const options = [...box.querySelectorAll('[role="option"]')].map((o) => o.textContent);
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        await afterLists();
        const item = box.querySelector(`.castline-events > li[data-event-id="${CSS.escape(id)}"]`);
        return {
          before,
          title,
          options,
          focused: handle.state().focusedEvent,
          current: item?.getAttribute('aria-current') ?? null,
          who: item?.querySelector('.castline-event-actors')?.textContent ?? null,
          names: story.events.find((e) => e.id === id).actors.map((a) => a.name),
          events: story.events.length,
        };
      }, [text, last.id]);
      return { seen, problems };
    });
    assert.equal(seen.events, 12000, "the handle's story() gives every event");
    assert.equal(seen.before.length, 200, 'the list holds a page');
    assert.ok(!seen.before.includes(last.id), 'the last event was not among the first listed');
    assert.ok(seen.options.some((t) => t.includes(seen.title)), JSON.stringify(seen.options));
    assert.equal(seen.focused, last.id, 'choosing it focuses it');
    assert.equal(seen.current, 'true', 'the list now shows it, marked');
    for (const name of seen.names) assert.ok(seen.who.includes(name), `${seen.who} names ${name}`);
    assert.deepEqual(problems, []);
  });

  // A big story's lists hold a page each, so a click never rebuilds one element per event; each
  // list says how many it leaves out, and the page follows the selection.
  test('a big story lists a page of events and of actors, and says what it leaves out', { timeout: 90_000 }, async () => {
    const { seen, problems } = await withBigStory(async (text) => {
      const { mount } = await import('./castline.js');
      const box = document.createElement('div');
      document.body.append(box);
      const handle = await mount(box, { data: text });
      // A big story's lists are rebuilt in a task of their own once both canvases are
      // painted: each canvas's paint is prepared in one frame and painted in the next, so
      // this waits out more frames than that takes.
      const afterLists = async () => {
        for (let k = 0; k < 8; k += 1) await new Promise((r) => requestAnimationFrame(r));
        await new Promise((r) => setTimeout(r, 0));
      };
      await afterLists();
      const lists = () => ({
        events: box.querySelectorAll('.castline-events > li').length,
        more: [...box.querySelectorAll('.castline-list-more')].filter((p) => !p.hidden).map((p) => p.textContent),
        actors: box.querySelectorAll('.castline-mirror-list button').length,
        visible: handle.state().visibleEvents.length,
        // Every listed event is one the picture shows.
        listedShown: (() => {
          const shown = new Set(handle.state().visibleEvents);
          return [...box.querySelectorAll('.castline-events > li')].every((li) => shown.has(li.dataset.eventId));
        })(),
      });
      const before = lists();
      // The busiest actor: its events are still more than a page.
      const counts = new Map();
      for (const e of handle.story().events) for (const { id } of e.actors) counts.set(id, (counts.get(id) ?? 0) + 1);
      const busiest = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      handle.select([busiest]);
      await afterLists();
      const selected = lists();
      handle.clear();
      await afterLists();

      // Brushing the time axis: the canvases follow every move, the lists only the release.
      const canvas = box.querySelector('canvas.castline-timeline');
      const r = canvas.getBoundingClientRect();
      const y = r.top + 12;
      const pointer = (type, x) => canvas.dispatchEvent(new PointerEvent(type, {
        pointerId: 7, pointerType: 'mouse', isPrimary: true, bubbles: true, clientX: x, clientY: y, buttons: type === 'pointerup' ? 0 : 1,
      }));
      const firstItem = () => box.querySelector('.castline-events > li');
      const itemBefore = firstItem();
      pointer('pointerdown', r.left + r.width * 0.6);
      const during = [];
      for (let k = 1; k <= 4; k++) {
        pointer('pointermove', r.left + r.width * (0.6 + 0.07 * k));
        await afterLists();
        during.push({ visible: handle.state().visibleEvents.length, sameList: firstItem() === itemBefore });
      }
      pointer('pointerup', r.left + r.width * 0.88);
      await afterLists();
      const released = { window: handle.state().timeWindow, visible: handle.state().visibleEvents.length, events: lists().events, sameList: firstItem() === itemBefore };
      return { before, selected, during, released };
    });
    assert.equal(seen.before.visible, 2000);
    assert.equal(seen.before.events, 200, 'one page of events');
    assert.ok(seen.before.more.some((t) => /1,?800 later events are not listed/.test(t)), JSON.stringify(seen.before.more));
    assert.ok(seen.before.actors <= 100 && seen.before.actors > 0, `${seen.before.actors} actor buttons`);
    assert.ok(seen.selected.visible < 2000, 'the selection filters');
    assert.equal(seen.selected.events, Math.min(200, seen.selected.visible));
    assert.ok(seen.selected.listedShown, 'the list follows the selection');
    // While the brush is held the window (and the canvases) change, the list does not.
    assert.ok(seen.during.some((d) => d.visible < 2000), JSON.stringify(seen.during));
    assert.ok(seen.during.every((d) => d.sameList), JSON.stringify(seen.during));
    assert.ok(seen.released.visible < 2000, 'the window filters');
    assert.equal(seen.released.sameList, false, `the list follows the window once released: ${JSON.stringify(seen.released)}`);
    assert.equal(seen.released.events, Math.min(200, seen.released.visible));
    assert.deepEqual(problems, []);
  });
  // Past 2,000 actors the network is an overview of communities, found in a frame after the
  // first pictures; the time axis then has a lane per community (issue 20 §3), fewer than
  // the forty actors' lanes it had, and its canvas takes the new height, drawn at it.
  test('a story past 2,000 actors gets a lane per community, and the time axis its new height', { timeout: 120_000 }, async () => {
    const { seen, problems } = await withStory(generated(2500, 8000, 4), async (storyText) => {
      const { mount } = await import('./castline.js');
      const box = document.createElement('div');
      document.body.append(box);
      const handle = await mount(box, { data: storyText });
      const canvas = box.querySelector('canvas.castline-timeline');
      const cssHeight = () => parseFloat(canvas.style.height);
      const first = cssHeight();
      const deadline = performance.now() + 30_000;
      while (cssHeight() === first && performance.now() < deadline) {
        await new Promise((r) => requestAnimationFrame(r));
      }
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
      const ratio = window.devicePixelRatio;
      // Ink on the canvas's last rows: the key, painted below the lanes at the new height.
      const ctx = canvas.getContext('2d');
      const band = ctx.getImageData(0, canvas.height - Math.round(20 * ratio), canvas.width, Math.round(20 * ratio)).data;
      let ink = 0;
      for (let i = 3; i < band.length; i += 4) if (band[i] > 0) ink += 1;
      return {
        first,
        now: cssHeight(),
        buffer: canvas.height,
        shown: canvas.getBoundingClientRect().height,
        ratio,
        ink,
        actors: handle.state().visibleActors.length,
      };
    });
    assert.equal(seen.actors, 2500);
    // Forty actors' lanes and the shared one, then far fewer communities' lanes.
    assert.ok(seen.now < seen.first * 0.8, `the axis took its communities' height: ${JSON.stringify(seen)}`);
    assert.equal(seen.buffer, Math.round(seen.now * seen.ratio), 'the drawing buffer is sized to it');
    assert.ok(Math.abs(seen.shown - seen.now) <= 1, JSON.stringify(seen));
    assert.ok(seen.ink > 50, `the key is painted at the bottom: ${seen.ink}`);
    assert.deepEqual(problems, []);
  });
});
