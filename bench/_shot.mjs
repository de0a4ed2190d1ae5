import { startServer, launchBrowser, waitForCastline } from '../tests/e2e/helpers.mjs';
const server = await startServer();
const browser = await launchBrowser();
const out = process.argv[2] || '/tmp/steps-shot';
try {
  for (const [w, h, scheme, steps] of [[1280, 900, 'light', [5]], [1280, 900, 'dark', [1]], [375, 812, 'light', [3]]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.text()); });
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    await page.goto(server.url);
    await waitForCastline(page);
    for (const n of steps) {
      if (n) {
        await page.evaluate((n) => window.castline.goToStep(n), n);
        await page.waitForTimeout(1200);
        await page.evaluate(() => window.scrollTo(0, document.querySelector('.castline-views').offsetTop - 10));
      }
      await page.screenshot({ path: `${out}-${w}-${scheme}-${n}.png`, fullPage: false });
    }
    console.log(w, await page.evaluate(() => JSON.stringify({ s: window.castline.state().step, hash: location.hash })));
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
