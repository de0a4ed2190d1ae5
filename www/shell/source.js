// Where the story's text comes from: the data given to mount(), or a URL fetched as bytes and
// read as UTF-8.

// A story of more than this many bytes (or characters, given as text) is big: a few hundred
// actors or more. The page opens it with the full build (shell/wasm.js), and hands it to the
// wasm as the bytes it was fetched in, reading them as text only if something needs that.
const BIG_STORY = 300_000;
// The most the wasm reads (read::load::MAX_INPUT_BYTES): a download is stopped past it rather
// than kept whole in a phone's memory only to be refused.
const MAX_STORY = 64_000_000;

// A story's text, as given or as fetched. `text` is read from the bytes when first asked for
// (and throws if they are not UTF-8); `bytes` are the text's UTF-8, which the wasm takes in
// one copy (a long string it would take a character at a time).
// A big story may still be downloading (`download`): its reader takes the parts as they come
// (shell/wasm.js), and `complete()` waits for the whole before `text` or `bytes` are asked for.
export class StoryText {
  #text;
  #bytes;
  #download;
  #what;

  constructor({ text = null, bytes = null, download = null, what = 'the story' }) {
    this.#text = text;
    this.#bytes = bytes;
    this.#download = download;
    this.#what = what;
  }

  get text() {
    this.#text ??= decodeText(this.bytes, this.#what);
    return this.#text;
  }

  get bytes() {
    this.#bytes ??= this.#download ? this.#download.bytes() : new TextEncoder().encode(this.#text);
    return this.#bytes;
  }

  get big() {
    return this.#download !== null || (this.#bytes?.length ?? this.#text.length) > BIG_STORY;
  }

  // The download whose parts a reader may take as they come, if the story came from one.
  get download() {
    return this.#download;
  }

  // The story once all of it has come (after its reader: one waiter at a time); a failed
  // download throws here.
  async complete() {
    await this.#download?.part(Infinity);
    return this;
  }
}

// A download's parts as they come, for one waiter at a time (`part`). `expected` is the
// text's length if the response says it, or 0.
class Download {
  parts = [];
  size = 0;
  #wake = () => {};

  constructor(expected) {
    this.expected = expected;
  }

  add(part) {
    this.parts.push(part);
    this.size += part.length;
    this.#wake();
  }

  finish(error) {
    this.done = true;
    this.error = error;
    this.#wake();
  }

  // The `i`th part once it has come, null after the last (`part(Infinity)`: the end); a
  // failed download throws.
  async part(i) {
    while (i >= this.parts.length && !this.done) await new Promise((resolve) => { this.#wake = resolve; });
    if (this.error) throw this.error;
    return this.parts[i] ?? null;
  }

  // All the bytes, once all have come (the parts stay as they are: a reader may be at them).
  bytes() {
    if (!this.done || this.error) throw this.error ?? new Error('Still downloading.');
    if (this.parts.length === 1) return this.parts[0];
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return bytes;
  }
}

// A story asked for before the page's scripts have all come (`fetchEarly`, from app.js), which
// `loadText` takes when it is asked for the same URL: a big story's download then overlaps the
// scripts' instead of following them. `onBig` is called once, when as many bytes have come
// as make a story big (the caller starts loading the full build; this module imports no
// other, so that the modules' graph has no cycle, which `castline publish` refuses).
let early = null;

export function fetchEarly(src, onBig) {
  const url = new URL(String(src), document.baseURI);
  early = { href: url.href, story: fetchStory(url, onBig) };
  early.story.catch(() => {});
}

export async function loadText(data, src, onBig) {
  if (typeof data === 'string') return new StoryText({ text: data });
  if (data !== undefined && data !== null) return new StoryText({ text: JSON.stringify(data) });
  if (src === undefined || src === null || src === '') {
    throw new Error('No story given: pass { data } or { src } to mount().');
  }
  const url = new URL(String(src), document.baseURI);
  if (early?.href === url.href) {
    const { story } = early;
    early = null;
    return story;
  }
  return fetchStory(url, onBig);
}

async function fetchStory(url, onBig) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new Error(`Could not load the story from ${url.href}: ${error.message}`);
  }
  if (!response.ok) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    throw new Error(`Could not load the story from ${url.href}: HTTP ${response.status}${reason}`);
  }
  const story = await body(response, url, onBig);
  // A small story is read as text at once, so that bytes that are not UTF-8 are said so now;
  // a big one's are checked as the wasm takes them.
  if (!story.big) void story.text;
  return story;
}

// The story from the response. A big story is opened by the full build (shell/wasm.js), so once the
// response's length, or as many bytes as have come, make a story big, `onBig` starts loading
// it, and the story is given at once as its download, which its reader takes as it comes.
async function body(response, url, onBig) {
  const reader = response.body?.getReader();
  if (!reader) return new StoryText({ bytes: new Uint8Array(await response.arrayBuffer()), what: url.href });
  // A compressed response's length is not its text's, which is longer: the text's length is
  // then not known, but a story that big compressed is big.
  const length = Number(response.headers.get('content-length')) || 0;
  const encoding = response.headers.get('content-encoding');
  const download = new Download(encoding && encoding !== 'identity' ? 0 : length);
  let big = null;
  const early = new Promise((resolve) => {
    big = () => {
      big = null;
      onBig?.();
      resolve(new StoryText({ download, what: url.href }));
    };
  });
  if (length > BIG_STORY) big();
  let tooBig = null;
  const whole = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (download.size + value.length > MAX_STORY) {
          reader.cancel().catch(() => {});
          throw (tooBig = new Error(`The story at ${url.href} is over 64 MB; Castline reads stories up to 64 MB.`));
        }
        download.add(value);
        if (download.size > BIG_STORY) big?.();
      }
    } catch (error) {
      const failure = error === tooBig ? error : new Error(`Could not load the story from ${url.href}: ${error.message}`);
      download.finish(failure);
      throw failure;
    }
    download.finish(null);
    // A big story was given as its download already.
    return big ? new StoryText({ bytes: download.bytes(), what: url.href }) : null;
  })();
  whole.catch(() => {});
  return Promise.race([early, whole]);
}

// Only http(s) URLs or URLs relative to the page may name the data; a javascript:, data: or
// file: URL is refused rather than fetched. `given` is the ?data= value (or null).
export function dataSource(given, fallback) {
  if (given === null || given === undefined || given.trim() === '') return fallback;
  let url;
  try {
    url = new URL(given, document.baseURI);
  } catch {
    throw new Error(`The data URL “${given}” is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The data URL “${given}” is not allowed: only http(s) URLs or URLs relative to this page can be used.`);
  }
  return given;
}

// Bad bytes are reported, not silently replaced: a Latin-1 export would otherwise load with
// “�” in every accented name.
export function decodeText(bytes, what) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not UTF-8 text: export it again as UTF-8 (in a spreadsheet, “CSV UTF-8”).`);
  }
}

// What diagnostics call the data: the given name, else the last part of its URL.
export function dataName(name, src) {
  if (typeof name === 'string' && name.trim()) return name;
  if (typeof src !== 'string' || !src) return 'data';
  try {
    return decodeURIComponent(new URL(src, document.baseURI).pathname.split('/').pop() || 'data');
  } catch {
    return 'data';
  }
}
