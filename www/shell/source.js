// Where the story's text comes from: the data given to mount(), or a URL fetched as bytes and
// read as UTF-8.

export async function loadText(data, src) {
  if (typeof data === 'string') return data;
  if (data !== undefined && data !== null) return JSON.stringify(data);
  if (src === undefined || src === null || src === '') {
    throw new Error('No story given: pass { data } or { src } to mount().');
  }
  const url = new URL(String(src), document.baseURI);
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
  return decodeText(await response.arrayBuffer(), url.href);
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
