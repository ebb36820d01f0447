'use strict';
// Loads the bundled CLI (dist/bundle/handout.cjs) with V8's code cache: Node 20 has no module
// compile cache, and compiling the 3 MB bundle's functions was a third of a cold start. The
// cache is made by `npm run build` (bin/bundle.mjs) on this machine's Node; a cache from another
// Node version or other V8 flags is rejected by V8 and the bundle is simply compiled.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { isMainThread } = require('node:worker_threads');

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'handout.cjs');
const cacheFile = `${bundle}.v8cache`;
// The file is ASCII (bin/bundle.mjs sees to it), so read as Latin-1 it becomes a one-byte
// string without a UTF-8 decoding pass.
const source = fs.readFileSync(bundle, 'latin1');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The file is one function expression: Node's CommonJS wrapper and the loader's own path, which
// the worker pool starts its threads with. Not wrapping it here spares a second copy of 3 MB.
const script = new vm.Script(source, { filename: bundle, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
if (process.env.HANDOUT_WRITE_CODE_CACHE === '1' && isMainThread) {
  // After the run, so the functions the run compiled are in the cache too.
  process.once('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(path.dirname(bundle));
script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle), __filename);
