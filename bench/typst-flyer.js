#!/usr/bin/env node
// The same flyer content through Typst (typst-ts-node-compiler), fonts from fonts/, one
// compiler reused. Usage: typst-flyer.js LOCALES PER_LOCALE — the flyer of each locale (a
// comma-separated list) made PER_LOCALE times, with a brand name that differs per document
// (so no two compilations are identical), as the 200-flyer batch does: 10 locales × 20 brands.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const s = (t) => JSON.stringify(t);
const flyer = (locale) => {
  const b = JSON.parse(fs.readFileSync(path.join(ROOT, `locales/${locale}/benefits.json`), 'utf8'));
  const areas = Object.values(b.areas)
    .map((a) => `box(fill: rgb("#eef5f5"), radius: 7pt, inset: 11pt, width: 100%)[#text(weight: "bold", size: 11.5pt, fill: rgb("#1f6f78"))[#${s(a.title)}] \\ #text(size: 9.4pt)[#${s(a.body)}]]`)
    .join(',\n  ');
  return `
#set page(paper: "a4", margin: 36pt)
#set text(font: "Noto Sans", size: 10pt, fill: rgb("#1f2933"), lang: "${locale.slice(0, 2)}")
#place(top + left, dx: -36pt, dy: -36pt, rect(width: 595pt, height: 80pt, fill: rgb("#1f6f78")))
#text(size: 18pt, weight: "bold", fill: white)[#sys.inputs.brand]
#v(24pt)
#text(size: 25pt, weight: "bold", fill: rgb("#1f6f78"))[#${s(b.title)}]
#text(size: 12.5pt, fill: rgb("#2f5d62"))[#${s(b.tagline)}]

#text(size: 10.2pt)[#${s(b.intro)}]
#text(size: 14.5pt, weight: "bold", fill: rgb("#1f6f78"))[#${s(b.areasTitle)}]
#grid(columns: 2, gutter: 12pt,
  ${areas}
)
#grid(columns: 2, gutter: 18pt,
  [#text(size: 14.5pt, weight: "bold", fill: rgb("#1f6f78"))[#${s(b.parents.title)}]
   #set text(size: 9.4pt)
   ${b.parents.points.map((p) => `- #${s(p)}`).join('\n   ')}],
  [#text(size: 14.5pt, weight: "bold", fill: rgb("#1f6f78"))[#${s(b.family.title)}]
   #text(size: 9.4pt)[#${s(b.family.body)}]]
)
#text(size: 8.8pt)[#${s(b.moreInfo.body)} #${s(b.moreInfo.web)}]
`;
};
const compiler = NodeCompiler.create({ workspace: ROOT, fontArgs: [{ fontPaths: [path.join(ROOT, 'fonts')] }] });
const make = (source, i) => {
  const doc = compiler.compile({ mainFileContent: source, inputs: { brand: `Family Clinic ${i}` } });
  if (!doc.result) throw new Error(JSON.stringify(compiler.fetchDiagnostics(doc.takeDiagnostics())));
  return compiler.pdf(doc.result);
};
const locales = (process.argv[2] ?? 'en').split(',');
const perLocale = Number(process.argv[3] ?? 50);
const sources = locales.map(flyer);
make(sources[0], 0);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let bytes = 0;
for (const source of sources) for (let i = 1; i <= perLocale; i++) bytes += make(source, i).length;
const n = sources.length * perLocale;
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const ms = wall / n;
console.log(`${ms.toFixed(1)} ms/doc (${(1000 / ms).toFixed(1)} docs/s, ${Math.round(bytes / n / 1024)} KB; CPU ${(cpuMs / n).toFixed(1)} ms/doc, ${(cpuMs / wall).toFixed(2)} cores busy)`);
