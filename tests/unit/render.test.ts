import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { DiskMemory } from '../../src/batch/disk-memory.js';
import { createMemoryIo } from '../../src/io/memory-io.js';
import { trueTypeSource, TrueTypeSubset } from '../../src/render/truetype-subset.js';
import { layoutParagraph } from '../../src/text/paragraph.js';
import { imageMatrix, renderPdf } from '../../src/render/painter.js';
import { imageSize } from '../../src/layout/image-size.js';
import { HandoutDocument } from '../../src/render/pdf-document.js';
import { deflateKept } from '../../src/render/deflate-kept.js';
import { greyLevel, prepareImage } from '../../src/render/pdf-images.js';
import decodeJpeg from 'jpeg-js/lib/decoder.js';
import encodeJpeg from 'jpeg-js/lib/encoder.js';
import type { HandoutError } from '../../src/model/diagnostic.js';
import { deflateSync, inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { Box, LayoutDoc } from '../../src/model/layout.js';
import { hasTool, streams } from '../pdf-inspect.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { fold, fonts, pdfText, ROOT, style } from '../helpers.js';
import { FontRegistry } from '../../src/fonts/registry.js';

type Font = fontkit.Font & { stream: { buffer: Uint8Array }; directory: { tables: Record<string, { offset: number; length: number }> } };

const open = (file: string): Font => fontkit.create(fs.readFileSync(path.join(ROOT, 'fonts', file))) as Font;

describe('TrueType subsetting', () => {
  // Composite glyphs (accented Latin and Vietnamese letters), Arabic joining forms, Devanagari conjuncts.
  const cases: [string, string][] = [
    ['NotoSans-Regular.ttf', 'Lợi ích của massage — Äpfel, façade, ŁÓDŹ'],
    ['NotoNaskhArabic-Regular.ttf', 'فوائد تدليك الرضع'],
    ['NotoSansDevanagari-Regular.ttf', 'शिशु मालिश के फ़ायदे'],
  ];
  for (const [file, text] of cases) {
    it(`keeps every outline and advance of the glyphs of "${text}" (${file})`, () => {
      const font = open(file);
      const before = Buffer.from(font.stream.buffer);
      const glyphs = font.layout(text).glyphs;
      const subset = new TrueTypeSubset(trueTypeSource(font.stream.buffer, font.directory.tables)!);
      const ids = glyphs.map((g) => subset.includeGlyph(g.id));
      const out = fontkit.create(Buffer.from(subset.encode())) as Font;
      expect(out.numGlyphs).toBeLessThan(font.numGlyphs / 10);
      glyphs.forEach((g, i) => {
        const copy = out.getGlyph(ids[i]!);
        expect(copy.path.toSVG()).toBe(g.path.toSVG());
        expect(copy.advanceWidth).toBe(g.advanceWidth);
      });
      // Composite glyphs were renumbered in a copy, never in the font being read.
      expect(Buffer.compare(before, Buffer.from(font.stream.buffer))).toBe(0);
    });
  }

  it('numbers glyphs in inclusion order, .notdef first, and gives the same bytes for the same glyphs', () => {
    const font = open('NotoSans-Bold.ttf');
    const make = () => {
      const s = new TrueTypeSubset(trueTypeSource(font.stream.buffer, font.directory.tables)!);
      return [s.includeGlyph(50), s.includeGlyph(40), s.includeGlyph(50), s.encode()] as const;
    };
    const [a, b, again, bytes] = make();
    expect([a, b, again]).toEqual([1, 2, 1]);
    expect(Buffer.from(make()[3]).equals(Buffer.from(bytes))).toBe(true);
  });

  it('is not used for CFF fonts (the CJK collection)', () => {
    const font = fontkit.create(fs.readFileSync(path.join(ROOT, 'fonts/NotoSansCJK-Regular.ttc')), 'NotoSansCJKsc-Regular') as Font;
    expect(trueTypeSource(font.stream.buffer, font.directory.tables)).toBeNull();
  });
});

describe('paragraph cache', () => {
  it('lays out a paragraph once for all colours, and gives each caller its own colour', () => {
    const text = 'Gentle, regular massage deepens the bond between parent and baby.';
    const red = { hex: '#9c3d2b' };
    const blue = { hex: '#1f6f78' };
    const a = layoutParagraph([{ text, style: style('en', { color: red }) }], { width: 200, align: 'start', dir: 'ltr' }, fonts());
    const b = layoutParagraph([{ text, style: style('en', { color: blue }) }], { width: 200, align: 'start', dir: 'ltr' }, fonts());
    expect(a.lines.length).toBeGreaterThan(1);
    expect(b.lines.map((l) => l.runs.map((r) => [r.x, r.text, r.glyphs]))).toEqual(a.lines.map((l) => l.runs.map((r) => [r.x, r.text, r.glyphs])));
    expect(a.lines.flatMap((l) => l.runs.map((r) => r.color.hex))).toSatisfy((cs: string[]) => cs.every((c) => c === red.hex));
    expect(b.lines.flatMap((l) => l.runs.map((r) => r.color.hex))).toSatisfy((cs: string[]) => cs.every((c) => c === blue.hex));
    // Two spans in one colour share a run; in two colours they do not.
    const two = (c2: { hex: string }) =>
      layoutParagraph([{ text: 'Call ', style: style('en', { color: red }) }, { text: 'today', style: style('en', { color: c2 }) }], { width: 500, align: 'start', dir: 'ltr' }, fonts()).lines[0]!.runs.length;
    expect(two({ hex: red.hex })).toBe(1);
    expect(two(blue)).toBe(2);
  });
});

describe('text memory between runs', () => {
  const codec = { encode: (v: number[]) => v, decode: (v: unknown) => v as number[] };

  it('keeps a table per identity, written at save and read back by the next run', () => {
    const io = createMemoryIo('/p');
    const first = new DiskMemory(io, true);
    first.table(['hyphen', '1.0', 'en-gb'], codec)!.set('massage', [3]);
    expect(io.files.size).toBe(0); // nothing written before the run ends
    first.save();
    expect(io.files.size).toBe(1);
    const next = new DiskMemory(io, true);
    expect(next.table(['hyphen', '1.0', 'en-gb'], codec)!.get('massage')).toEqual([3]);
    // Another library version, another table: old results are never used.
    expect(next.table(['hyphen', '1.1', 'en-gb'], codec)!.get('massage')).toBeUndefined();
    // An identity that cannot be named (unknown version) gets no table.
    expect(next.table(['hyphen', null, 'en-gb'], codec)).toBeNull();
  });

  it('treats an unreadable file as empty, and a worker (read-only) writes nothing', () => {
    const io = createMemoryIo('/p');
    const m = new DiskMemory(io, true);
    m.table(['t'], codec)!.set('k', [1]);
    m.save();
    const [file] = [...io.files.keys()];
    io.files.set(file!, new TextEncoder().encode('{"format": 1, "entr'));
    const again = new DiskMemory(io, false);
    const t = again.table(['t'], codec)!;
    expect(t.get('k')).toBeUndefined();
    t.set('k', [2]);
    again.save();
    expect(new TextDecoder().decode(io.files.get(file!))).toBe('{"format": 1, "entr');
  });
});

describe('embedded fonts', () => {
  const doc = (lines: string[], italic = false): LayoutDoc => {
    const boxes: Box[] = lines.flatMap((text, i) =>
      layoutParagraph([{ text, style: { ...style('en'), italic } }], { width: 400, align: 'start', dir: 'ltr' }, fonts()).lines[0]!.runs.map((r) => ({ ...r, x: 40 + r.x, y: 60 + 20 * i })),
    );
    return {
      meta: { title: 't', author: 'a', subject: 's', keywords: [], lang: 'en', dir: 'ltr' },
      pages: [{ width: 595.28, height: 841.89, boxes }],
      structure: [],
      fit: { scale: 1, area: 0, room: 0 },
    };
  };
  const render = (d: LayoutDoc) => renderPdf(d, { date: new Date(0), producer: 'test' });

  it('number CIDs by glyph, so the same glyphs in another order give the same font objects', async () => {
    const a = await render(doc(['Sunrise Clinic', 'Infant massage']));
    const b = await render(doc(['Infant massage', 'Clinic Sunrise']));
    const fontStreams = (pdf: Uint8Array) => streams(pdf).filter((s) => !/\bTJ\b/.test(s));
    expect(fontStreams(a).length).toBeGreaterThanOrEqual(2); // the font program and its ToUnicode map
    expect(fontStreams(b)).toEqual(fontStreams(a));
    // The content differs, and each copies out as written.
    expect(fold(await pdfText(a))).toContain(fold('Sunrise Clinic Infant massage'));
    expect(fold(await pdfText(b))).toContain(fold('Infant massage Clinic Sunrise'));
  });

  it('describe each face from its own post and hmtx tables', async () => {
    const descriptor = async (italic: boolean) => {
      const raw = Buffer.from(await render(doc(['Gentle touch'], italic))).toString('latin1');
      const d = /\/Type \/FontDescriptor([\s\S]*?)>>/.exec(raw)![1]!;
      const num = (key: string) => Number(new RegExp(`/${key} (-?[\\d.]+)`).exec(d)![1]);
      // W starts with CID 0, .notdef, at its advance in 1/1000 em.
      return { angle: num('ItalicAngle'), flags: num('Flags'), notdef: Number(/\/W \[0 \[(\d+)/.exec(raw)![1]) };
    };
    const face = (file: string) => {
      const f = open(file);
      return { angle: f.italicAngle, notdef: Math.round((f.getGlyph(0).advanceWidth * 1000) / f.unitsPerEm) };
    };
    const upright = await descriptor(false);
    const italic = await descriptor(true);
    expect(face('NotoSans-Italic.ttf').angle).toBe(-12);
    expect(italic).toEqual({ ...face('NotoSans-Italic.ttf'), flags: 4 | 64 });
    expect(upright).toEqual({ ...face('NotoSans-Regular.ttf'), flags: 4 });
  });
});

describe('simulated bold', () => {
  it('strokes the glyphs drawn as outlines as it strokes the text around them', async () => {
    // Only the regular face: bold Bengali is simulated, and the vowel sign ো, drawn in two
    // parts around its consonant, has one part painted as an outline apart from the text.
    const io = createMemoryIo('/p', { 'fonts/NotoSansBengali-Regular.ttf': fs.readFileSync(path.join(ROOT, 'fonts/NotoSansBengali-Regular.ttf')) });
    const registry = new FontRegistry(io);
    const [line] = layoutParagraph([{ text: 'মায়ের কোলে', style: style('bn', { bold: true }) }], { width: 400, align: 'start', dir: 'ltr' }, registry).lines;
    expect(line!.runs.every((r) => r.fakeBold)).toBe(true);
    const pdf = await renderPdf(
      { meta: { title: 't', author: 'a', subject: 's', keywords: [], lang: 'bn', dir: 'ltr' }, pages: [{ width: 300, height: 100, boxes: line!.runs.map((r) => ({ ...r, x: 20 + r.x, y: 40 })) }], structure: [], fit: { scale: 1, area: 0, room: 0 } },
      { date: new Date(0), producer: 'test' },
    );
    const content = streams(pdf).find((s) => /\bTJ\b/.test(s))!;
    expect(content).toContain('2 Tr');
    // Every outline is filled and stroked (B), 0.04 em wide as the text's stroke: none only filled.
    // An outline: its placement, then path operators, then how it is painted.
    const outlines = [...content.matchAll(/ cm\n(\S+ w\n)?(?:(?:[-\d. ]+ [mlc]|h)\n)+([fB])\nQ/g)];
    expect(outlines.length).toBeGreaterThan(0);
    // Each is filled and stroked (B), 0.04 em wide as the text's stroke: none only filled.
    for (const [, width, paint] of outlines) expect([width, paint]).toEqual(['40 w\n', 'B']);
  });
});

describe('SVG logos', () => {
  it('draws a group with opacity into a form of its own, whose resources hold its opacity state', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100"><g opacity="0.5"><rect width="100" height="100" fill="#1f6f78"/></g></svg>';
    const pdf = await renderPdf(
      { meta: { title: 't', author: 'a', subject: 's', keywords: [], lang: 'en', dir: 'ltr' }, pages: [{ width: 200, height: 200, boxes: [{ kind: 'svg', x: 50, y: 50, w: 100, h: 100, src: 'brands/x/logo.svg', svg, alt: 'logo' }] }], structure: [], fit: { scale: 1, area: 0, room: 0 } },
      { date: new Date(0), producer: 'test' },
    );
    // The page draws the form; the form's own stream draws the shape under the group's state.
    // That state had been written into the page's content, whose resources lack it.
    const page = streams(pdf).find((st) => /\/G1 Do/.test(st))!;
    const form = streams(pdf).find((st) => /\bre\b|\bl\n/.test(st) && !/\/G1 Do/.test(st))!;
    const states = (st: string) => [...st.matchAll(/\/(Gs\d+) gs/g)].map((m) => m[1]);
    expect(states(form).length).toBeGreaterThan(0);
    for (const name of states(form)) expect(states(page)).not.toContain(name);
    if (hasTool('pdftoppm')) {
      const prefix = path.join(os.tmpdir(), `handout-svg-group-${process.pid}`);
      const run = spawnSync('pdftoppm', ['-r', '10', '-png', '-singlefile', '-', prefix], { input: Buffer.from(pdf) });
      fs.rmSync(`${prefix}.png`, { force: true });
      expect(run.status).toBe(0);
      expect(run.stderr.toString()).toBe('');
    }
  });
});

describe('pdfkit document as the painter drives it', () => {
  const draw = (doc: PDFKit.PDFDocument) => {
    doc.addPage({ size: [200, 100], margin: 0 });
    doc.rect(10, 10, 50, 20).fill('#336699');
    doc.end();
  };
  const options = { autoFirstPage: false, compress: false, font: null as unknown as string, info: { CreationDate: new Date(0) } };

  it('gathers the same bytes pdfkit streams', async () => {
    const plain = new PDFDocument(options);
    const chunks: Buffer[] = [];
    plain.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => plain.on('end', resolve));
    draw(plain);
    await ended;
    const doc = new HandoutDocument(options);
    const output = doc.collectOutput();
    draw(doc);
    expect(Buffer.from(await output).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('captures content operators, nested captures each their own, and records opacity states', () => {
    const doc = new HandoutDocument(options);
    doc.addPage({ size: [200, 100], margin: 0 });
    let inner: string[] = [];
    const outer = doc.capture(() => {
      doc.addContent('1 0 0 RG');
      inner = doc.capture(() => doc.addContent('0 0 m'));
      doc.addContent('S');
    });
    expect(outer).toEqual(['1 0 0 RG', 'S']);
    expect(inner).toEqual(['0 0 m']);
    const states: [number | null, number | null][] = [];
    doc.recordOpacities(states, () => {
      doc.fillOpacity(0.5);
      doc.fillOpacity(0.5); // the same state again: pdfkit reuses it, nothing new to record
      doc.strokeOpacity(0.25);
    });
    expect(states).toEqual([[0.5, null], [null, 0.25]]);
  });

  it('compresses what caches keep into memory of its own size', () => {
    const text = 'beginbfchar <0001> <0048> endbfchar '.repeat(20);
    const kept = deflateKept(text);
    expect(kept.byteLength).toBeLessThan(text.length);
    expect(kept.buffer.byteLength).toBe(kept.byteLength);
    expect(inflateSync(kept).toString('latin1')).toBe(text);
  });
});

/** An 8-bit PNG of the colour type from its filtered rows (the decoder does not check CRCs, so they are 0). */
function pngFile(width: number, height: number, type: number, rows: Uint8Array): Uint8Array {
  const chunk = (kind: string, body: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length);
    head.write(kind, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, type, 0, 0, 0], 8);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array())]));
}

