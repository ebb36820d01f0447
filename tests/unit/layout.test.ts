import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { layoutDocument, minContentWidths, type Theme } from '../../src/layout/engine.js';
import { FIT_FLOOR, fitToPages } from '../../src/layout/fit-scale.js';
import { imposeTwoUp } from '../../src/layout/impose.js';
import { svgSize } from '../../src/layout/image-size.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { parseMarkup } from '../../src/markup/parse.js';
import { HandoutError } from '../../src/model/diagnostic.js';
import type { GlyphRunBox, LayoutDoc } from '../../src/model/layout.js';
import type { PrintOptions } from '../../src/model/print.js';
import { fonts, ROOT } from '../helpers.js';

const c = (hex: string) => ({ hex });
const theme: Theme = { primary: c('#1f6f78'), secondary: c('#2f5d62'), accent: c('#e0a23b'), text: c('#1f2933'), muted: c('#52606d'), background: c('#eef5f5'), onPrimary: c('#ffffff') };

function layout(markup: string, opts: { dir?: "ltr" | "rtl"; maxPages?: number; lang?: string; print?: PrintOptions; scale?: number; brandShrinks?: boolean } = {}): LayoutDoc {
  return layoutDocument({
    root: parseMarkup(markup, (line) => ({ file: 'templates/t.hbs', line })),
    io: createNodeIo(ROOT),
    fonts: fonts(),
    theme,
    lang: opts.lang ?? 'en',
    dir: opts.dir ?? 'ltr',
    families: [],
    lineHeight: 1.4,
    maxPages: opts.maxPages,
    label: 'test (en, default)',
    scale: opts.scale ?? 1,
    brandShrinks: opts.brandShrinks,
    print: opts.print ?? {},
    meta: { title: 't', author: 'a', subject: 's', keywords: [] },
  });
}

const runs = (page: LayoutDoc['pages'][number]) => page.boxes.filter((b): b is GlyphRunBox => b.kind === 'glyphs');
const para = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(' ');

