// Numbers, lists and dates as a reader reads them, for the page's sentences.

// A quote that itself opens with a quoted word ("“bluntly” told …") keeps its own marks.
export function quoted(text) {
  return /^[“"‘']/.test(text) ? text : `“${text}”`;
}

// A count as a reader reads it: "200,000", not "200000". Whole numbers are grouped here rather
// than by toLocaleString, whose first call loads the locale's number formats (tens of ms on a
// phone, in the page's start).
export function count(n) {
  const value = Number(n);
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en');
  return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function plural(n, one, many) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function listInWords(items, last = 'and') {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

// "2025-11-26" reads better as "26 Nov 2025"; anything else is shown as written.
export function publishedInWords(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (!m) return String(value);
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (Number.isNaN(date.getTime())) return String(value);
  // en-GB's short date ("5 Sept 2025"), written out: the locale's date formats take long to
  // load the first time, in the page's start.
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

// An ISO date or time from the viewer, in words: "17 Nov 2025", "17 Nov 2025 06:00 UTC".
function isoInWords(value) {
  const text = String(value);
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?/.exec(text);
  if (!m) return text;
  const day = publishedInWords(m[1]);
  return m[2] && `${m[2]}:${m[3]}` !== '00:00' ? `${day} ${m[2]}:${m[3]} UTC` : day;
}

// The viewer writes an open end of the time window as "..".
export function windowInWords([start, end]) {
  const open = (value) => value === null || value === undefined || value === '..';
  if (open(start)) return `until ${isoInWords(end)}`;
  if (open(end)) return `from ${isoInWords(start)}`;
  return `from ${isoInWords(start)} to ${isoInWords(end)}`;
}

// A file name's stem from a story's title: "How the plan was drafted" → "how-the-plan-was-drafted"
// (the downloads' names, and the file make.html asks a reporter to put in data/).
export function fileStem(title) {
  return (title ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'castline';
}
