// `make bench`: every benchmark, printed as Markdown tables with medians, min–max and ratios.
// BENCH_SIZES=W1,W2 limits the workloads; BENCH_PARTS=layout,overview,size,browser,lighthouse the parts
// (also mount: with BENCH_ALT_WWW=other/www, two builds' mounts of a big story in turns).

import os from 'node:os';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { benchLayout } from './layout.mjs';
import { benchSize } from './size.mjs';

const parts = (process.env.BENCH_PARTS ?? 'layout,overview,size,browser,lighthouse,mount,settle').split(',').map((s) => s.trim());

function chromiumVersion() {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'not found';
  }
}

const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model;
console.log('## Machine\n');
console.log(`- ${os.cpus().length} logical CPUs (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log(`- load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
console.log(`- Node ${process.version}; ${chromiumVersion()}`);
console.log(`- ${new Date().toISOString()}\n`);

const started = performance.now();
if (parts.includes('layout')) {
  console.log('## Layout in Node (ms per step; ratio = peer time / Castline time, higher is better for Castline)\n');
  const { table, notes } = await benchLayout((line) => console.error(line));
  console.log(`${table}\n\n${notes}. Stress: sampled normalised stress against graph distances; edge CV: spread of edge lengths.\n`);
}
if (parts.includes('overview')) {
  const { benchOverview } = await import('./overview.mjs');
  console.log('## Overview: communities and marks\n');
  console.log(`${await benchOverview((line) => console.error(line))}\n`);
}
if (parts.includes('size')) {
  console.log('## Download size\n');
  console.log(`${(await benchSize()).table}\n`);
}
if (parts.includes('browser')) {
  if (fs.existsSync(new URL('./browser.mjs', import.meta.url))) {
    const { benchBrowser } = await import('./browser.mjs');
    console.log('## In headless Chromium\n');
    console.log(`${await benchBrowser((line) => console.error(line))}\n`);
  } else {
    console.log('## In headless Chromium\n\nnot measured yet (bench/browser.mjs is missing)\n');
  }
}
if (parts.includes('lighthouse')) {
  const { benchLighthouse } = await import('./lighthouse.mjs');
  console.log('## Lighthouse: the page, the embed and the peers\n');
  console.log(`${await benchLighthouse((line) => console.error(line))}\n`);
}
if (parts.includes('settle')) {
  const { benchSettle } = await import('./settle.mjs');
  console.log('## Time to a settled layout (Node, wasm)\n');
  console.log(`${await benchSettle((line) => console.error(line))}\n`);
  const { benchSettlePage } = await import('./settle.mjs');
  console.log('## Time to a settled layout on the real page (headless Chromium)\n');
  console.log(`${await benchSettlePage((line) => console.error(line))}\n`);
}
if (parts.includes('mount')) {
  const { benchMount } = await import('./mount.mjs');
  console.log('## Mounting a big story on the real page\n');
  console.log(`${await benchMount((line) => console.error(line))}\n`);
}
console.log(`Total benchmark time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
