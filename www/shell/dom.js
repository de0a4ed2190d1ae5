// Making DOM nodes from story data. Data is never code: text reaches the DOM only through
// textContent / createTextNode, links only with http(s) schemes, colours only as #rrggbb.
// And pausing for the page to paint or take input between the parts of long work.

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const SVG_NS = 'http://www.w3.org/2000/svg';

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function button(className, text, label) {
  const b = el('button', className, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  return b;
}

// Returns the URL string only if it parses and is http(s); anything else
// (javascript:, data:, relative junk) is dropped.
export function safeHttpUrl(value) {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// The same for an image: https only, the one scheme the page's CSP loads images from
// (`img-src 'self' data: https:`) and the only one the viewer's loader keeps.
export function safeHttpsUrl(value) {
  const href = safeHttpUrl(value);
  return href?.startsWith('https:') ? href : null;
}

// A story's picture: loaded only when near the screen, without telling its host which page
// showed it, with its alt text (empty when the data gave none: the loader warned). `src` is
// set last, so the browser never starts an eager load before it knows the rest.
export function storyImage(url, alt, className) {
  const src = safeHttpsUrl(url);
  if (!src) return null;
  const img = el('img', className);
  img.loading = 'lazy';
  img.decoding = 'async';
  img.referrerPolicy = 'no-referrer';
  img.alt = typeof alt === 'string' ? alt : '';
  img.src = src;
  return img;
}

// An event's or an actor's media (`media` from the viewer's eventItems()): each picture as a
// figure with its caption and credit as text, each other medium (a video, a post, a map) as a
// link with its words; nothing is ever embedded. Null when none can be shown.
export function mediaList(media) {
  if (!Array.isArray(media) || media.length === 0) return null;
  const list = el('ul', 'castline-media');
  for (const m of media) {
    const item = el('li', 'castline-media-item');
    const credit = m.credit ? el('span', 'castline-media-credit', `Credit: ${m.credit}`) : null;
    if (m.kind === 'image') {
      const img = storyImage(m.url, m.alt, 'castline-media-image');
      if (!img) continue;
      const figure = el('figure', 'castline-media-figure');
      figure.append(img);
      if (m.caption || credit) {
        const caption = el('figcaption', 'castline-media-caption');
        if (m.caption) caption.append(el('span', 'castline-media-caption-text', m.caption));
        if (m.caption && credit) caption.append(document.createTextNode(' '));
        if (credit) caption.append(credit);
        figure.append(caption);
      }
      item.append(figure);
    } else {
      const href = safeHttpUrl(m.url);
      if (!href) continue;
      const link = externalLink(href);
      link.referrerPolicy = 'no-referrer';
      link.textContent = m.caption || href;
      item.append(link);
      if (credit) item.append(document.createTextNode(' '), credit);
    }
    list.append(item);
  }
  return list.childElementCount ? list : null;
}

export function externalLink(href) {
  const a = el('a');
  a.href = href;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  return a;
}

// A square SVG icon of `size` px, hidden from assistive technology (its button has the words).
function svgIcon(className, size) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  return svg;
}

function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// A group's icon beside its name: its nodes' shape and colour as the viewer draws them
// (`legend()`, src/view/legend.rs), so that groups differ by more than colour.
export function shapeIcon(icon) {
  const svg = svgIcon('castline-shape', icon?.size ?? 14);
  const circle = icon?.circle;
  const node = circle
    ? svgNode('circle', { cx: String(circle.cx), cy: String(circle.cy), r: String(circle.r) })
    : svgNode('polygon', { points: (icon?.points ?? []).map(([x, y]) => `${x},${y}`).join(' ') });
  node.setAttribute('fill', HEX_COLOUR.test(icon?.fill ?? '') ? icon.fill : '#8a8f99');
  svg.append(node);
  return svg;
}

// The play button's ▶ or ❚❚.
export function playIcon(playing) {
  const svg = svgIcon('castline-icon', 12);
  const shapes = playing
    ? [['rect', { x: '2', y: '1.5', width: '3', height: '9' }], ['rect', { x: '7', y: '1.5', width: '3', height: '9' }]]
    : [['polygon', { points: '2.5,1.5 10.5,6 2.5,10.5' }]];
  for (const [tag, attrs] of shapes) svg.append(svgNode(tag, { ...attrs, fill: 'currentColor' }));
  return svg;
}

// A legend entry's collapse button's ⊖, which CSS turns into ⊕ while its group is collapsed
// (aria-pressed): a circle, a bar, and a bar across it shown only then.
export function collapseIcon() {
  const svg = svgIcon('castline-icon castline-collapse-icon', 12);
  const stroke = { fill: 'none', stroke: 'currentColor', 'stroke-width': '1.3' };
  svg.append(
    svgNode('circle', { cx: '6', cy: '6', r: '5', ...stroke }),
    svgNode('path', { d: 'M3.5 6h5', ...stroke }),
    svgNode('path', { class: 'castline-collapse-plus', d: 'M6 3.5v5', ...stroke }),
  );
  return svg;
}

// Resolves after the page has painted (the task after a frame's callbacks), so that a message
// set before it is seen and input waiting is handled; in a hidden page, which paints
// nothing, after other tasks.
export function pauseToPaint() {
  if (document.hidden) return pauseForInput();
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 50);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      pauseForInput().then(resolve);
    });
  });
}

// Resolves in a task of its own: input waiting, and a paint if one is due, come first.
// A message rather than a timer: a timer set from a timer's task waits at least 4 ms, and a
// hidden page's timers wait up to a second each.
export function pauseForInput() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
