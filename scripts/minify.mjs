// The scripts as `make dist` ships them: minified by terser (npm, installed by `npm ci`), as
// wasm-opt shrinks the wasm, so that a newsroom's copy is smaller than the source that
// `make run` serves (issue 6). bench/size.mjs measures both with this same function.

let minifier;

// terser, or null when `npm ci` has not installed it: the scripts then ship as written.
export async function loadMinifier() {
  if (minifier === undefined) {
    try {
      minifier = (await import('terser')).minify;
    } catch {
      minifier = null;
    }
  }
  return minifier;
}

// `file` is the path under www/. Modules (every script but embed.js, a classic script for
// any CMS) may have their top-level names shortened; no option makes code that needs eval,
// so the pages keep their Content-Security-Policy.
export async function minifyScript(text, file) {
  const minify = await loadMinifier();
  if (!minify) return null;
  const module = !file.endsWith('embed.js');
  const { code } = await minify(text, {
    module,
    ecma: 2022,
    compress: { passes: 2 },
    format: { comments: false },
  });
  return code;
}

// A page as `make dist` ships it: its comments dropped, but for the marks `castline publish`
// fills in (`<!--castline-…-->`, the stand-in's place).
export function minifyPage(text) {
  return text.replace(/<!--(?!castline-)[\s\S]*?-->\n?/g, '');
}

// A stylesheet as `make dist` ships it: comments dropped, runs of white space made one, none
// left beside `{`, `}` or `;`, nor after a declaration's `:` or beside a value's commas (about
// two fifths of castline.css's brotli bytes). Quoted strings are kept as written; a selector's
// spaces are (a space before `:` can be a descendant selector).
export function minifyStyle(text) {
  const strings = [];
  return text
    // Comments and strings in one pass, whichever starts first: an apostrophe in a comment
    // opens no string.
    .replace(/\/\*[\s\S]*?\*\/|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g,
      (m) => (m.startsWith('/*') ? '' : `\u0000${strings.push(m) - 1}\u0000`))
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};])\s*/g, '$1')
    // Innermost blocks hold declarations only.
    .replace(/\{([^{}]*)\}/g, (m, body) => `{${body.replace(/:\s+/g, ':').replace(/\s*,\s*/g, ',')}}`)
    .trim()
    .replace(/\u0000(\d+)\u0000/g, (m, i) => strings[Number(i)]);
}
