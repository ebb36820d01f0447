import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers.js';

/**
 * Visual regression: page 1 of representative outputs rendered (pdf.js) and compared with
 * golden PNGs in tests/golden. Refresh them on purpose with `npm run golden` and look at the
 * new images before committing them.
 */
const GOLDEN = path.join(ROOT, 'tests/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** A pixel differs when a channel moves by more than this; a page fails past MAX_DIFF of them. */
const CHANNEL = 40;
const MAX_DIFF = 0.002;

const cases = [
  { name: 'en-flyer', args: ['-t', 'flyer', '-l', 'en', '-b', 'default'], file: 'default/en/flyer.pdf' },
  { name: 'ar-flyer', args: ['-t', 'flyer', '-l', 'ar', '-b', 'sunrise-clinic'], file: 'sunrise-clinic/ar/flyer.pdf' },
  { name: 'de-class-handout', args: ['-t', 'class-handout', '-l', 'de', '-b', 'default'], file: 'default/de/class-handout.pdf' },
  { name: 'en-class-handout-2up', args: ['-t', 'class-handout', '-l', 'en', '-b', 'sunrise-clinic', '--2up'], file: 'sunrise-clinic/en/class-handout.pdf' },
];

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-visual-'));

async function render(pdf: Uint8Array): Promise<Uint8Array> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const shot = await parser.getScreenshot({ partial: [1], desiredWidth: 420, imageBuffer: true, imageDataUrl: false });
    return shot.pages[0]!.data;
  } finally {
    await parser.destroy();
  }
}

async function pixels(png: Uint8Array) {
  const img = await loadImage(Buffer.from(png));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, data: ctx.getImageData(0, 0, img.width, img.height).data };
}

beforeAll(async () => {
  for (const c of cases) {
    const r = await cli(['build', '-q', '--force', '--out', path.join(out, c.name), ...c.args]);
    expect(r.code).toBe(0);
  }
}, 120_000);

describe('visual regression', () => {
  it.each(cases)('$name matches its golden rendering', async (c) => {
    const png = await render(fs.readFileSync(path.join(out, c.name, c.file)));
    const golden = path.join(GOLDEN, `${c.name}.png`);
    if (UPDATE || !fs.existsSync(golden)) {
      if (!UPDATE) throw new Error(`no golden image ${golden}: run npm run golden`);
      fs.mkdirSync(GOLDEN, { recursive: true });
      fs.writeFileSync(golden, png);
      return;
    }
    const [a, b] = [await pixels(png), await pixels(fs.readFileSync(golden))];
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    let differing = 0;
    for (let i = 0; i < a.data.length; i += 4) {
      if (Math.max(Math.abs(a.data[i]! - b.data[i]!), Math.abs(a.data[i + 1]! - b.data[i + 1]!), Math.abs(a.data[i + 2]! - b.data[i + 2]!)) > CHANNEL) differing++;
    }
    const ratio = differing / (a.width * a.height);
    if (ratio > MAX_DIFF) fs.writeFileSync(path.join(out, `${c.name}-actual.png`), png);
    expect(ratio, `${(ratio * 100).toFixed(2)}% of pixels differ (actual saved in ${out})`).toBeLessThanOrEqual(MAX_DIFF);
  });
});
