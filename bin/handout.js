#!/usr/bin/env node
// The CLI is one bundled file, loaded with a V8 code cache: see bin/load-bundle.cjs.
import './load-bundle.cjs';