describe('PNG images', () => {
  // The same small drawing (13 × 11, so interlace passes have ragged edges) saved by ImageMagick
  // in each colour type, bit depth and interlacing, with ImageMagick's own 8-bit RGBA decoding
  // of each file beside it.
  const dir = path.join(ROOT, 'tests/fixtures/png');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));

  it.each(files)('%s decodes to the pixels ImageMagick reads', (file) => {
    const img = prepareImage(fs.readFileSync(path.join(dir, file)), file);
    const rgba = fs.readFileSync(path.join(dir, file.replace(/\.png$/, '.rgba')));
    const colour = inflateSync(img.data);
    const alpha = img.alpha ? inflateSync(img.alpha) : null;
    const grey = img.colorSpace === 'DeviceGray';
    // 16-bit samples keep their high byte; ImageMagick rounds, so they may differ by one.
    const tolerance = /16/.test(file) ? 1 : 0;
    let worst = 0;
    for (let i = 0; i < img.width * img.height; i++) {
      const want = grey ? [rgba[i * 4]!] : [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
      want.forEach((v, k) => (worst = Math.max(worst, Math.abs(colour[i * want.length + k]! - v))));
      worst = Math.max(worst, Math.abs((alpha ? alpha[i]! : 255) - rgba[i * 4 + 3]!));
    }
    expect([img.width, img.height]).toEqual([13, 11]);
    expect(worst).toBeLessThanOrEqual(tolerance);
    // Transparency from an alpha channel or a tRNS chunk, and none where there is none.
    expect(alpha !== null).toBe(/rgba|graya|trns/.test(file));
  });

  it('decodes 8-bit grey and RGB without alpha, rows under each of the five filters, to their pixels', () => {
    for (const [type, bpp] of [[0, 1], [2, 3]] as const) {
      const [width, height] = [17, 10];
      const stride = width * bpp;
      const pixels = Uint8Array.from({ length: stride * height }, (_, i) => (i * 37 + (i >> 3)) & 255);
      const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : pixels[y * stride + x]!);
      const rows = Buffer.alloc(height * (stride + 1));
      for (let y = 0; y < height; y++) {
        const filter = y % 5;
        rows[y * (stride + 1)] = filter;
        for (let x = 0; x < stride; x++) {
          const [a, b, c] = [at(x - bpp, y), at(x, y - 1), at(x - bpp, y - 1)];
          const p = a + b - c;
          const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
          const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
          rows[y * (stride + 1) + 1 + x] = (at(x, y) - predicted) & 255;
        }
      }
      const img = prepareImage(pngFile(width, height, type, rows), 'plain.png');
      expect([img.colorSpace, img.alpha]).toEqual([type === 0 ? 'DeviceGray' : 'DeviceRGB', undefined]);
      expect(inflateSync(img.data).equals(Buffer.from(pixels))).toBe(true);
    }
  });
});

