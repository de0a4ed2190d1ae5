// The code make.html gives for a story, as text: the embed script, the plain iframe, the share
// link and the oEmbed URL (docs/embedding.md). Everything from the story or the reporter is
// escaped for the attribute or URL it goes into; nothing here touches the DOM.

import { encodeFragment } from './fragment.js';

const SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

export function escapeAttribute(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A query's value, keeping '/' and ':' as they are (legal there, and a path reads better).
const queryValue = (text) => encodeURIComponent(text).replace(/%2F/gi, '/').replace(/%3A/gi, ':');

// The view the embed opens with, as a link's fragment: the selection, its mode and the window.
// Not the zoom: it depends on the size of the reader's screen.
export function startingView(snapshot) {
  return encodeFragment({
    selectedActors: snapshot?.selectedActors ?? [],
    mode: snapshot?.mode ?? 'all',
    timeWindow: snapshot?.timeWindow ?? null,
    focusedEvent: null,
    view: {},
  }, null);
}

// A page of the folder (`embed.html`, `index.html`) showing the choice: `src` in ?data= (none
// for the folder's own story), the theme, and the view in the fragment.
function pageUrl(choice, page) {
  const query = [];
  if (choice.src) query.push(`data=${queryValue(choice.src)}`);
  if (choice.theme === 'light' || choice.theme === 'dark') query.push(`theme=${choice.theme}`);
  return `${choice.folder}${page}${query.length ? `?${query.join('&')}` : ''}${choice.view ? `#${choice.view}` : ''}`;
}

/**
 * The four pieces of code for a choice:
 * { folder: the viewer folder's absolute URL ending in '/', src: the story relative to it or
 *   an http(s) URL (null: the folder's own), title, view: a fragment (startingView), theme:
 *   'auto'|'light'|'dark', width: px or null (the article's width), height: px, auto: whether
 *   the script's height follows the story, oembed: { endpoint } (a server answering for any
 *   page) or { file } (a published folder's oembed.json, its own story only) or null }.
 * Returns { script, iframe, link, oembed: the URL or null, oembedWhy: why there is none }.
 */
export function embedCode(choice) {
  const title = choice.title || 'Castline: who met whom, and when';
  const link = pageUrl(choice, 'index.html');
  const attributes = [];
  if (choice.src) attributes.push(['data-src', choice.src]);
  if (choice.view) attributes.push(['data-view', choice.view]);
  if (choice.theme === 'light' || choice.theme === 'dark') attributes.push(['data-theme', choice.theme]);
  attributes.push(['data-height', String(choice.height)]);
  if (!choice.auto) attributes.push(['data-auto-height', 'false']);
  attributes.push(['data-title', title]);
  const width = choice.width ? ` style="max-width:${Number(choice.width)}px"` : '';
  const opening = [`<div class="castline-embed"${width}`, ...attributes.map(([name, value]) => `     ${name}="${escapeAttribute(value)}"`)];
  const script = [
    `${opening.join('\n')}>`,
    `  <noscript><a href="${escapeAttribute(link)}">${escapeAttribute(title)}</a></noscript>`,
    '</div>',
    `<script src="${escapeAttribute(`${choice.folder}embed.js`)}" async></script>`,
  ].join('\n');
  const iframe = [
    `<iframe src="${escapeAttribute(pageUrl(choice, 'embed.html'))}"`,
    `        title="${escapeAttribute(title)}"`,
    `        sandbox="${SANDBOX}"`,
    `        loading="lazy" width="${choice.width ? Number(choice.width) : '100%'}" height="${Number(choice.height)}" style="border:0"></iframe>`,
  ].join('\n');
  let oembed = null;
  let oembedWhy = 'An oEmbed URL needs the folder’s address: publish it with castline publish --base-url URL.';
  if (choice.oembed?.endpoint) {
    oembed = `${choice.oembed.endpoint}?format=json&url=${encodeURIComponent(link)}`;
  } else if (choice.oembed?.file) {
    if (choice.src) oembedWhy = 'The folder’s oembed.json is for its own story only: use the script or the iframe for this one.';
    else oembed = choice.oembed.file;
  }
  return { script, iframe, link, oembed, oembedWhy };
}

// The command that publishes what this browser may not read, for a shell (POSIX quoting).
export function publishCommand(urls) {
  const quote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;
  return `castline publish ${urls.map(quote).join(' ')} -o site/`;
}
