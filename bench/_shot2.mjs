import { startServer, launchBrowser } from '../tests/e2e/helpers.mjs';
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 700, height: 1400 }, colorScheme: scheme });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.text()); });
    await page.goto(`${server.url}embed.html?data=data/peace-plan-2025.json#step=5`);
    await page.waitForSelector('.castline-steps-title:not([hidden])', { timeout: 20000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/steps-embed-${scheme}.png` });
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