describe('PNG images sharper than print needs', () => {
  /** An 8-bit RGBA PNG with unfiltered rows. */
  const png = (width: number, height: number, pixel: (x: number, y: number) => number[]) => {
    const rows = Buffer.alloc(height * (1 + width * 4));
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set(pixel(x, y), y * (1 + width * 4) + 1 + x * 4);
    return pngFile(width, height, 6, rows);
  };
  // Opaque red on the left, transparent black (what design tools store there) on the right.
  const logo = png(600, 400, (x) => (x < 310 ? [255, 0, 0, 255] : [0, 0, 0, 0]));

  it('resamples to 300–357 ppi at the shown size, without darkening soft edges', () => {
    // 600 pixels across 40 points is 1080 ppi; reduced by 2^(7/4), 320 ppi.
    const img = prepareImage(logo, 'logo.png', false, { width: 40, height: (40 * 400) / 600 });
    expect([img.width, img.height]).toEqual([178, 119]);
    const colour = inflateSync(img.data);
    const alpha = inflateSync(img.alpha!);
    const edge = new Set<number>();
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = y * img.width + x;
        if (alpha[i]! > 0) expect([...colour.subarray(i * 3, i * 3 + 3)]).toEqual([255, 0, 0]);
        if (alpha[i]! > 0 && alpha[i]! < 255) edge.add(x);
      }
    }
    expect([alpha[0], alpha[img.width - 1]]).toEqual([255, 0]);
    // One column straddles the border and is partly covered.
    expect([...edge]).toEqual([91]);
  });

  it('makes one image for the sizes of nearby fit steps', () => {
    const at = (points: number) => prepareImage(logo, 'logo.png', false, { width: points, height: (points * 400) / 600 });
    // 40, 38.8 and 37.6 points: 1080, 1113 and 1149 ppi, all reduced to the same 178 pixels.
    expect(at(38.8)).toBe(at(40));
    expect(at(37.6)).toBe(at(40));
    // Past the band's end (1285 ppi), the next power: 150 pixels, at 301 ppi.
    expect(at(35.9).width).toBe(150);
  });

  it('leaves an image alone at up to 450 ppi where it is shown', () => {
    const img = prepareImage(logo, 'logo.png', false, { width: 200, height: (200 * 400) / 600 });
    expect([img.width, img.height]).toEqual([600, 400]);
  });
});

