// make.html: from a spreadsheet to the article without a toolchain. A reporter pastes a
// published sheet's URL (or a CSV or JSON file's) or drops the files; the story is previewed by
// the viewer itself, which lists its problems at their rows and columns; the preview's
// selection and window, the size and the colours become the embed's code (make-code.js).
// Everything is read in this browser; nothing is uploaded. The viewer (Rust) owns the story:
// this page keeps the files' text only until the preview has read them, and asks the viewer's
// handle for the rest (snapshot(), story(), exportBlob()).

import { decodeText, mount } from './castline.js';
import { embedCode, publishCommand, startingView } from './make-code.js';
import { showError } from './shell/diagnostics.js';
import { saveBlob } from './shell/exports.js';
import { fileStem } from './shell/words.js';

// The folder's own story (`castline publish` names its story.json here).
const DEFAULT_DATA = 'data/peace-plan-2025.json';
const MAX_BYTES = 64 * 1024 * 1024;
const UNTITLED = 'Untitled story';

const $ = (id) => document.getElementById(id);
const container = $('castline');
// The viewer's folder: the one this page is in.
const folder = new URL('.', window.location.href).href;

// What the preview shows: `src` is what the code names (null: the folder's own story), `local`
// whether the reporter must put it into the folder's data/ (dropped files, several sheets).
let shown = { src: null, local: false, title: '' };
let handle = null;
// Previews run one after the other (a handle's destroy() empties the container, so two may
// not overlap), and one asked for while another is shown is skipped if a newer one follows.
let queue = Promise.resolve();
let generation = 0;

// The oEmbed endpoint the page's discovery link names: `castline serve` fills in its own,
// `castline publish --base-url` the folder's oembed.json; without a base URL there is none.
function oembedSource() {
  const href = document.querySelector('link[rel="alternate"][type="application/json+oembed"]')?.getAttribute('href');
  if (!href) return null;
  let url;
  try {
    url = new URL(href, window.location.href);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol)) return null;
  if (url.pathname.endsWith('.json')) return { file: url.href };
  return url.searchParams.has('url') ? { endpoint: `${url.origin}${url.pathname}` } : null;
}
const oembed = oembedSource();

function say(text) {
  $('make-source').textContent = text;
}

// A sentence and a command, as text, where the browser may not read a URL.
function unreadable(urls) {
  const box = $('make-unreadable');
  const words = document.createElement('p');
  words.textContent = `This browser may not read ${urls.length === 1 ? urls[0] : 'these URLs'}: the site does not let other pages read it (CORS), or it is not an https URL. castline publish reads it instead, on your computer:`;
  const code = document.createElement('pre');
  code.className = 'make-command';
  code.textContent = publishCommand(urls);
  box.replaceChildren(words, code);
  box.hidden = false;
}

// The preview of a story given to mount() (`data` and `name`, or `files`), then the code.
function preview(options, next) {
  const mine = ++generation;
  queue = queue.then(() => (mine === generation ? show(options, next) : undefined));
  return queue;
}

async function show(options, next) {
  $('make-unreadable').hidden = true;
  handle?.destroy();
  handle = null;
  window.castline = undefined;
  try {
    handle = await mount(container, { ...options, exports: false });
  } catch (error) {
    if (!error.castlineShown) showError(container, error.message || String(error));
  }
  // As the viewer's own pages do: the handle for the console and the tests.
  window.castline = handle ?? undefined;
  let title = '';
  try {
    title = handle?.story()?.title ?? '';
  } catch {
    title = '';
  }
  // The file's name in data/: the story's title, or, when it has none (the reader calls it
  // UNTITLED, src/read/load.rs), the first file's own name.
  const named = title && title !== UNTITLED ? title : next.name?.replace(/\.[^.]*$/, '');
  shown = { ...next, title, stem: fileStem(named) };
  if (shown.local) shown.src = `data/${shown.stem}.json`;
  handle?.addEventListener('change', update);
  update();
}

// A URL's text, or why not: `cors` when the browser refused to read it at all (the site
// sends no Access-Control-Allow-Origin, or the page's policy refuses an http: URL; the
// browser does not say which).
async function fetchText(url) {
  let response;
  try {
    response = await fetch(url, { credentials: 'omit' });
  } catch {
    return { cors: true };
  }
  if (!response.ok) return { error: `${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.` };
  try {
    return { text: decodeText(await response.arrayBuffer(), url) };
  } catch (error) {
    return { error: error.message };
  }
}

async function fromUrls(lines) {
  const urls = [];
  for (const line of lines) {
    let url;
    try {
      url = new URL(line);
    } catch {
      say(`“${line}” is not a URL: paste the whole address, starting with https://.`);
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      say(`“${line}” is not a web address: only http(s) URLs can be read.`);
      return;
    }
    urls.push(url.href);
  }
  if (!urls.length) {
    say('Paste a URL first.');
    return;
  }
  say(`Reading ${urls.length === 1 ? urls[0] : `${urls.length} URLs`}…`);
  const answers = await Promise.all(urls.map(fetchText));
  if (answers.some((a) => a.cors)) {
    say('');
    unreadable(urls);
    return;
  }
  const failed = answers.find((a) => a.error);
  if (failed) {
    say(failed.error);
    return;
  }
  // The embed reads one URL itself, so a sheet's changes reach the article; several sheets are
  // read here into one story, which goes into the folder.
  if (urls.length === 1) {
    say(`Showing ${urls[0]}.`);
    await preview({ data: answers[0].text, name: urls[0] }, { src: urls[0], local: false });
  } else {
    say(`Showing the ${urls.length} sheets read together.`);
    const first = decodeURIComponent(new URL(urls[0]).pathname.split('/').pop() ?? '');
    await preview({ files: answers.map((a, i) => ({ name: urls[i], text: a.text })) }, { local: true, name: first });
  }
}

