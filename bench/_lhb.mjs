import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import zlib from 'node:zlib';
import { serve } from '/work/main/bench/lighthouse.mjs';
const ROOT = '/work/main';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhb-'));
execFileSync(process.execPath, [path.join(ROOT, 'scripts/dist.mjs'), '--out', dir, '--castline', path.join(ROOT, 'target/debug/castline')], { stdio: 'inherit' });
for (const f of execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
  if (!/\.(html|js|css|json|wasm|svg)$/.test(f) || fs.existsSync(f + '.br')) continue;
  fs.writeFileSync(f + '.br', zlib.brotliCompressSync(fs.readFileSync(f), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
const site = await serve(dir);
const { default: lighthouse } = await import('lighthouse');
const chromeLauncher = await import('chrome-launcher');
const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = process.argv[2] || 'index.html';
const r = await lighthouse(site.url + page, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
await chrome.kill(); await site.close();
const reqs = r.lhr.audits['network-requests'].details.items;
let total = 0;
for (const q of reqs) { total += q.transferSize; console.log(String(q.transferSize).padStart(8), String(q.resourceSize).padStart(8), q.url.replace(site.url, '')); }
for (const t of r.lhr.audits['long-tasks']?.details?.items ?? []) console.log('long task', Math.round(t.startTime), Math.round(t.duration), t.url.replace(site.url, ''));
console.log('total', total, 'byte-weight', r.lhr.audits['total-byte-weight'].numericValue, 'perf', r.lhr.categories.performance.score, 'SI', r.lhr.audits['speed-index'].numericValue, 'TBT', r.lhr.audits['total-blocking-time'].numericValue);
fs.rmSync(dir, { recursive: true });