describe('JPEG images', () => {
  /** A baseline JPEG of RGB pixels, as a camera or a design tool saves one. */
  const jpeg = (width: number, height: number, pixel: (x: number, y: number) => number[]) => {
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([...pixel(x, y), 255], (y * width + x) * 4);
    return new Uint8Array(encodeJpeg({ data: rgba, width, height }, 95).data);
  };
  const RED = [220, 30, 30];
  const BLUE = [30, 30, 220];
  // 1200 × 800 pixels: red on the left, blue on the right.
  const photo = jpeg(1200, 800, (x) => (x < 600 ? RED : BLUE));
  const near = (got: number[], want: number[], tolerance: number) => got.every((v, k) => Math.abs(v - want[k]!) <= tolerance);

  it('pass through as they are at up to 450 ppi where they are shown', () => {
    // 1200 pixels across 200 points is 432 ppi.
    const img = prepareImage(photo, 'photo.jpg', false, { width: 200, height: (200 * 800) / 1200 });
    expect(img).toMatchObject({ width: 1200, height: 800, colorSpace: 'DeviceRGB', filter: 'DCTDecode' });
    expect(img.data).toBe(photo);
  });

  it('are resampled to 300–357 ppi and compressed again as JPEG when much sharper', () => {
    // 1200 pixels across 100 points is 864 ppi; reduced by 2^(6/4), 424 × 283 pixels (305 ppi).
    const img = prepareImage(photo, 'photo.jpg', false, { width: 100, height: (100 * 800) / 1200 });
    expect(img).toMatchObject({ width: 424, height: 283, colorSpace: 'DeviceRGB', filter: 'DCTDecode' });
    expect(img.data.length).toBeLessThan(photo.length / 4);
    const out = decodeJpeg(img.data, { useTArray: true, formatAsRGBA: false });
    const at = (x: number, y: number) => [...out.data.subarray((y * out.width + x) * 3, (y * out.width + x) * 3 + 3)];
    expect(near(at(100, 139), RED, 6)).toBe(true);
    expect(near(at(317, 139), BLUE, 6)).toBe(true);
  });

  it('turn grey for ink-saver output', () => {
    const img = prepareImage(photo, 'photo.jpg', true, { width: 200, height: (200 * 800) / 1200 });
    expect(img).toMatchObject({ width: 1200, height: 800, colorSpace: 'DeviceGray', filter: 'FlateDecode' });
    const grey = inflateSync(img.data);
    expect(grey.length).toBe(1200 * 800);
    expect(Math.abs(grey[400 * 1200 + 300]! - greyLevel(RED[0]!, RED[1]!, RED[2]!))).toBeLessThanOrEqual(4);
    expect(Math.abs(grey[400 * 1200 + 900]! - greyLevel(BLUE[0]!, BLUE[1]!, BLUE[2]!))).toBeLessThanOrEqual(4);
  });

  // 64 × 16 pixels of Adobe (inverted) CMYK, written by ImageMagick: full cyan on the left, full black on the right.
  const cmyk = new Uint8Array(fs.readFileSync(path.join(ROOT, 'tests/fixtures/jpeg/cmyk-cyan-black.jpg')));

  it('keep their CMYK inks however sharp, and turn grey only when asked', () => {
    const kept = prepareImage(cmyk, 'cmyk.jpg', false, { width: 4, height: 1 });
    expect(kept).toMatchObject({ width: 64, height: 16, colorSpace: 'DeviceCMYK', filter: 'DCTDecode', invert: true });
    expect(kept.data).toBe(cmyk);
    const img = prepareImage(cmyk, 'cmyk.jpg', true, { width: 48, height: 12 });
    expect(img).toMatchObject({ width: 64, height: 16, colorSpace: 'DeviceGray', filter: 'FlateDecode' });
    const grey = inflateSync(img.data);
    // Cyan is red-less RGB (0, 255, 255) without a colour profile; black is 0.
    expect(Math.abs(grey[8 * 64 + 10]! - greyLevel(0, 255, 255))).toBeLessThanOrEqual(6);
    expect(grey[8 * 64 + 54]!).toBeLessThanOrEqual(6);
  });

  it('that cannot be decoded are reported with their file', () => {
    const broken = photo.slice(0, 2000);
    expect(() => prepareImage(broken, 'brands/x/photo.jpg', true)).toThrow(/cannot read image: JPEG data cannot be decoded \(marker was not found\)/);
    try {
      prepareImage(broken, 'brands/x/photo.jpg', true);
    } catch (e) {
      expect((e as HandoutError).where).toEqual({ file: 'brands/x/photo.jpg' });
    }
  });
});

