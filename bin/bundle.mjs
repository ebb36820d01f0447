// Part of `npm run build`, after tsc: bundles dist/ into dist/bundle/handout.cjs (one file loads
// far faster than a module graph), copies the data pdfkit reads at run time, and makes the V8
// code cache bin/load-bundle.cjs uses, by building two sample flyers in a throw-away project.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BUILD_ID_PLACEHOLDER = 'handout-build-id-placeholder';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/bundle');
fs.rmSync(OUT, { recursive: true, force: true });
const output = await build({
  entryPoints: [path.join(ROOT, 'dist/cli/entry.js')],
  outfile: path.join(OUT, 'handout.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Modules that locate files through import.meta.url find them next to the bundle.
  // The build's identity, filled in below once the bundle's text is known.
  define: { 'import.meta.url': '__import_meta_url', __HANDOUT_BUILD_ID__: JSON.stringify(BUILD_ID_PLACEHOLDER) },
  // See src/cli/string-width.ts: the package costs every start ~25 ms for emoji tables.
  alias: {
    'string-width': path.join(ROOT, 'dist/cli/string-width.js'),
    // See src/fonts/brotli-decompress.ts: Node's own Brotli instead of a 1.4 MB JavaScript one.
    'brotli/decompress.js': path.join(ROOT, 'dist/fonts/brotli-decompress.js'),
    // Work every start did for nothing; each file says what and why.
    'tiny-inflate': path.join(ROOT, 'bin/bundle-shims/tiny-inflate.cjs'),
    'source-map': path.join(ROOT, 'bin/bundle-shims/no-source-map.cjs'),
    '@noble/ciphers/aes': path.join(ROOT, 'bin/bundle-shims/lazy-aes.cjs'),
  },
  // bin/load-bundle.cjs compiles the file as it is, so it starts with Node's CommonJS wrapper
  // (the source on line 1 as in Node's own), plus the loader's path, which the worker pool
  // starts its threads with.
  banner: {
    js: "(function (exports, require, module, __filename, __dirname, __handout_loader) {const __import_meta_url = require('node:url').pathToFileURL(__filename).href;",
  },
  footer: { js: '})' },
  write: false,
});
// V8 keeps a script's source in memory as long as its functions live, one byte a character when
// every character is ASCII and two otherwise. esbuild escapes what is not ASCII in strings,
// regular expressions and names but leaves comments as written, and a few comments in the
// dependencies hold a dash or an apostrophe; escaping those too keeps the 3 MB source one byte a
// character (in every worker thread as well). \uXXXX means the same in every place it can occur.
const [bundle] = output.outputFiles;
fs.mkdirSync(OUT, { recursive: true });
const ascii = bundle.text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// A hash of the code itself: the build cache treats outputs of another build of the same version
// as stale, since any change to the code may change the bytes it writes.
const buildId = createHash('sha256').update(ascii).digest('hex').slice(0, 16);
fs.writeFileSync(bundle.path, ascii.replaceAll(JSON.stringify(BUILD_ID_PLACEHOLDER), JSON.stringify(buildId)));
fs.cpSync(path.join(ROOT, 'node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc'), path.join(OUT, 'data/sRGB_IEC61966_2_1.icc'));

// Hyphenation patterns as JSON, which loads faster than the package's JavaScript (see
// src/text/hyphenate.ts); the bundle and the compiled modules both find them in dist/hyphen/.
const { PATTERN_SETS, PATTERNS_JSON } = await import(path.join(ROOT, 'dist/text/hyphenate.js'));
const require = createRequire(import.meta.url);
fs.rmSync(PATTERNS_JSON, { recursive: true, force: true });
fs.mkdirSync(PATTERNS_JSON, { recursive: true });
for (const name of PATTERN_SETS) fs.writeFileSync(new URL(`${name}.json`, PATTERNS_JSON), JSON.stringify(require(`hyphen/patterns/${name}.js`)));

// The code cache: what a real build compiles (left-to-right and right-to-left text, SVG logo, QR).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-code-cache-'));
try {
  for (const d of ['templates', 'brands', 'data']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  for (const l of ['en', 'ar']) fs.cpSync(path.join(ROOT, 'locales', l), path.join(dir, 'locales', l), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'fonts'), path.join(dir, 'fonts'));
  fs.copyFileSync(path.join(ROOT, 'handout.config.yaml'), path.join(dir, 'handout.config.yaml'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/handout.js'), 'build', '--root', dir, '-t', 'flyer', '-b', 'sunrise-clinic', '-q', '-j', '1'], {
    env: { ...process.env, HANDOUT_WRITE_CODE_CACHE: '1' },
    encoding: 'utf8',
  });
  // No cache is no failure: the CLI compiles the bundle instead.
  if (r.status !== 0) console.warn(`bundle: no code cache (${(r.stderr || r.stdout).trim().split('\n')[0]})`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
