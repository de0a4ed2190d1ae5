// Classic WebDriver can neither run a script before a page's own nor read the browser's
// console, and WebKitGTK prints no console messages while automation controls it. So the
// WebKit suite reaches `castline serve` through this small proxy, which passes every request
// and response through unchanged (status, headers, and so the Content-Security-Policy) except
// that it puts one external script, PROBE_PATH, first into the <head> of each HTML page. That
// script is allowed by the page's own policy ('self'), loosens nothing, and records from the
// very start what the page must never do: CSP violations (`securitypolicyviolation`), uncaught
// errors and unhandled rejections, resources that fail to load, and console.error/warn calls.
// window.__castlineProbe holds them; problems(session) reads them.
//
// `files` adds test data under the server's own paths (as if it were in data/), so that
// ?data= can name it.

import http from 'node:http';

export const PROBE_PATH = '/__castline_probe.js';

const PROBE = `(() => {
  if (window.__castlineProbe) return;
  const problems = [];
  Object.defineProperty(window, '__castlineProbe', { value: problems });
  document.addEventListener('securitypolicyviolation', (e) => {
    problems.push('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)')
      + ' in ' + e.sourceFile + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''));
  }, true);
  window.addEventListener('error', (e) => {
    const t = e.target;
    if (t && t !== window && t.tagName) problems.push('failed to load <' + t.tagName.toLowerCase() + '> ' + (t.src || t.href || ''));
    else problems.push('uncaught error: ' + e.message + ' at ' + e.filename + ':' + e.lineno + ':' + e.colno);
  }, true);
  window.addEventListener('unhandledrejection', (e) => {
    problems.push('unhandled rejection: ' + (e.reason && (e.reason.stack || e.reason.message) || e.reason));
  });
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = function (...args) {
      problems.push('console.' + level + ': ' + args.map((a) => (a && a.stack) || String(a)).join(' '));
      return original.apply(this, args);
    };
  }
})();
`;

/**
 * Starts the proxy in front of `target` (a URL ending in /); resolves to { url, close }.
 */
export async function startProbeProxy(target, { files = {} } = {}) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path === PROBE_PATH) {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'access-control-allow-origin': '*',
        'cache-control': 'no-store',
      });
      res.end(PROBE);
      return;
    }
    if (req.method === 'GET' && files[path] !== undefined) {
      const { type, body } = files[path];
      res.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    const headers = { ...req.headers };
    delete headers['accept-encoding']; // so an HTML body arrives as text to add the probe to
    const forward = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers,
    }, (answer) => {
      const type = answer.headers['content-type'] ?? '';
      if (!type.startsWith('text/html') || req.method !== 'GET') {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const html = Buffer.concat(chunks).toString('utf8');
        const tag = `<script src="${PROBE_PATH}"></script>`;
        const probed = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}${tag}`) : `${tag}${html}`;
        const out = { ...answer.headers };
        delete out['content-length'];
        delete out['transfer-encoding'];
        out['content-length'] = String(Buffer.byteLength(probed));
        res.writeHead(answer.statusCode, out);
        res.end(probed);
      });
    });
    forward.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(resolve);
    }),
  };
}

/**
 * What the probe recorded in the current browsing context (the top page, or the frame the
 * session switched to); null when the probe is not there, which counts as a problem too.
 */
export async function problems(session) {
  const found = await session.execute('return window.__castlineProbe ? [...window.__castlineProbe] : null');
  return found ?? ['the probe did not run in this page: its scripts were refused (by the CSP?), or it was not served through the proxy'];
}