describe('images PDF cannot take', () => {
  it('are named by what they are, whatever their file name says', () => {
    const bytes = (head: string) => new Uint8Array(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(40)]));
    const cases: [string, string][] = [
      ['GIF89a', 'GIF'],
      ['RIFF\0\0\0\0WEBPVP8 ', 'WebP'],
      ['\0\0\0\x18ftypheic', 'HEIC'],
      ['\0\0\0\x1cftypavif', 'AVIF'],
      ['BM', 'BMP'],
      ['II*\0', 'TIFF'],
    ];
    for (const [head, kind] of cases) {
      expect(() => imageSize(bytes(head), 'brands/x/logo.png')).toThrow(`cannot read image: a ${kind} image, which PDF cannot embed as it is: export it as PNG or JPEG`);
    }
    expect(() => imageSize(bytes('<html>'), 'brands/x/logo.png')).toThrow('cannot read image: not a PNG or JPEG file');
  });
});

describe('photos with an EXIF orientation', () => {
  // 40 × 20 pixels as stored: blue, a red band along the top row, a green one down the left
  // column; EXIF orientation 6 (shown a quarter turn clockwise), as phones write it.
  const photo = fs.readFileSync(path.join(ROOT, 'tests/fixtures/jpeg/orientation-6.jpg'));

  it('are sized as shown', () => {
    expect(imageSize(photo, 'photo.jpg')).toEqual({ width: 20, height: 40, orientation: 6 });
  });

  it('map each stored corner where EXIF says it is shown, for all eight orientations', () => {
    // EXIF: where the stored image's top-left, top-right and bottom-left corners are shown,
    // as (across, down) fractions of the shown picture.
    const shown: Record<number, [number, number][]> = {
      1: [[0, 0], [1, 0], [0, 1]],
      2: [[1, 0], [0, 0], [1, 1]],
      3: [[1, 1], [0, 1], [1, 0]],
      4: [[0, 1], [1, 1], [0, 0]],
      5: [[0, 0], [0, 1], [1, 0]],
      6: [[1, 0], [1, 1], [0, 0]],
      7: [[1, 1], [1, 0], [0, 1]],
      8: [[0, 1], [0, 0], [1, 1]],
    };
    const [x, y, w, h] = [10, 20, 30, 40];
    for (const [o, corners] of Object.entries(shown)) {
      const [a, b, c, d, e, f] = imageMatrix({ x, y, w, h, orientation: Number(o) as 2 });
      // In the image's unit square the stored top-left is (0, 1), top-right (1, 1), bottom-left (0, 0).
      const stored: [number, number][] = [[0, 1], [1, 1], [0, 0]];
      stored.forEach(([u, v], k) => {
        const [across, down] = corners[k]!;
        expect([a * u + c * v + e, b * u + d * v + f]).toEqual([x + w * across, y + h * down]);
      });
    }
  });

  it.skipIf(!hasTool('pdftoppm'))('print the right way up', async () => {
    const pdf = await renderPdf(
      {
        meta: { title: 't', author: 'a', subject: 's', keywords: [], lang: 'en', dir: 'ltr' },
        pages: [{ width: 60, height: 100, boxes: [{ kind: 'image', x: 10, y: 10, w: 40, h: 80, src: 'photo.jpg', data: photo, alt: '', orientation: 6 }] }],
        structure: [],
        fit: { scale: 1, area: 0, room: 0 },
      },
      { date: new Date(0), producer: 'test' },
    );
    // One pixel a point; the picture spans x 10–50, y 10–90.
    const ppm = execFileSync('pdftoppm', ['-r', '72', '-'], { input: pdf });
    const header = ppm.subarray(0, 20).toString('latin1').split(/\s+/);
    const width = Number(header[1]);
    const pixel = (px: number, py: number) => {
      const at = ppm.length - (width * Number(header[2]) - (py * width + px)) * 3;
      const [r, g, b] = ppm.subarray(at, at + 3);
      return r! > 150 && g! < 100 && b! < 100 ? 'red' : g! > 150 && r! < 100 && b! < 100 ? 'green' : b! > 150 && r! < 100 && g! < 100 ? 'blue' : 'other';
    };
    // Stored top (red) is shown at the right, stored left (green) at the top.
    expect(pixel(30, 13)).toBe('green');
    expect(pixel(47, 50)).toBe('red');
    expect(pixel(25, 50)).toBe('blue');
  });
});
