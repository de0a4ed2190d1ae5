// The scrollytelling example (docs/examples/scrolly.html, issue 19 §2): published beside a
// story as the docs say, each section that reaches the middle of the window moves the sticky
// embed to its step, with embed.js and with pym.js on the page; with scripts off the article
// and the story's picture are there.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { browserSuite, CASTLINE_BIN, repoRoot, staticFolder } from './helpers.mjs';

const TIMEOUT = 120_000;
const EXAMPLE = ['scrolly.html', 'scrolly.css', 'scrolly.js'];

/** The default story published into a new folder, with the example copied beside it. */
async function publishedWithExample() {
  const out = await mkdtemp(path.resolve(os.tmpdir(), 'castline-scrolly-'));
  execFileSync(CASTLINE_BIN, ['publish', path.join(repoRoot, 'data/peace-plan-2025.json'), '-o', out], { cwd: repoRoot, stdio: 'pipe' });
  for (const f of EXAMPLE) await copyFile(path.join(repoRoot, 'docs/examples', f), path.join(out, f));
  return out;
}

/** The embed's frame once its viewer is mounted. */
async function viewerFrame(page) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes('embed.html'));
    if (frame && await frame.evaluate(() => typeof window.castline?.state === 'function').catch(() => false)) return frame;
    assert.ok(Date.now() < deadline, 'the embed mounted');
    await page.waitForTimeout(100);
  }
}

async function scrollToStep(page, frame, n) {
  // Its top just inside the band the example watches (60–70% of the window's height).
  await page.evaluate((step) => {
    const top = document.querySelector(`[data-step="${step}"]`).getBoundingClientRect().top;
    window.scrollBy(0, top - window.innerHeight * 0.62);
  }, n);
  await frame.waitForFunction((step) => window.castline.state().step === step, n, { timeout: 15_000 });
  assert.equal(await page.$eval(`[data-step="${n}"]`, (s) => s.classList.contains('is-current')), true);
}

describe('the scrollytelling example', () => {
  const { withPage } = browserSuite();

  test('sections move the sticky embed to their steps (embed.js, then pym.js); without scripts the article and the picture', { timeout: TIMEOUT * 2 }, async () => {
    const out = await publishedWithExample();
    const story = JSON.parse(await readFile(path.join(repoRoot, 'data/peace-plan-2025.json'), 'utf8'));
    // The same article with pym.js on the page in place of the snippet and embed.js.
    const html = await readFile(path.join(out, 'scrolly.html'), 'utf8');
    const pymPage = html
      .replace(/<div class="castline-embed"[\s\S]*?<\/noscript>\s*<\/div>/, '<div id="castline-graphic"></div>')
      .replace('<script src="embed.js" defer></script>', '<script src="pym.v1.min.js" defer></script><script src="pym-start.js" defer></script>');
    assert.notEqual(pymPage, html);
    await writeFile(path.join(out, 'scrolly-pym.html'), pymPage);
    await writeFile(path.join(out, 'pym-start.js'), "new pym.Parent('castline-graphic', 'embed.html?data=story.json', {});\n");
    await copyFile(path.join(repoRoot, 'node_modules/pym.js/dist/pym.v1.min.js'), path.join(out, 'pym.v1.min.js'));
    // A host has a favicon; the browser asks for one.
    await writeFile(path.join(out, 'favicon.ico'), '');
    const site = await staticFolder(out, { cors: true });
    try {
      for (const file of ['scrolly.html', 'scrolly-pym.html']) {
        await withPage({ viewport: { width: 1280, height: 900 } }, async ({ page, problems }) => {
          await page.goto(site.url + file);
          const frame = await viewerFrame(page);
          const steps = await frame.evaluate(() => window.castline.steps().length);
          assert.equal(steps, story.steps.length, file);
          assert.equal(await page.locator('[data-step]').count(), story.steps.length, `${file}: a section per step`);
          await scrollToStep(page, frame, 3);
          await scrollToStep(page, frame, 5);
          await scrollToStep(page, frame, 2);
          assert.deepEqual(problems, [], file);
        });
      }
      await withPage({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } }, async ({ page }) => {
        await page.goto(`${site.url}scrolly.html`);
        assert.ok(await page.locator('img[src="story.png"]').isVisible(), 'the story\'s picture');
        const text = await page.textContent('main');
        for (const step of story.steps) assert.ok(text.includes(step.title), step.title);
      });
    } finally {
      await site.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});
