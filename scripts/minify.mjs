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

// A stylesheet as `make dist` ships it: comments dropped and runs of white space made one, none
// left beside `{`, `}` or `;` (about a third of castline.css's brotli bytes). Quoted strings are
// kept as written; nothing else is touched (a space before `:` can be a descendant selector).
export function minifyStyle(text) {
  return text
    .replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\/\*[\s\S]*?\*\/|\s+/g, (m, quoted) => quoted ?? (m.startsWith('/*') ? '' : ' '))
    .replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\s*([{};])\s*/g, (m, quoted, c) => quoted ?? c)
    .trim();
}
