#!/usr/bin/env node
// The CLI is bundled (one file loads faster than a module graph); see "build" in package.json.
import "../dist/bundle/main.js";