async function fromFiles(list) {
  const files = Array.from(list ?? []);
  if (!files.length) return;
  const big = files.find((f) => f.size > MAX_BYTES);
  if (big) {
    say(`“${big.name}” is ${Math.round(big.size / 1e6)} MB; Castline reads files up to 64 MB.`);
    return;
  }
  let read;
  try {
    read = await Promise.all(files.map(async (f) => ({ name: f.name, text: decodeText(await f.arrayBuffer(), `“${f.name}”`) })));
  } catch (error) {
    say(error.message);
    return;
  }
  say(`Showing ${files.map((f) => f.name).join(', ')} (read in this browser, not uploaded).`);
  const options = read.length === 1 ? { data: read[0].text, name: read[0].name } : { files: read };
  await preview(options, { local: true, name: read[0].name });
}

function choice(snapshot) {
  const number = (id, low, high) => {
    const value = Math.round(Number($(id).value));
    return $(id).value !== '' && Number.isFinite(value) && value >= low && value <= high ? value : null;
  };
  const theme = $('make-theme').value;
  return {
    folder,
    src: shown.src,
    title: shown.title,
    view: snapshot ? startingView(snapshot) : '',
    theme,
    width: number('make-width', 200, 4000),
    height: number('make-height', 200, 20000) ?? 900,
    auto: $('make-auto').checked,
    oembed,
  };
}

// The starting view in words, from what the code will say.
function viewWords(snapshot) {
  if (!snapshot) return 'The story could not be shown: there is nothing to embed yet.';
  const parts = [];
  const ids = snapshot.selectedActors ?? [];
  if (ids.length) {
    const mode = ids.length > 1 ? (snapshot.mode === 'any' ? ', events with any of them' : ', events with all of them') : '';
    parts.push(`${ids.length === 1 ? 'the actor' : 'the actors'} ${ids.join(', ')} selected${mode}`);
  }
  const w = snapshot.timeWindow;
  if (w) parts.push(`the time window ${w[0] ?? 'the start'} to ${w[1] ?? 'the end'}`);
  return parts.length ? `Opens with ${parts.join(', and ')}.` : 'Opens with everything shown.';
}

function update() {
  let snapshot = null;
  try {
    snapshot = handle?.snapshot() ?? null;
  } catch {
    snapshot = null; // the viewer stopped (its panel says why): nothing to embed
  }
  const code = embedCode(choice(snapshot));
  // Each box tall enough for its code, with room for lines the width wraps.
  for (const [id, text] of [['make-script', code.script], ['make-iframe', code.iframe], ['make-link', code.link]]) {
    $(id).value = text;
    $(id).rows = text.split('\n').length + 2;
  }
  $('make-oembed').value = code.oembed ?? '';
  $('make-oembed-box').hidden = !code.oembed;
  $('make-oembed-none').hidden = !!code.oembed;
  $('make-oembed-none').textContent = code.oembedWhy;
  $('make-view').textContent = viewWords(snapshot);
  $('make-reset').disabled = !handle;
  for (const button of document.querySelectorAll('.make-copy, #make-download')) button.disabled = !handle;
  $('make-data').hidden = !shown.local;
  if (shown.local) {
    $('make-data-words').textContent = `The embed reads its story from the folder: put it into the folder’s data/ as ${shown.src.slice('data/'.length)} (the story as Castline JSON, made here from the files).`;
    $('make-download').textContent = `Download ${shown.src.slice('data/'.length)}`;
  }
}

async function copy(button) {
  const field = $(button.dataset.copy);
  field.focus();
  field.select();
  const what = button.textContent.replace(/^Copy /, '');
  try {
    await navigator.clipboard.writeText(field.value);
    $('make-copied').textContent = `Copied ${what}.`;
  } catch {
    // A browser that does not let the page write to the clipboard: the text is selected.
    $('make-copied').textContent = `${what.charAt(0).toUpperCase()}${what.slice(1)} is selected: copy it with Ctrl+C (⌘C on a Mac).`;
  }
}

async function download() {
  if (!handle || !shown.local) return;
  try {
    saveBlob(await handle.exportBlob('json'), shown.stem, 'json');
  } catch (error) {
    say(`The story could not be made as JSON: ${error.message || error}`);
  }
}

$('make-url-form').addEventListener('submit', (event) => {
  event.preventDefault();
  fromUrls($('make-url').value.split('\n').map((l) => l.trim()).filter(Boolean));
});
$('make-files').addEventListener('change', (event) => fromFiles(event.target.files));
const drop = $('make-drop');
document.addEventListener('dragover', (event) => {
  if (!event.dataTransfer?.types?.includes('Files')) return;
  event.preventDefault();
  drop.classList.add('make-drop-over');
});
document.addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) drop.classList.remove('make-drop-over');
});
document.addEventListener('drop', (event) => {
  drop.classList.remove('make-drop-over');
  if (!event.dataTransfer?.files?.length) return;
  event.preventDefault();
  fromFiles(event.dataTransfer.files);
});
for (const id of ['make-width', 'make-height', 'make-auto', 'make-theme']) $(id).addEventListener('input', update);
$('make-reset').addEventListener('click', () => {
  handle?.clear();
  handle?.setTimeWindow(null, null);
  update();
});
for (const button of document.querySelectorAll('.make-copy')) button.addEventListener('click', () => copy(button));
$('make-download').addEventListener('click', download);

update();
say('Showing the folder’s own story.');
preview({ src: DEFAULT_DATA }, { src: null, local: false });
