#!/usr/bin/env node
// The floor of this stack: the English flyer drawn with pdfkit's own text layout, font files
// read once (pdfkit still parses them per document). No bidi, no fallback, no fitting.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const b = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/benefits.json'), 'utf8'));
const regular = fs.readFileSync(path.join(ROOT, 'fonts/NotoSans-Regular.ttf'));
const bold = fs.readFileSync(path.join(ROOT, 'fonts/NotoSans-Bold.ttf'));
const logo = fs.readFileSync(path.join(ROOT, 'brands/default/logo.png'));

function flyer() {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', margin: 36, info: { CreationDate: new Date(0) } });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('R', regular);
    doc.registerFont('B', bold);
    doc.rect(0, 0, 595, 80).fill('#1f6f78');
    doc.image(logo, 36, 17, { height: 46 });
    doc.font('B').fontSize(18).fillColor('#ffffff').text('Infant Massage Class', 96, 30);
    doc.font('B').fontSize(25).fillColor('#1f6f78').text(b.title, 36, 100);
    doc.font('R').fontSize(12.5).fillColor('#2f5d62').text(b.tagline);
    doc.font('R').fontSize(10.2).fillColor('#1f2933').text(b.intro, { width: 523 });
    doc.font('B').fontSize(14.5).fillColor('#1f6f78').text(b.areasTitle);
    const areas = Object.values(b.areas);
    areas.forEach((a, i) => {
      const x = 36 + (i % 2) * 267;
      const y = 330 + Math.floor(i / 2) * 130;
      doc.roundedRect(x, y, 256, 120, 7).fill('#eef5f5');
      doc.font('B').fontSize(11.5).fillColor('#1f6f78').text(a.title, x + 11, y + 11, { width: 234 });
      doc.font('R').fontSize(9.4).fillColor('#1f2933').text(a.body, { width: 234 });
    });
    doc.font('B').fontSize(14.5).fillColor('#1f6f78').text(b.parents.title, 36, 600);
    doc.font('R').fontSize(9.4).fillColor('#1f2933').list(b.parents.points, { width: 250 });
    doc.font('B').fontSize(14.5).fillColor('#1f6f78').text(b.family.title, 310, 600);
    doc.font('R').fontSize(9.4).fillColor('#1f2933').text(b.family.body, { width: 250 });
    doc.font('R').fontSize(8.8).text(`${b.moreInfo.body} ${b.moreInfo.web}`, 36, 760, { width: 523 });
    doc.end();
  });
}

const n = Number(process.argv[2] ?? 50);
await flyer();
const t0 = performance.now();
for (let i = 0; i < n; i++) await flyer();
const ms = (performance.now() - t0) / n;
console.log(`${ms.toFixed(1)} ms/doc (${(1000 / ms).toFixed(1)} docs/s)`);
