// The default page: show the story named by ?data=URL (or the bundled one)
// in #castline. Errors are shown on the page, never only in the console.

import { showError } from './shell/diagnostics.js';

const DEFAULT_DATA = 'data/peace-plan-2025.json';
const container = document.getElementById('castline');

// Shown in place of the view; showError's own module is small and separate from castline.js,
// so that a missing castline.js can still be reported.
const fail = (message) => showError(container, message);

async function main() {
  // Imported dynamically so that a missing script is reported here. The story is asked for as
  // soon as its URL is checked, while the rest of the page's scripts come.
  let castline;
  let src;
  try {
    const source = await import('./shell/source.js');
    src = source.dataSource(new URLSearchParams(window.location.search).get('data'), DEFAULT_DATA);
    source.fetchEarly(src, () => import('./shell/wasm.js').then((wasm) => wasm.loadFull()).catch(() => {}));
  } catch (error) {
    fail(error.message);
    return;
  }
  try {
    castline = await import('./castline.js');
  } catch (error) {
    fail(`Castline could not load its page script (castline.js): ${error.message}`);
    return;
  }
  // What `castline publish --select/--window/--theme` wrote into the page: the view and colours
  // it opens with when its URL names none. The view goes into the fragment, which the page
  // keeps in step with the view from then on.
  const published = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
  const view = published('castline-view');
  if (view && !window.location.hash) history.replaceState(null, '', `#${view}`);
  const theme = new URLSearchParams(window.location.search).get('theme') ?? published('castline-theme');
  const fixed = theme === 'light' || theme === 'dark';
  if (fixed) document.documentElement.classList.add(`castline-theme-${theme}`);
  try {
    window.castline = await castline.mount(container, { src, fragment: true, theme: fixed ? theme : 'auto' });
  } catch (error) {
    if (!error.castlineShown) fail(error.message || String(error));
    console.error(error);
  }
}

// An author can drop a JSON or CSV file on the page to preview it; it is read locally and
// never leaves the browser.
const MAX_DROP_BYTES = 64 * 1024 * 1024;

async function preview(file) {
  if (file.size > MAX_DROP_BYTES) {
    fail(`“${file.name}” is ${Math.round(file.size / 1e6)} MB; Castline reads files up to 64 MB.`);
    return;
  }
  let mount;
  let decodeText;
  try {
    ({ mount, decodeText } = await import('./castline.js'));
    const text = decodeText(await file.arrayBuffer(), `“${file.name}”`);
    window.castline?.destroy();
    window.castline = undefined;
    window.castline = await mount(container, { data: text, name: file.name });
    container.dispatchEvent(new CustomEvent('castline:preview', { detail: { name: file.name } }));
  } catch (error) {
    if (!error.castlineShown) fail(error.message || String(error));
  }
}

document.addEventListener('dragover', (event) => {
  if (event.dataTransfer?.types?.includes('Files')) event.preventDefault();
});
document.addEventListener('drop', (event) => {
  const file = event.dataTransfer?.files?.[0];
  if (!file) return;
  event.preventDefault();
  preview(file);
});

main();
