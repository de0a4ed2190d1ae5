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
export class StoryText {
  #text;
  #bytes;
  #what;

  constructor({ text = null, bytes = null, what = 'the story' }) {
    this.#text = text;
    this.#bytes = bytes;
    this.#what = what;
  }

  get text() {
    this.#text ??= decodeText(this.#bytes, this.#what);
    return this.#text;
  }

  get bytes() {
    this.#bytes ??= new TextEncoder().encode(this.#text);
    return this.#bytes;
  }

  get big() {
    return (this.#bytes?.length ?? this.#text.length) > BIG_STORY;
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
  const bytes = await body(response, url, onBig);
  // A small story is read as text at once, so that bytes that are not UTF-8 are said so now;
  // a big one's are checked as the wasm takes them.
  const story = new StoryText({ bytes, what: url.href });
  if (!story.big) void story.text;
  return story;
}

// The response's bytes. A big story is opened by the full build (shell/wasm.js), so once as
// many bytes have come as make a story big, `onBig` starts loading it while the rest downloads.
async function body(response, url, onBig) {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size <= BIG_STORY && size + value.length > BIG_STORY) onBig?.();
      parts.push(value);
      size += value.length;
      if (size > MAX_STORY) break;
    }
  } catch (error) {
    throw new Error(`Could not load the story from ${url.href}: ${error.message}`);
  }
  if (size > MAX_STORY) {
    reader.cancel().catch(() => {});
    throw new Error(`The story at ${url.href} is over 64 MB; Castline reads stories up to 64 MB.`);
  }
  if (parts.length === 1) return parts[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
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
