// Stands in for `source-map` in the bundle (bin/bundle.mjs aliases it). Handlebars builds every
// template's code through source-map's SourceNode when the package is there, and through a plain
// string builder of its own when it is not; the code is the same, and we never ask for a map.
'use strict';
module.exports = {};
