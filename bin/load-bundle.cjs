'use strict';
// Loads the bundled CLI (dist/bundle/handout.cjs) with V8's code cache: Node 20 has no module
// compile cache, and compiling the 4 MB bundle's functions was a third of a cold start. The
// cache is made by `npm run build` (bin/bundle.mjs) on this machine's Node; a cache from another
// Node version or other V8 flags is rejected by V8 and the bundle is simply compiled.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { isMainThread } = require('node:worker_threads');

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'handout.cjs');
const cacheFile = `${bundle}.v8cache`;
const source = fs.readFileSync(bundle, 'utf8');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// Same shape as Node's CommonJS wrapper (source starts on line 1), plus the loader's own path,
// which the worker pool starts its threads with.
const wrapper = `(function (exports, require, module, __filename, __dirname, __handout_loader) {${source}\n})`;
const script = new vm.Script(wrapper, { filename: bundle, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
if (process.env.HANDOUT_WRITE_CODE_CACHE === '1' && isMainThread) {
  // After the run, so the functions the run compiled are in the cache too.
  process.once('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(path.dirname(bundle));
script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle), __filename);
