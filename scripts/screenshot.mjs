// Writes docs/screenshot.png (1280×900, desktop) and docs/screenshot-phone.png
// (375×800 at 2×) of the default page, served by the real `castline serve`.
//
//   node scripts/screenshot.mjs
//
// Needs target/debug/castline (or CASTLINE_BIN), www/pkg and Debian's Chromium.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, startServer, launchBrowser, waitForCastline, nextFrames } from '../tests/e2e/helpers.mjs';

const shots = [
  { file: 'screenshot.png', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
  { file: 'screenshot-phone.png', viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 },
];

const outDir = path.join(repoRoot, 'docs');
let server;
let browser;
let failed = false;
try {
  await mkdir(outDir, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: shot.viewport, deviceScaleFactor: shot.deviceScaleFactor });
    try {
      const page = await context.newPage();
      const problems = [];
      page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text()); });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(server.url);
      await waitForCastline(page);
      await nextFrames(page, 2);
      const file = path.join(outDir, shot.file);
      await page.screenshot({ path: file });
      console.log(`wrote ${path.relative(repoRoot, file)}`);
      for (const problem of problems) console.error(`  page problem: ${problem}`);
      if (problems.length) failed = true;
    } finally {
      await context.close();
    }
  }
} catch (error) {
  console.error(`screenshot: ${error.message}`);
  failed = true;
} finally {
  await browser?.close().catch(() => {});
  await server?.stop();
}
process.exitCode = failed ? 1 : 0;