describe('layout', () => {
  it('places blocks top to bottom inside the margins, on an A4 page', () => {
    const doc = layout('<document margin="40"><h1>Title</h1><p>First paragraph.</p><p>Second paragraph.</p></document>');
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.width).toBeCloseTo(595.28);
    const rs = runs(doc.pages[0]!);
    expect(rs.map((r) => r.text)).toEqual(['Title', 'First paragraph.', 'Second paragraph.']);
    for (let i = 1; i < rs.length; i++) expect(rs[i]!.y).toBeGreaterThan(rs[i - 1]!.y);
    for (const r of rs) expect(r.x).toBeCloseTo(40);
    expect(rs[0]!.size).toBe(25);
  });

  it('breaks flowing content onto new pages, between lines', () => {
    const body = Array.from({ length: 12 }, () => `<p>${para(120)}</p>`).join('');
    const doc = layout(`<document>${body}</document>`);
    expect(doc.pages.length).toBeGreaterThan(1);
    for (const page of doc.pages) {
      for (const r of runs(page)) expect(r.y).toBeLessThan(page.height - 40);
    }
    const total = doc.pages.flatMap(runs).map((r) => r.text).join(' ');
    expect(total.split(' ').filter((w) => w.startsWith('word'))).toHaveLength(12 * 120);
  });

  it('keeps a heading with the paragraph that follows it', () => {
    const filler = `<p>${para(520)}</p>`;
    const doc = layout(`<document>${filler}<h2>Heading</h2><p>${para(30)}</p></document>`);
    const withHeading = doc.pages.find((p) => runs(p).some((r) => r.text === 'Heading'))!;
    const idx = runs(withHeading).findIndex((r) => r.text === 'Heading');
    expect(runs(withHeading)[idx + 1]?.text).toMatch(/^word0/);
  });

  it('starts a new page at <pagebreak/>', () => {
    const doc = layout('<document><p>one</p><pagebreak/><p>two</p></document>');
    expect(doc.pages.map((p) => runs(p).map((r) => r.text))).toEqual([['one'], ['two']]);
  });

  it('reports how much a one-page document is too long instead of spilling or clipping', () => {
    const body = Array.from({ length: 10 }, () => `<p>${para(150)}</p>`).join('');
    let err: HandoutError | undefined;
    try {
      layout(`<document>${body}</document>`, { maxPages: 1 });
    } catch (e) {
      err = e as HandoutError;
    }
    expect(err?.code).toBe('overflow');
    expect(err?.message).toMatch(/^test \(en, default\): content needs \d+ pages but the template allows 1; about \d+ mm too long$/);
    // Short content made longer by its page breaks has no length to cut.
    expect(() => layout('<document><p>one</p><pagebreak/><p>two</p></document>', { maxPages: 1 })).toThrow(/^test \(en, default\): content needs 2 pages but the template allows 1; its <pagebreak\/>s start more pages than that$/);
  });

  it('fits type to the pages: shrinks a long text, grows a short one up to the template\'s grow, never onto another page', () => {
    const doc = (paragraphs: number, words = 150) => `<document>${Array.from({ length: paragraphs }, () => `<p>${para(words)}</p>`).join('')}</document>`;
    const at = (markup: string, maxPages: number) => (scale: number) => layout(markup, { maxPages, scale });
    // Long: shrunk to the largest step that fits; the next step up overflows.
    const long = fitToPages({ pages: 1 }, at(doc(5), 1));
    expect(long.fit.scale).toBeLessThan(1);
    expect(long.fit.scale).toBeGreaterThanOrEqual(FIT_FLOOR);
    expect(() => layout(doc(5), { maxPages: 1, scale: Math.round((long.fit.scale + 0.03) * 100) / 100 })).toThrow(/content needs 2 pages/);
    expect(() => fitToPages({ pages: 1 }, at(doc(8), 1))).toThrow(/about \d+ mm too long, even at 85% type size$/);
    // Short: without grow it stays at full size with its room; with grow it fills the page.
    const short = doc(2);
    const full = fitToPages({ pages: 1 }, at(short, 1));
    expect(full.fit.scale).toBe(1);
    expect(full.fit.room).toBeGreaterThan(100);
    expect(full.fit.area).toBeGreaterThan(full.fit.room);
    const grown = fitToPages({ pages: 1, grow: 1.3 }, at(short, 1));
    expect(grown.fit.scale).toBeGreaterThan(1);
    expect(grown.fit.scale).toBeLessThanOrEqual(1.3);
    expect(grown.fit.room).toBeLessThan(full.fit.room);
    expect(runs(grown.pages[0]!)[0]!.size).toBeCloseTo(10 * grown.fit.scale);
    if (grown.fit.scale < 1.3) expect(() => layout(short, { maxPages: 1, scale: Math.round((grown.fit.scale + 0.03) * 100) / 100 })).toThrow(/content needs 2 pages/);
    // Whatever the length, the step found is one whose next step up was laid out and overflowed.
    const next = (scale: number, direction: 1 | -1) => Math.round((scale + direction * 0.03) * 100) / 100;
    for (let words = 200; words <= 680; words += 60) {
      const markup = `<document><p>${para(words)}</p></document>`;
      const r = fitToPages({ pages: 1, grow: 1.15 }, at(markup, 1));
      if (r.fit.scale < 1.15) expect(() => layout(markup, { maxPages: 1, scale: next(r.fit.scale, 1) })).toThrow(/content needs 2 pages/);
    }
    // A few words grow to the cap and no further.
    expect(fitToPages({ pages: 1, grow: 1.15 }, at('<document><p>Hello.</p></document>', 1)).fit.scale).toBe(1.15);
    // Two pages allowed, one taken: growth fills that page and does not spill onto the second.
    const onePageOfTwo = fitToPages({ pages: 2, grow: 1.3 }, at(doc(3), 2));
    expect(onePageOfTwo.pages).toHaveLength(1);
    expect(onePageOfTwo.fit.scale).toBeGreaterThan(1);
    expect(layout(doc(3), { maxPages: 2, scale: 1.3 }).pages).toHaveLength(2);
  });

  it('mirrors grids and alignment in right-to-left documents', () => {
    const m = '<document><columns count="2"><section><p>א</p></section><section><p>ב</p></section></columns></document>';
    const ltr = runs(layout(m).pages[0]!);
    const rtl = runs(layout(m, { dir: 'rtl', lang: 'he' }).pages[0]!);
    expect(ltr[0]!.x).toBeLessThan(ltr[1]!.x);
    expect(rtl[0]!.x).toBeGreaterThan(rtl[1]!.x);
    expect(rtl[0]!.x + rtl[0]!.width).toBeCloseTo(595.28 - 40, 0);
  });

  it('draws list markers at the start side and ruled note lines across the column', () => {
    const doc = layout('<document><ul><li>one</li><li>two</li></ul><lines count="3" gap="20"/></document>');
    const page = doc.pages[0]!;
    expect(page.boxes.filter((b) => b.kind === 'rect')).toHaveLength(2);
    const lines = page.boxes.filter((b) => b.kind === 'line');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ x1: 40 });
    expect((lines[0] as { x2: number }).x2).toBeCloseTo(595.28 - 40);
  });

  it('never leaves one ruled line alone under a heading; keep="true" keeps them all on one page', () => {
    const perPage = (doc: LayoutDoc) => doc.pages.map((p) => ({ lines: p.boxes.filter((b) => b.kind === 'line').length, heading: runs(p).some((r) => r.text === 'Notes') }));
    // Room for the heading and one line only: the heading goes over with the lines.
    expect(perPage(layout('<document><spacer height="690"/><h2>Notes</h2><lines count="6" gap="24"/></document>'))).toEqual([
      { lines: 0, heading: false },
      { lines: 6, heading: true },
    ]);
    // Room for three: they stay, the rest go over (never just one at the head of a page).
    expect(perPage(layout('<document><spacer height="640"/><h2>Notes</h2><lines count="6" gap="24"/></document>'))).toEqual([
      { lines: 3, heading: true },
      { lines: 3, heading: false },
    ]);
    expect(perPage(layout('<document><spacer height="640"/><h2>Notes</h2><lines count="6" gap="24" keep="true"/></document>'))).toEqual([
      { lines: 0, heading: false },
      { lines: 6, heading: true },
    ]);
  });

  it('fill-page repeats ruled lines down to the foot of their page, above what follows and above a footer', () => {
    const ruled = (page: LayoutDoc['pages'][number]) => page.boxes.filter((b): b is Extract<typeof b, { kind: 'line' }> => b.kind === 'line').map((l) => l.y1);
    const bottomOf = (page: LayoutDoc['pages'][number], text: string) => Math.max(...runs(page).filter((r) => r.text === text).map((r) => r.y));
    const page = 841.89 - 40;
    const plain = layout('<document><h2>Notes</h2><lines count="3" gap="20"/><p>Questions</p></document>', { maxPages: 1 });
    const filled = layout('<document><h2>Notes</h2><lines count="3" gap="20" fill-page="true"/><p>Questions</p></document>', { maxPages: 1 });
    const [a, b] = [ruled(plain.pages[0]!), ruled(filled.pages[0]!)];
    expect(a).toHaveLength(3);
    // Evenly spaced, starting where the three did.
    expect(b.slice(0, 3)).toEqual(a);
    b.forEach((y, i) => expect(y - b[0]!).toBeCloseTo(i * 20, 6));
    // As many more as the room left below the content, and the fit search sees that room
    // as before filling (a template that may grow still grows).
    expect(filled.fit).toEqual(plain.fit);
    expect(plain.fit.room).toBeGreaterThan(500);
    expect(b.length - 3).toBe(Math.floor(plain.fit.room / 20));
    // What follows moves down with them, and stays on the page.
    const moved = bottomOf(filled.pages[0]!, 'Questions');
    expect(moved - bottomOf(plain.pages[0]!, 'Questions')).toBeCloseTo((b.length - 3) * 20, 6);
    expect(moved).toBeLessThanOrEqual(page);

    // A footer's room is left free, and lines on an earlier page fill that page only.
    const footed = layout('<document><spacer height="600"/><h2>Notes</h2><lines count="2" gap="20" fill-page="true"/><pagebreak/><p>Page two</p><footer><p>Footer</p></footer></document>');
    const footerTop = Math.min(...runs(footed.pages[0]!).filter((r) => r.text === 'Footer').map((r) => r.y));
    const lines = ruled(footed.pages[0]!);
    expect(lines.length).toBeGreaterThan(2);
    expect(Math.max(...lines)).toBeLessThan(footerTop - 12);
    expect(ruled(footed.pages[1]!)).toEqual([]);

    // What follows does not fit below the least lines: it goes to the next page with them (and
    // they fill that page), rather than alone there below a page the lines had filled.
    const notes = (h: number, fill: boolean) => layout(`<document><spacer height="${h}"/><h2 keep="true">Notes</h2><lines count="3" gap="20" keep="true"${fill ? ' fill-page="true"' : ''}/><p>Questions</p></document>`);
    const pageOf = (doc: LayoutDoc, text: string) => doc.pages.findIndex((pg) => runs(pg).some((r) => r.text === text));
    // A height where the lines fit on page 1 and what follows them does not.
    const h = Array.from({ length: 100 }, (_, i) => 600 + 2 * i).find((x) => pageOf(notes(x, false), 'Notes') === 0 && pageOf(notes(x, false), 'Questions') === 1)!;
    expect(h).toBeDefined();
    const parted = notes(h, true);
    expect(parted.pages).toHaveLength(2);
    expect(ruled(parted.pages[0]!)).toEqual([]);
    expect(runs(parted.pages[1]!).map((r) => r.text)).toEqual(['Notes', 'Questions']);
    expect(ruled(parted.pages[1]!).length).toBeGreaterThan(20);
    // Heading, lines and what follows too tall for any page: the heading still goes with its
    // lines, and what follows may part from them (it had left the heading alone above them).
    const tall = layout(`<document><spacer height="100"/><h2 keep="true">Notes</h2><lines count="30" gap="22" keep="true" fill-page="true"/><p>Questions ${para(120)}</p></document>`);
    const notesPage = pageOf(tall, 'Notes');
    expect(ruled(tall.pages[notesPage]!).length).toBeGreaterThanOrEqual(30);
    expect(notesPage).toBe(1);
  });

  it('keeps the header band and QR codes at their size when the body is fitted: the brand looks the same in every language', () => {
    const m = '<document><header fill="primary" padding="14"><p size="18">Sunrise Family Clinic</p></header><p>Body text</p><qr value="https://www.example.org" size="54"/></document>';
    const at = (scale: number) => {
      const page = layout(m, { scale }).pages[0]!;
      const band = page.boxes.find((b) => b.kind === 'rect' && b.x === 0 && b.y === 0) as { h: number };
      const size = (text: string) => runs(page).find((r) => r.text.startsWith(text))!.size;
      const qr = page.boxes.find((b) => b.kind === 'path') as { w: number };
      return { band: band.h, name: size('Sunrise'), body: size('Body'), qr: qr.w };
    };
    const [small, normal, large] = [at(0.88), at(1), at(1.15)];
    expect(small.band).toBe(normal.band);
    expect(large.band).toBe(normal.band);
    expect([small.name, large.name]).toEqual([18, 18]);
    // A QR code too: a phone reads it by its modules.
    expect([small.qr, normal.qr, large.qr]).toEqual([54, 54, 54]);
    expect(small.body).toBeCloseTo(8.8, 6);
    expect(large.body).toBeCloseTo(11.5, 6);
  });

  it('keeps the room of a last-page footer free on the last page only', () => {
    // Page 2 runs into the footer's room, so its last line makes a page 3; page 1, which has
    // no footer, keeps the lines at its foot (they had gone over when every page kept the room).
    const doc = layout('<document><spacer height="690"/><lines count="3" gap="20"/><pagebreak/><spacer height="700"/><p>one</p><p>two</p><p>three</p><footer pages="last"><p>Footer</p></footer></document>');
    const texts = doc.pages.map((p) => runs(p).map((r) => r.text));
    expect(doc.pages[0]!.boxes.filter((b) => b.kind === 'line')).toHaveLength(3);
    expect(texts).toEqual([[], ['one', 'two'], ['three', 'Footer']]);
    const last = runs(doc.pages[2]!);
    const footerTop = last.find((r) => r.text === 'Footer')!.y - 10;
    expect(last.find((r) => r.text === 'three')!.y).toBeLessThan(footerTop - 12);
  });

  it("gives a row's cell at least its widest unbreakable stretch, taken from a cell with room to spare", () => {
    // On a narrow page, equal shares would cut the address before ".example".
    const m = '<document><row gap="12"><section><p>Email: <span dir="ltr">families@sunrise-clinic.example</span></p></section><section><p>The association trains instructors and shares information</p></section></row></document>';
    const page = layout(m, { print: { margin: '170pt' } }).pages[0]!;
    const address = runs(page).filter((r) => r.text.includes('example') || r.text.includes('families'));
    expect(address.map((r) => r.text)).toEqual(['families@sunrise-clinic.example']);
    const other = runs(page).filter((r) => /association|trains|instructors|information/.test(r.text));
    expect(Math.min(...other.map((r) => r.x))).toBeGreaterThanOrEqual(address[0]!.x + address[0]!.width + 12 - 0.01);

    // A cell laid out again at its wider width keeps one structure node per element.
    const listed = layout('<document><row gap="12"><section><ul><li>families@sunrise-clinic.example</li><li>Phone</li></ul></section><section><p>The association trains instructors</p></section></row></document>', { print: { margin: '170pt' } });
    expect(runs(listed.pages[0]!).map((r) => r.text)).toContain('families@sunrise-clinic.example');
    expect(['L', 'LI', 'Lbl', 'LBody'].map((role) => listed.structure.filter((n) => n.role === role).length)).toEqual([1, 2, 2, 2]);

    // Equal shares where they do; the needs met where they can be; nothing where they cannot.
    expect(minContentWidths([100, 100], [true, true], [80, 90])).toBeNull();
    expect(minContentWidths([100, 100], [true, true], [150, 30])).toEqual([150, 50]);
    expect(minContentWidths([40, 100, 100], [false, true, true], [200, 150, 30])).toEqual([40, 150, 50]);
    expect(minContentWidths([100, 100, 100], [true, true, true], [120, 110, 20])).toEqual([120, 110, 70]);
    expect(minContentWidths([100, 100], [true, true], [150, 60])).toBeNull();
  });

  it('sets a grid in fewer columns where count of them would be narrower than min-width', () => {
    const grid = '<document><columns count="2" min-width="200" gap="12"><p>one</p><p>two</p></columns></document>';
    const cells = (doc: LayoutDoc) => runs(doc.pages[0]!).map((r) => ({ text: r.text, x: Math.round(r.x), y: Math.round(r.y) }));
    // A4 (515 pt between the margins): two columns side by side.
    const [a, b] = cells(layout(grid));
    expect(a!.y).toBe(b!.y);
    expect(b!.x - a!.x).toBe(Math.round((515.28 - 12) / 2 + 12));
    // 300 pt between the margins: one column, the cells one under the other, at the same x.
    const [c, d] = cells(layout(grid, { print: { margin: '147.64pt' } }));
    expect(c!.x).toBe(d!.x);
    expect(d!.y).toBeGreaterThan(c!.y);
    try {
      layout('<document>\n<columns min-width="wide"><p>x</p></columns></document>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HandoutError);
      expect([(e as HandoutError).message, (e as HandoutError).where.line]).toEqual([expect.stringMatching(/"wide" is not a length/), 2]);
    }
  });

  it('shrinks the header band with the body only for a text that cannot fit with it at its size', () => {
    const header = '<header fill="primary" padding="40"><p size="18">Sunrise Family Clinic</p></header>';
    const markup = (words: number) => `<document>${header}<p>${para(words)}</p></document>`;
    const band = (doc: LayoutDoc) => (doc.pages[0]!.boxes.find((b) => b.kind === 'rect' && b.x === 0 && b.y === 0) as { h: number }).h;
    const full = band(layout(markup(10)));
    const fit = (words: number) => fitToPages({ pages: 1 }, (scale, brandShrinks) => layout(markup(words), { maxPages: 1, scale, brandShrinks }));
    let kept = 0;
    let shrunk = 0;
    for (let words = 500; words <= 760; words += 20) {
      let doc: LayoutDoc;
      try {
        doc = fit(words);
      } catch {
        continue; // too long even with the band shrunk
      }
      if (band(doc) === full) kept++;
      else {
        shrunk++;
        // Only where the band at its size leaves too little room, even at the smallest type.
        expect(band(doc)).toBeCloseTo(full * doc.fit.scale, 6);
        expect(() => layout(markup(words), { maxPages: 1, scale: FIT_FLOOR })).toThrow(/content needs 2 pages/);
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect(shrunk).toBeGreaterThan(0);
  });

  describe('a row of columns at a page break', () => {
    const items = (name: string, n: number) => Array.from({ length: n }, (_, i) => `<li>${name}${i + 1}</li>`).join('');
    const twoLists = (attrs = 'valign="top"', left = 4, right = 3) =>
      `<row gap="18" ${attrs}><section><h2>Bring</h2><ul>${items('bring', left)}</ul></section><section><h2>Tips</h2><ul>${items('tip', right)}</ul></section></row>`;
    const texts = (page: LayoutDoc['pages'][number]) => runs(page).map((r) => r.text);
    const spacer = (h: number) => `<spacer height="${h}"/>`;

    it('continues each column on the next page instead of moving the row whole', () => {
      const doc = layout(`<document>${spacer(700)}${twoLists()}<p>After</p></document>`);
      expect(doc.pages).toHaveLength(2);
      const [one, two] = [texts(doc.pages[0]!), texts(doc.pages[1]!)];
      // Both headings with their first items stay; the rest follows, nothing lost or doubled.
      expect(one).toEqual(expect.arrayContaining(['Bring', 'bring1', 'Tips', 'tip1']));
      const all = [...one, ...two].filter((t) => /^(bring|tip)\d$/.test(t));
      expect(all.sort()).toEqual(['bring1', 'bring2', 'bring3', 'bring4', 'tip1', 'tip2', 'tip3']);
      expect(two[two.length - 1]).toBe('After');
      // The rest starts at the top of page 2, each column at its own x, in its brand colour.
      const rest = runs(doc.pages[1]!).filter((r) => /^(bring|tip)/.test(r.text));
      expect(Math.min(...rest.map((r) => r.y))).toBeLessThan(60);
      const x = (t: string) => [...runs(doc.pages[0]!), ...runs(doc.pages[1]!)].find((r) => r.text === t)!.x;
      expect(x(rest[0]!.text.replace(/\d$/, '1'))).toBeCloseTo(rest[0]!.x, 6);
      expect(runs(doc.pages[0]!).find((r) => r.text === 'Tips')!.color).toEqual(theme.primary);
    });

    it('never carries one line alone over, and a filled, kept or centred row stays whole', () => {
      // Room for all but the last item of the left column: it takes another with it.
      const carried = (h: number) => layout(`<document>${spacer(h)}${twoLists('valign="top"', 4, 2)}</document>`).pages.map((p) => texts(p).filter((t) => /^(bring|tip)\d$/.test(t)));
      let splits = 0;
      for (let h = 640; h <= 740; h += 2) {
        const pages = carried(h);
        if (pages.length === 2 && pages[0]!.length > 0) splits++;
        if (pages.length === 2) for (const prefix of ['bring', 'tip']) expect(pages[1]!.filter((t) => t.startsWith(prefix)).length).not.toBe(1);
      }
      expect(splits).toBeGreaterThan(3);
      for (const attrs of ['valign="top" fill="background"', 'valign="top" keep="true"', '']) {
        const doc = layout(`<document>${spacer(700)}${twoLists(attrs)}</document>`);
        expect(texts(doc.pages[0]!)).not.toContain('Bring');
        expect(texts(doc.pages[1]!)).toEqual(expect.arrayContaining(['Bring', 'bring1', 'bring4', 'Tips', 'tip3']));
      }
    });

    it('continues a filled box in it on the next page, in a frame of its own there', () => {
      const boxes = `<row gap="12" valign="top"><box fill="background" padding="10"><h3>Dates</h3><ul>${items('date', 6)}</ul></box><box fill="background" padding="10"><p>Place</p></box></row>`;
      const doc = layout(`<document>${spacer(640)}${boxes}<p>After</p></document>`);
      expect(doc.pages).toHaveLength(2);
      const [one, two] = [texts(doc.pages[0]!), texts(doc.pages[1]!)];
      expect(one).toEqual(expect.arrayContaining(['Dates', 'date1', 'Place']));
      const dates = [...one, ...two].filter((t) => /^date\d$/.test(t));
      expect(dates).toEqual(['date1', 'date2', 'date3', 'date4', 'date5', 'date6']);
      expect(two.filter((t) => /^date/.test(t)).length).toBeGreaterThanOrEqual(2);
      // Each page's share of the box has its frame, reaching 10 below its last line; the first
      // page's ends above the page's foot.
      const frames = (page: LayoutDoc['pages'][number]) => page.boxes.filter((b) => b.kind === 'rect' && b.fill?.hex === theme.background.hex) as { y: number; h: number; x: number }[];
      const [first] = frames(doc.pages[0]!).sort((a, b) => b.h - a.h);
      const [next] = frames(doc.pages[1]!);
      const lastOn = (page: LayoutDoc['pages'][number]) => Math.max(...runs(page).filter((r) => /^date/.test(r.text)).map((r) => r.y));
      expect(first!.y + first!.h).toBeGreaterThan(lastOn(doc.pages[0]!));
      expect(first!.y + first!.h).toBeLessThanOrEqual(doc.pages[0]!.height);
      expect(next!.x).toBeCloseTo(first!.x, 6);
      expect(next!.y).toBeLessThan(Math.min(...runs(doc.pages[1]!).filter((r) => /^date/.test(r.text)).map((r) => r.y)));
      expect(next!.y + next!.h).toBeGreaterThan(lastOn(doc.pages[1]!));
      // An empty box beside it has no parts to continue: it is drawn whole, not dropped.
      const empty = layout(`<document><row gap="12" valign="top"><box fill="background" padding="10"></box><box fill="background" padding="10"><p>Place</p></box></row></document>`);
      expect(frames(empty.pages[0]!)).toHaveLength(2);
      // Kept, it moves whole, as before.
      const kept = layout(`<document>${spacer(640)}${boxes.replace('<box fill="background" padding="10"><h3>', '<box fill="background" padding="10" keep="true"><h3>')}</document>`);
      expect(texts(kept.pages[0]!)).not.toContain('Dates');
    });

    it('keeps a heading above it with its first lines only, not the whole row', () => {
      const doc = layout(`<document>${spacer(660)}<h2>Before</h2>${twoLists('valign="top"', 6, 6)}</document>`);
      expect(texts(doc.pages[0]!)).toEqual(expect.arrayContaining(['Before', 'Bring', 'bring1', 'Tips', 'tip1']));
      expect(texts(doc.pages[1]!)).toContain('bring6');
    });
  });

  it('rejects a colour that is neither hex nor a theme name, with the template line', () => {
    expect(() => layout('<document>\n<p color="reddish">x</p></document>')).toThrow(/"reddish" is not a colour/);
  });

  it('rejects what would print nothing or mirrored: text loose in a row, grid or list, a negative length, type of size 0', () => {
    for (const el of ['row', 'columns', 'ul']) {
      expect(() => layout(`<document>\n<${el}>Call us\n<p>x</p></${el}></document>`)).toThrow(new RegExp(`text directly inside <${el}> \\("Call us"\\) would not be shown`));
    }
    // Line breaks and indentation between the elements are fine.
    expect(layout('<document>\n<row>\n  <p>a</p>\n  <p>b</p>\n</row></document>').pages).toHaveLength(1);
    expect(() => layout('<document>\n<p size="-5">x</p></document>')).toThrow(/"-5": a length cannot be negative/);
    expect(() => layout('<document>\n<p space-after="-2mm">x</p></document>')).toThrow(/"-2mm": a length cannot be negative/);
    expect(() => layout('<document>\n<p size="0">x</p></document>')).toThrow(/size must be more than 0, not "0"/);
  });

  it('rejects a word an attribute does not take instead of quietly using its default', () => {
    const cases: [string, RegExp][] = [
      ['<row valign="middle"><p>a</p></row>', /valign must be top, center or bottom, not "middle"/],
      ['<p bold="maybe">x</p>', /bold must be true or false, not "maybe"/],
      ['<p style="tiny">x</p>', /style must be small or muted, not "tiny"/],
      ['<ol start="first"><li>x</li></ol>', /start must be a whole number, not "first"/],
      ['<qr value="x" level="Z"/>', /level must be L, M, Q or H, not "Z"/],
      ['<p align="justify">x</p>', /align must be start, end or center, not "justify"/],
    ];
    for (const [el, message] of cases) expect(() => layout(`<document>\n${el}</document>`)).toThrow(message);
    expect(() => layout('<document orientation="landscpe"><p>x</p></document>')).toThrow(/orientation must be portrait or landscape, not "landscpe"/);
    expect(() => layout('<document pages="two"><p>x</p></document>')).toThrow(/pages must be a whole number of at least 1, not "two"/);
    // Written alone, a yes/no attribute means yes.
    expect(layout('<document>\n<p keep="">x</p></document>').pages).toHaveLength(1);
  });

  it('hyphenates running text but not what says hyphenate="false" (a name), nor headings unless asked', () => {
    // A column narrow enough that long words must break or wrap.
    const text = 'Sunrise Maternity Centre of Greater Springfield Metropolitan Area, with its Neighbourhood Associations and Partners';
    // Lines that end inside a word (the hyphen is drawn, but is no part of the text).
    const hyphens = (markup: string) => {
      const lines = new Map<number, string>();
      for (const r of runs(layout(`<document><row><section width="95">${markup}</section></row></document>`).pages[0]!)) lines.set(r.y, (lines.get(r.y) ?? '') + r.text);
      return [...lines.values()].slice(0, -1).filter((l) => !l.endsWith(' ')).length;
    };
    expect(hyphens(`<p>${text}</p>`)).toBeGreaterThan(0);
    expect(hyphens(`<p hyphenate="false">${text}</p>`)).toBe(0);
    expect(hyphens(`<h3>${text}</h3>`)).toBe(0);
    expect(hyphens(`<h3 hyphenate="true">${text}</h3>`)).toBeGreaterThan(0);
    // On a list, for its items.
    expect(hyphens(`<ul hyphenate="false"><li>${text}</li></ul>`)).toBe(0);
  });

  it('shrinks a wide image in a row so the text beside it keeps 40% of the row; an image is never wider than its place', () => {
    // A wordmark logo ten times as wide as high, at a header's height.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-wide-'));
    const logo = path.join(dir, 'wide.svg');
    fs.writeFileSync(logo, '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="100" viewBox="0 0 1000 100"><rect width="1000" height="100"/></svg>');
    const doc = layout(`<document><row gap="14"><image src="${logo}" height="46"/><p size="18">Infant Massage Class</p></row><image src="${logo}" width="900"/></document>`);
    const page = doc.pages[0]!;
    const [inRow, alone] = page.boxes.filter((b) => b.kind === 'svg') as { w: number; h: number }[];
    const content = page.width - 2 * 40;
    expect(inRow!.w).toBeCloseTo(content * 0.6 - 14, 1);
    expect(inRow!.w / inRow!.h).toBeCloseTo(10, 5);
    // The name on one line, not a syllable a line.
    expect(new Set(runs(page).filter((r) => r.size === 18).map((r) => r.y)).size).toBe(1);
    expect(alone!.w).toBeCloseTo(content, 1);
    expect(alone!.w / alone!.h).toBeCloseTo(10, 5);
    // A width in % beside text is of the row, once: it was 35% of 35% of the row.
    const [share] = layout(`<document><row gap="0"><section><p>Sign up</p></section><image src="${logo}" width="35%"/></row></document>`).pages[0]!.boxes.filter((b) => b.kind === 'svg') as { w: number }[];
    expect(share!.w).toBeCloseTo(content * 0.35, 1);
    fs.rmSync(dir, { recursive: true });
  });

  it('lays a body out once for all brands: each gets the boxes, colours and structure it would get alone', () => {
    const other: Theme = { primary: c('#aa0000'), secondary: c('#553300'), accent: c('#00aa00'), text: c('#111111'), muted: c('#666666'), background: c('#fff5f5'), onPrimary: c('#ffffff') };
    const body = '<h1>Title</h1><p>Some <strong>text</strong> here.</p><ul><li>One</li><li>Two</li></ul><box fill="background"><h3 icon="templates/icons/relief.svg">Relief</h3><p style="muted">Muted</p></box><rule/>';
    const doc = (header: string, brand: Theme, io: ReturnType<typeof createNodeIo>) =>
      layoutDocument({
        root: parseMarkup(`<document><header fill="primary">${header}</header>${body}</document>`, (line) => ({ file: 'templates/t.hbs', line })),
        io,
        fonts: fonts(),
        theme: brand,
        lang: 'en',
        dir: 'ltr',
        families: [],
        lineHeight: 1.4,
        label: 'test (en, x)',
        scale: 1,
        print: {},
        meta: { title: 't', author: 'a', subject: 's', keywords: [] },
      });
    const io = createNodeIo(ROOT);
    // The first brand's header has a logo with alt text: one structure node more before the body.
    const first = doc('<row><image src="brands/sunrise-clinic/logo.svg" height="40" alt="Logo"/><p>Sunrise</p></row>', theme, io);
    const kept = doc('<p>Other clinic</p>', other, io);
    const alone = doc('<p>Other clinic</p>', other, createNodeIo(ROOT));
    expect(kept).toEqual(alone);
    expect(first.structure.length).toBe(kept.structure.length + 1);
    // Nodes are numbered in reading order after the header's, and every tag names one.
    for (const d of [first, kept]) {
      expect(d.structure.map((n) => n.id)).toEqual(d.structure.map((_, i) => i));
      const tags = d.pages[0]!.boxes.map((b) => b.tag).filter((t) => t !== undefined);
      expect(tags.every((t) => t! < d.structure.length)).toBe(true);
      expect(new Set(d.structure.filter((n) => n.role === 'H1').map((n) => n.id)).size).toBe(1);
    }
    const colours = (d: LayoutDoc) => new Set(d.pages[0]!.boxes.flatMap((b) => (b.kind === 'glyphs' ? [b.color] : b.kind === 'rect' ? [b.fill, b.stroke] : b.kind === 'path' ? b.paths.map((p) => p.fill) : [])));
    expect([...colours(kept)]).toEqual(expect.arrayContaining([other.primary, other.text, other.muted, other.background, other.accent]));
    expect([...colours(kept)].some((x) => x?.hex.startsWith('#theme'))).toBe(false);
    expect([...colours(first)]).toEqual(expect.arrayContaining([theme.primary, theme.text]));
  });

  it('takes a lang attribute that is a language tag, and names one that is not', () => {
    for (const markup of ['<ol lang="en_US"><li>a</li></ol>', '<p lang="th_TH">ภาษาไทย</p>', '<p>a <span lang="x y">b</span></p>']) {
      expect(() => layout(`<document>\n${markup}</document>`)).toThrow(/lang must be a BCP 47 language tag like pt-BR or zh-Hant, not "/);
    }
    expect(layout('<document><ol lang="ar-EG"><li>a</li></ol></document>').pages).toHaveLength(1);
  });

  it('names the template line of an image or icon file that is not there', () => {
    expect(() => layout('<document>\n<image src="photos/nope.jpg"/></document>')).toThrow('image file not found: photos/nope.jpg (a path from the project folder)');
    let err: HandoutError | undefined;
    try {
      layout('<document>\n\n<h2 icon="templates/icons/nope.svg">x</h2></document>');
    } catch (e) {
      err = e as HandoutError;
    }
    expect(err?.format()).toBe('templates/t.hbs:3: icon file not found: templates/icons/nope.svg (a path from the project folder)');
  });

  it('takes no name every object has for a theme colour, a paper size or a language', () => {
    expect(() => layout('<document>\n<p color="toString">x</p></document>')).toThrow(/"toString" is not a colour/);
    expect(() => layout('<document size="constructor"><p>x</p></document>')).toThrow(/unknown page size "constructor"/);
    expect(() => layout('<document><p>x</p></document>', { print: { size: 'toString', twoUp: true } })).toThrow(/2-up prints two half-size pages on an A4 or Letter sheet, and this document.s size is "toString"/);
    // Such a language (a valid tag) simply has no hyphenation patterns.
    const doc = layout('<document><p lang="valueOf">Breastfeeding-friendly neighbourhoods everywhere</p></document>');
    expect(runs(doc.pages[0]!).map((r) => r.text).join('')).toContain('neighbourhoods');
  });
});

describe('2-up imposition', () => {
  const doc = (width: number, height: number): LayoutDoc => ({
    meta: { title: 't', author: 'a', subject: 's', keywords: [], lang: 'en', dir: 'ltr' },
    structure: [],
    fit: { scale: 1, area: 0, room: 0 },
    pages: [{ width, height, boxes: [
      { kind: 'rect', x: 0, y: 0, w: width, h: 80, fill: { hex: '#1f6f78' } },
      { kind: 'rect', x: 40, y: 100, w: 50, h: 20, fill: { hex: '#000000' } },
    ] }],
  });
  const rects = (d: LayoutDoc) => d.pages[0]!.boxes.filter((b): b is Extract<LayoutDoc['pages'][number]['boxes'][number], { kind: 'rect' }> => b.kind === 'rect').map((b) => ({ x: +b.x.toFixed(3), y: +b.y.toFixed(3), w: +b.w.toFixed(3), h: +b.h.toFixed(3), repeat: b.repeat ?? false }));

  it('puts A5 pages side by side on an A4 sheet, each centred in its half, backgrounds to the half\'s edges', () => {
    const sheet = imposeTwoUp(doc(419.53, 595.28));
    expect([sheet.pages[0]!.width, sheet.pages[0]!.height]).toEqual([841.89, 595.28]);
    const half = 841.89 / 2;
    const dx = (half - 419.53) / 2;
    expect(rects(sheet)).toEqual([
      { x: 0, y: 0, w: +half.toFixed(3), h: 80, repeat: false },
      { x: +(40 + dx).toFixed(3), y: 100, w: 50, h: 20, repeat: false },
      { x: +half.toFixed(3), y: 0, w: +half.toFixed(3), h: 80, repeat: true },
      { x: +(half + dx + 40).toFixed(3), y: 100, w: 50, h: 20, repeat: true },
    ]);
    const cut = sheet.pages[0]!.boxes.find((b) => b.kind === 'line');
    expect(cut).toMatchObject({ x1: half, x2: half, y1: 0, y2: 595.28 });
  });

  it('puts landscape half-letter pages one above the other on an upright Letter sheet', () => {
    const sheet = imposeTwoUp(doc(612, 396));
    expect([sheet.pages[0]!.width, sheet.pages[0]!.height]).toEqual([612, 792]);
    expect(rects(sheet).map((r) => [r.x, r.y, r.repeat])).toEqual([[0, 0, false], [40, 100, false], [0, 396, true], [40, 496, true]]);
    expect(sheet.pages[0]!.boxes.find((b) => b.kind === 'line')).toMatchObject({ x1: 0, x2: 612, y1: 396, y2: 396 });
  });
});

describe('SVG images', () => {
  const problem = (svg: string) => {
    try {
      svgSize(svg, 'brands/x/logo.svg');
    } catch (e) {
      return (e as HandoutError).format();
    }
    return 'read';
  };

  it('take their size from width and height or the viewBox; text and pictures inside are named', () => {
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="20mm"><rect width="1" height="1"/></svg>', 'x.svg').width).toBeCloseTo((40 * 72) / 25.4);
    expect(svgSize('<svg viewBox="0 0 200 100"><rect/></svg>', 'x.svg')).toEqual({ width: 150, height: 75 });
    expect(problem('<svg viewBox="0 0 10 10"><text>Hi</text></svg>')).toBe('brands/x/logo.svg: SVG images with <text> are not supported: convert the text to outlines');
    // A photo placed in a design tool: linked (not drawable) or embedded (would escape --grayscale).
    expect(problem('<svg viewBox="0 0 10 10"><image href="photo.png" width="10" height="10"/></svg>')).toBe(
      'brands/x/logo.svg: SVG images with a picture inside (<image href="photo.png">) are not supported: export the logo as PNG, or use that picture as the logo',
    );
    expect(problem('<svg viewBox="0 0 10 10"><image width="10" xlink:href="data:image/png;base64,iVBORw0KGgo="/></svg>')).toMatch(/\(<image href="data:image\/png…">\)/);
    // What another file holds (a sprite sheet, a pattern on the web) was left blank or black.
    expect(problem('<svg viewBox="0 0 10 10"><use xlink:href="shared/sprite.svg#logo"/></svg>')).toBe(
      'brands/x/logo.svg: SVG images that draw from outside themselves ("shared/sprite.svg#logo") are not supported: put what it refers to into the SVG, or export the logo as PNG',
    );
    expect(problem('<svg viewBox="0 0 10 10"><rect fill="url(http://example.org/p.svg#g)" width="10" height="10"/></svg>')).toMatch(/\("http:\/\/example\.org\/p\.svg#g"\)/);
    expect(problem('<svg viewBox="0 0 10 10"><rect style="fill: url( \'x.svg#g\' )"/></svg>')).toMatch(/\("x\.svg#g"\)/);
    // Its own gradients and shapes are drawn.
    expect(problem('<svg viewBox="0 0 10 10"><defs><linearGradient id="g"/><path id="p" d="M0 0h1"/></defs><use href="#p"/><rect fill="url(#g)"/><rect fill="url( \'#g\' )"/></svg>')).toBe('read');
    expect(problem('<svg')).toBe('brands/x/logo.svg: cannot read image: not an SVG file');
  });
});
