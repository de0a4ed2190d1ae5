// End-to-end tests of the story told in steps (issue 19 §1): the step bar's buttons and keys,
// #step=N, the live region, the glide and reduced motion, leaving the steps and "Back to the
// story", the handle's steps() / goToStep() / state().step, and axe-core with a step shown.
// Expectations come from data/peace-plan-2025.json (readStory), not from a run.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { browserSuite, waitForCastline, readStory, nextFrames } from './helpers.mjs';

const TIMEOUT = 90_000;
const story = await readStory();
const steps = story.steps ?? [];

describe('the story in steps', () => {
  const { server, withPage } = browserSuite();

  async function open(page, hash = '') {
    await page.goto(`${server.url}${hash}`);
    await waitForCastline(page);
  }

  const state = (page) => page.evaluate(() => window.castline.state());
  const bar = (page) => page.evaluate(() => {
    const b = document.querySelector('.castline-steps');
    const shown = (sel) => {
      const e = b.querySelector(sel);
      return e && !e.hidden ? e.textContent : null;
    };
    return {
      counter: shown('.castline-steps-counter'),
      title: shown('.castline-steps-title'),
      text: shown('.castline-steps-text'),
      back: shown('.castline-steps-back'),
      previous: shown('.castline-steps-previous'),
      previousDisabled: b.querySelector('.castline-steps-previous').disabled,
      nextDisabled: b.querySelector('.castline-steps-next').disabled,
    };
  });
  const hash = (page) => page.evaluate(() => window.location.hash);
  // Waits for the change a click or a key made to reach the URL.
  const settle = (page) => nextFrames(page, 3);

  test('the default story has five to seven steps', () => {
    assert.ok(steps.length >= 5 && steps.length <= 7, `${steps.length} steps`);
  });

  test('at first the story is shown whole and the bar only offers the steps', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page);
      assert.equal((await state(page)).step, null);
      const b = await bar(page);
      assert.equal(b.counter, `The story in ${steps.length} steps`);
      assert.equal(b.title, null, 'no step is on the bar');
      assert.equal(b.back, null);
      assert.equal(b.previous, null, 'only Begin: no Previous before the first step');
      assert.equal(await hash(page), '');
      assert.equal((await state(page)).selectedActors.length, 0, 'nothing selected');
      // The bar is under the pictures, not above them.
      const [views, steps_] = await page.$$eval('.castline-views, .castline-steps', (els) => els.map((e) => e.getBoundingClientRect().top));
      assert.ok(steps_ > views, 'the bar comes after the pictures');
      assert.deepEqual(problems, []);
    });
  });

  test('Begin, Next and Previous go through the steps; the bar says where the reader is', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page);
      await page.click('.castline-steps-next');
      await settle(page);
      let s = await state(page);
      assert.equal(s.step, 1);
      assert.deepEqual([...s.selectedActors].sort(), [...(steps[0].view.select ?? [])].sort());
      assert.equal(s.focusedEvent, steps[0].view.focus ?? null);
      let b = await bar(page);
      assert.equal(b.counter, `Step 1 of ${steps.length}`);
      assert.equal(b.title, steps[0].title);
      assert.equal(b.text, steps[0].text);
      assert.ok(b.previous !== null && b.previousDisabled, 'Previous shown, with no step before the first');
      assert.equal(await hash(page), '#step=1');
      // The step's sources, cited as events are.
      const cited = await page.$$eval('.castline-steps-sources cite', (els) => els.map((e) => e.textContent));
      const names = (steps[0].sources ?? []).map((c) => story.sources.find((x) => x.id === c.source).name);
      assert.deepEqual(cited, names);

      for (let n = 2; n <= steps.length; n += 1) await page.click('.castline-steps-next');
      await settle(page);
      b = await bar(page);
      assert.equal((await state(page)).step, steps.length);
      assert.equal(b.title, steps.at(-1).title);
      assert.ok(b.nextDisabled, 'no step after the last');
      await page.click('.castline-steps-previous');
      await settle(page);
      assert.equal((await state(page)).step, steps.length - 1);
      assert.equal(await hash(page), `#step=${steps.length - 1}`);
      assert.deepEqual(problems, []);
    });
  });

  test('←/→ and PageUp/PageDown on the bar go to the previous and next step', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page);
      await page.focus('.castline-steps-next');
      await page.keyboard.press('ArrowRight');
      assert.equal((await state(page)).step, 1);
      await page.keyboard.press('PageDown');
      assert.equal((await state(page)).step, 2);
      await page.keyboard.press('ArrowRight');
      assert.equal((await state(page)).step, 3);
      await page.keyboard.press('ArrowLeft');
      assert.equal((await state(page)).step, 2);
      await page.keyboard.press('PageUp');
      assert.equal((await state(page)).step, 1);
      await page.keyboard.press('PageUp');
      assert.equal((await state(page)).step, 1, 'the first step stays');
      assert.deepEqual(problems, []);
    });
  });

  test('#step=N opens on that step; a step the story lacks is named and left out', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page, '#step=3');
      assert.equal((await state(page)).step, 3);
      assert.equal((await bar(page)).title, steps[2].title);
      assert.equal(await hash(page), '#step=3');
      await open(page, '#step=99');
      assert.equal((await state(page)).step, null);
      const notice = await page.textContent('.castline-diagnostics');
      assert.match(notice, /step 99 was left out/i);
      assert.deepEqual(problems, []);
    });
  });

  test('the handle: steps(), goToStep(n) and state().step', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page);
      const titles = await page.evaluate(() => window.castline.steps().map((s) => s.title));
      assert.deepEqual(titles, steps.map((s) => s.title));
      await page.evaluate(() => window.castline.goToStep(4));
      assert.equal((await state(page)).step, 4);
      const refused = await page.evaluate(() => {
        try {
          window.castline.goToStep(0);
          return null;
        } catch (error) {
          return error.message;
        }
      });
      assert.match(refused, /no step 0/);
      assert.equal((await state(page)).step, 4, 'a refused step changes nothing');
      assert.deepEqual(problems, []);
    });
  });

  test('the live region reads each step', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page);
      await page.click('.castline-steps-next');
      await page.click('.castline-steps-next');
      await page.waitForFunction((title) => document.querySelector('.castline-live').textContent.includes(title), steps[1].title, { timeout: 3000 });
      const live = await page.textContent('.castline-live');
      assert.ok(live.startsWith(`Step 2 of ${steps.length}: ${steps[1].title}.`), live);
      assert.ok(live.includes(steps[1].text), live);
      assert.deepEqual(problems, []);
    });
  });

  // Where the step's first framed actor is drawn right after going to the step, and once the
  // pictures have come to rest.
  async function glide(page, n) {
    const id = steps[n - 1].view.fit[0];
    return page.evaluate(async ({ n, id }) => {
      const handle = window.castline;
      handle.goToStep(n);
      const at = handle.actorPosition(id);
      const frames = (k) => new Promise((resolve) => {
        const go = () => (k-- > 0 ? requestAnimationFrame(go) : resolve());
        go();
      });
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await frames(2);
      return { at, rest: handle.actorPosition(id) };
    }, { n, id });
  }

  test('the pictures glide into a step; under prefers-reduced-motion they are there at once', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page);
      const { at, rest } = await glide(page, 2);
      assert.ok(Math.hypot(at.x - rest.x, at.y - rest.y) > 5, `the network moves into the step: ${JSON.stringify({ at, rest })}`);
      assert.deepEqual(problems, []);
    });
    await withPage({ reducedMotion: 'reduce' }, async ({ page, problems }) => {
      await open(page);
      const { at, rest } = await glide(page, 2);
      assert.ok(Math.hypot(at.x - rest.x, at.y - rest.y) < 0.5, `no glide: ${JSON.stringify({ at, rest })}`);
      assert.deepEqual(problems, []);
    });
  });

  test('a click or a brush leaves the steps, keeping what the reader did; "Back to the story" returns', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page, problems }) => {
      await open(page, '#step=2');
      await nextFrames(page, 4);
      // A click on an actor of the step.
      const id = steps[1].view.fit[0];
      const p = await page.evaluate((actorId) => window.castline.actorPosition(actorId), id);
      const box = await page.$eval('canvas.castline-network', (c) => c.getBoundingClientRect().toJSON());
      await page.mouse.click(box.left + p.x, box.top + p.y);
      await settle(page);
      let s = await state(page);
      assert.equal(s.step, null, 'the click left the steps');
      assert.ok(s.selectedActors.includes(id), 'and what it did is kept');
      let b = await bar(page);
      assert.equal(b.back, 'Back to the story');
      assert.match(b.counter, /^Step 2 of \d+ · you have changed the view$/);
      assert.equal(b.title, steps[1].title, 'the step last shown stays on the bar');
      assert.ok(!(await hash(page)).includes('step='), 'the URL keeps the reader\'s view');
      await page.click('.castline-steps-back');
      await settle(page);
      assert.equal((await state(page)).step, 2);
      assert.equal((await bar(page)).back, null);
      assert.equal(await hash(page), '#step=2');

      // A brush across the time axis leaves it too.
      const t = await page.$eval('canvas.castline-timeline', (c) => c.getBoundingClientRect().toJSON());
      const y = t.top + t.height / 2;
      await page.mouse.move(t.left + t.width * 0.45, y);
      await page.mouse.down();
      await page.mouse.move(t.left + t.width * 0.6, y, { steps: 5 });
      await page.mouse.up();
      await settle(page);
      s = await state(page);
      assert.equal(s.step, null, 'the brush left the steps');
      assert.ok(s.timeWindow, 'and its window is kept');
      // The browser's Back returns to the step.
      await page.goBack();
      await page.waitForFunction(() => window.castline.state().step === 2, null, { timeout: 3000 });
      assert.deepEqual(problems, []);
    });
  });

  test('the bar fits a phone', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }, async ({ page, problems }) => {
      await open(page, '#step=4');
      assert.equal((await bar(page)).title, steps[3].title);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'no horizontal scrolling');
      // The pictures, the step bar, then the toolbar above the list it filters; the same after
      // the phone is turned on its side and back.
      const order = () => page.evaluate(() => !!document.querySelector('.castline-views + .castline-steps + .castline-toolbar'));
      assert.ok(await order(), 'pictures, steps, toolbar');
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.waitForFunction(() => !!document.querySelector('.castline-toolbar + .castline-views + .castline-steps'));
      await page.setViewportSize({ width: 375, height: 812 });
      await page.waitForFunction(() => !!document.querySelector('.castline-views + .castline-steps + .castline-toolbar'), null, { timeout: 3000 });
      assert.deepEqual(problems, []);
    });
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`axe-core finds no violations with a step shown, and after leaving it, ${colorScheme}`, { timeout: TIMEOUT }, async () => {
      await withPage({ colorScheme }, async ({ page, problems }) => {
        await open(page);
        const summary = (results) => results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        await page.click('.castline-steps-next');
        await page.click('.castline-steps-next');
        await nextFrames(page, 2);
        assert.deepEqual(summary(await new AxeBuilder({ page }).analyze()), [], 'a step shown');
        await page.evaluate(() => window.castline.clear());
        await nextFrames(page, 2);
        assert.equal((await bar(page)).back, 'Back to the story');
        assert.deepEqual(summary(await new AxeBuilder({ page }).analyze()), [], 'the steps left');
        assert.deepEqual(problems, []);
      });
    });
  }
});
