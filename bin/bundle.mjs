// Part of `npm run build`, after tsc: bundles dist/ into dist/bundle/handout.cjs (one file loads
// far faster than a module graph), copies the data pdfkit reads at run time, and makes the V8
// code cache bin/load-bundle.cjs uses, by building two sample flyers in a throw-away project.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/bundle');
fs.rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [path.join(ROOT, 'dist/cli/entry.js')],
  outfile: path.join(OUT, 'handout.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Modules that locate files through import.meta.url find them next to the bundle.
  define: { 'import.meta.url': '__import_meta_url' },
  // See src/cli/string-width.ts: the package costs every start ~25 ms for emoji tables.
  alias: { 'string-width': path.join(ROOT, 'dist/cli/string-width.js') },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
fs.cpSync(path.join(ROOT, 'node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc'), path.join(OUT, 'data/sRGB_IEC61966_2_1.icc'));

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
