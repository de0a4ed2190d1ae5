// Where the two wasm builds are (shell/wasm.js loads them). This module sits at the page's
// root so that `import.meta.url` finds them the same whether the scripts are served as they
// are or bundled by `make dist` (scripts/dist.mjs), whose bundles sit at the root too.
// (The paths are written out whole so that `castline publish` can hash them.)

export const BUILDS = {
  lite: { glue: new URL('pkg/castline.js', import.meta.url).href, wasm: new URL('pkg/castline_bg.wasm', import.meta.url).href },
  full: { glue: new URL('pkg/castline_full.js', import.meta.url).href, wasm: new URL('pkg/castline_full_bg.wasm', import.meta.url).href },
};
