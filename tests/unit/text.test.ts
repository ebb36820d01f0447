import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as vm from 'node:vm';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoutError } from '../../src/model/diagnostic.js';
import { bidiClass, embeddingLevels, mayGoRtl, mirroredCodePoint, visualOrder } from '../../src/text/bidi.js';
import { breakOpportunities } from '../../src/text/breaks.js';
import { PATTERN_SETS } from '../../src/text/hyphenate.js';
import { graphemeBounds, oneUnitClusters } from '../../src/text/analysis.js';
import { type LineLayout, layoutParagraph } from '../../src/text/paragraph.js';
import { shape } from '../../src/text/shape.js';
import { myanmarDrawingOrder } from '../../src/text/myanmar.js';
import { openTypeLanguage } from '../../src/text/ot-language.js';
import { glyphTexts, searchedGlyphTexts } from '../../src/render/glyph-text.js';
import { FontRegistry, unlistedStyle } from '../../src/fonts/registry.js';
import { createMemoryIo } from '../../src/io/memory-io.js';
import { fonts, ROOT, style } from '../helpers.js';

const lines = (text: string, lang: string, dir: 'ltr' | 'rtl', width = 1000) =>
  layoutParagraph([{ text, style: style(lang) }], { width, align: 'start', dir }, fonts()).lines;

/** The run texts of a line from left to right (visual order). */
const leftToRight = (l: ReturnType<typeof lines>[number]) => [...l.runs].sort((a, b) => a.x - b.x).map((r) => r.text);

describe('bidi', () => {
  it('reorders levels by UAX #9 rule L2', () => {
    expect(visualOrder([0, 0, 1, 1, 0])).toEqual([0, 1, 3, 2, 4]);
    expect(visualOrder([1, 1, 2, 2, 1])).toEqual([4, 2, 3, 1, 0]);
  });

  it('puts numbers, a URL and a Latin name of an Arabic sentence in display order', () => {
    const text = 'اتصلوا بـ Sunrise Clinic على 0187 555 أو زوروا www.iaim.net (اليوم)';
    const [line] = lines(text, 'ar', 'rtl');
    const runs = leftToRight(line!);
    // Reading right to left: Arabic first, the later parts further left.
    const pos = (s: string) => runs.findIndex((r) => r.includes(s));
    expect(pos('اتصلوا')).toBeGreaterThan(pos('Sunrise'));
    expect(pos('Sunrise')).toBeGreaterThan(pos('0187'));
    expect(pos('0187')).toBeGreaterThan(pos('www.iaim.net'));
    expect(pos('www.iaim.net')).toBeGreaterThan(pos('اليوم'));
    // Left-to-right pieces keep their inner order.
    expect(runs.join('')).toContain('Sunrise Clinic');
    expect(runs.join('')).toContain('www.iaim.net');
  });

  it('takes text for all left-to-right only when no character in it could say otherwise', () => {
    // The shortcut skips the algorithm for text outside its ranges: check the premise for
    // every character of the Basic Multilingual Plane outside them, against bidi-js itself.
    const raising = new Set(['R', 'AL', 'AN', 'LRE', 'RLE', 'LRO', 'RLO', 'PDF', 'LRI', 'RLI', 'FSI', 'PDI']);
    const outside: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      const ch = String.fromCharCode(cp);
      if (!mayGoRtl(ch)) outside.push(ch);
    }
    expect(outside.length).toBeGreaterThan(60_000);
    expect(outside.filter((ch) => raising.has(bidiClass(ch)))).toEqual([]);
    // And the shortcut gives what the algorithm gives (an empty isolate makes it run), digits,
    // marks and line feeds included.
    const algorithm = (t: string) => [...embeddingLevels(t, 'ltr', [{ start: 0, end: 0, dir: 'ltr' }])];
    for (const t of ['Massage 1,5 h (20 min) — 3×/week', 'Tiếng Việt: 0187 555\nnext', 'x\u0301\u200e 12% ']) {
      expect([...embeddingLevels(t, 'ltr')]).toEqual(algorithm(t));
    }
    expect([...embeddingLevels('abc שלום', 'ltr')].some((l) => l > 0)).toBe(true);
  });

  it('mirrors paired brackets in right-to-left runs', () => {
    const [line] = lines('(اليوم)', 'ar', 'rtl');
    const glyphs = [...line!.runs].sort((a, b) => a.x - b.x).flatMap((r) => r.glyphs);
    // Drawn left to right: the glyph on the left is the one for ")" after mirroring of "(".
    const first = glyphs[0]!.codePoints[0];
    const last = glyphs[glyphs.length - 1]!.codePoints[0];
    expect(String.fromCodePoint(first!)).toBe('(');
    expect(String.fromCodePoint(last!)).toBe(')');
  });
});

describe('shaping', () => {
  it('joins Arabic letters (contextual forms differ from the isolated ones)', () => {
    const face = fonts().chain({ families: [], bold: false, italic: false, lang: 'ar' }, 'Arabic')[0]!.face;
    const joined = shape(face, 'سلام', true).glyphs.map((g) => g.id);
    const isolated = ['س', 'ل', 'ا', 'م'].map((c) => shape(face, c, true).glyphs[0]!.id);
    expect(joined).toHaveLength(4);
    expect(joined.reverse()).not.toEqual(isolated);
  });

  it('forms Devanagari conjuncts and moves the i-matra before its consonant, yet copies out in typed order', () => {
    const face = fonts().chain({ families: [], bold: false, italic: false, lang: 'hi' }, 'Devanagari')[0]!.face;
    const word = 'मालिश';
    const s = shape(face, word, false);
    expect(s.reordered).toBe(true);
    const drawn = s.glyphs.map((g) => String.fromCodePoint(...g.codePoints)).join('');
    expect(drawn).not.toBe(word);
    expect(glyphTexts(s.glyphs, word, false, (c) => c).join('')).toBe(word);
    const conjunct = shape(face, 'क्ष', false);
    expect(conjunct.glyphs.length).toBeLessThan(3);
  });

  it('keeps each glyph’s metrics across the glyph objects shaping throws away, the same as decoded anew', () => {
    // Regular and bold share glyph ids with other advances: metrics are kept per font.
    for (const [lang, bold] of [['en', false], ['en', true], ['ja', false]] as const) {
      const face = fonts().chain({ families: [], bold, italic: false, lang }, lang === 'ja' ? 'Han' : 'Latin')[0]!.face;
      const text = lang === 'ja' ? 'ベビーマッサージの効果' : 'Gentle massage, Ůž!';
      const kept = shape(face, text, false).glyphs.map((g) => g.advance);
      expect(shape(face, text + ' ', false).glyphs.slice(0, -1).map((g) => g.advance)).toEqual(kept);
      // Each glyph's advance as the font's hmtx table gives it, for new glyph objects.
      const font = face.font as unknown as { hmtx: { metrics: { length: number; get(i: number): { advance: number } } }; _glyphs: object };
      const fromTable = (id: number) => font.hmtx.metrics.get(Math.min(id, font.hmtx.metrics.length - 1)).advance;
      const ids = [...new Set(shape(face, text, false).glyphs.map((g) => g.id))];
      font._glyphs = {};
      expect(ids.map((id) => face.font.getGlyph(id).advanceWidth)).toEqual(ids.map(fromTable));
    }
  });
});

describe('shaping as HarfBuzz does', () => {
  // Glyph ids from HarfBuzz 6.0's hb-shape for the same fonts and text (recorded, as CI has no
  // HarfBuzz). The fixtures are Noto fonts a user would drop into fonts/.
  const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'tests/fixtures/fonts', name));
  const dropped = new FontRegistry(createMemoryIo('/p', { 'fonts/NotoSansMyanmar-Regular.ttf': fixture('NotoSansMyanmar-Regular.ttf'), 'fonts/NotoSansLao-Regular.ttf': fixture('NotoSansLao-Regular.ttf') }));
  const faceFor = (registry: FontRegistry, script: string, family?: string) => registry.chain({ families: family ? [family] : [], bold: false, italic: false, lang: 'und' }, script)[0]!.face;
  const ids = (face: ReturnType<typeof faceFor>, text: string, lang = '') => shape(face, text, false, lang).glyphs.map((g) => g.id);

  it('puts Myanmar vowel signs and medials where they are drawn, with the stacked and medial forms', () => {
    const myanmar = faceFor(dropped, 'Myanmar', 'NotoSansMyanmar');
    const hb: [string, number[]][] = [
      ['ကလေး', [4, 372, 32, 379]], // ေ before the consonant it follows in typing
      ['ကြေ', [372, 198, 4]], // ေ, then medial ra wrapping the consonant
      ['ကြိုး', [200, 4, 369, 210, 379]], // the u-sign's spacing form under a medial ra
      ['ပြုံး', [47, 25, 377, 210, 379]],
      ['နှိပ်နယ်ခြင်းသည်', [262, 384, 369, 25, 381, 24, 30, 381, 47, 5, 8, 381, 379, 34, 14, 381]],
      ['အင်္ဂလိပ်', [37, 6, 189, 32, 369, 25, 381]], // kinzi: drawn above the consonant after it
      ['ကမ္ဘာ', [4, 29, 271, 368]], // stacked consonant
      ['တွေ့ခြ', [372, 20, 390, 596, 47, 5]], // one spacing glyph before the medial ra, not two
      ['မန္တလေး', [29, 262, 254, 372, 32, 379]],
      ['သင်္ချိုင်း', [34, 5, 189, 382, 369, 210, 8, 381, 379]],
      ['လျော့နည်း', [372, 32, 382, 368, 378, 24, 14, 381, 379]],
    ];
    for (const [word, glyphs] of hb) expect([word, ids(myanmar, word)]).toEqual([word, glyphs]);
    expect(myanmarDrawingOrder('ကလေး')).toBe('ကေလး');
    expect(myanmarDrawingOrder('ကြေ')).toBe('ေြက');
  });

  it('applies chaining rules whose earlier glyphs differ (Lao vowel above a consonant)', () => {
    expect(ids(faceFor(dropped, 'Lao', 'NotoSansLao'), 'ເດັກນ້ອຍ')).toEqual([37, 11, 105, 4, 15, 68, 29, 10]);
  });

  it('gives the Bengali e-sign its initial form only at the start of a word', () => {
    const bengali = faceFor(fonts(), 'Bengali');
    expect(ids(bengali, 'পরিবারের', 'bn')).toEqual([40, 55, 46, 42, 54, 61, 46, 46]);
    expect(ids(bengali, 'মালিশের', 'bn')).toEqual([44, 54, 492, 47, 61, 48, 46]);
    expect(ids(bengali, 'যোগাযোগ', 'bn')).toEqual([450, 45, 54, 22, 54, 61, 45, 54, 22]);
  });

  it('shapes a piece of spaces or punctuation in the script of its run (Korean space, Chinese double dash)', () => {
    // Between two break opportunities a space or a dash is a piece of its own; HarfBuzz shapes
    // it inside its run, where the font's Korean space and Chinese dash ligature apply.
    const glyphs = (text: string, lang: string) => lines(text, lang, 'ltr').flatMap((l) => l.runs.flatMap((r) => r.glyphs.map((g) => g.id)));
    expect(glyphs('아기 마사지', 'ko')).toEqual([54079, 48171, 63108, 51139, 52903, 55227]);
    expect(glyphs('哭闹——一切', 'zh-Hans')).toEqual([12280, 43030, 63143, 9481, 11146]);
  });

  it('uses the font’s forms for the text’s language (Nepali conjuncts differ from Hindi ones)', () => {
    const devanagari = faceFor(fonts(), 'Devanagari');
    expect(ids(devanagari, 'मद्दत', 'ne')).toEqual([50, 42, 81, 42, 40]);
    expect(ids(devanagari, 'मद्दत', 'hi')).toEqual([50, 533, 40]);
    expect(openTypeLanguage('ne')).toBe('NEP ');
    expect(openTypeLanguage('zh-Hant')).toBe('ZHT ');
    expect(openTypeLanguage('pt-BR')).toBe('PTG ');
    expect(openTypeLanguage('tlh')).toBeUndefined();
  });
});

describe('grapheme clusters', () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const reference = (t: string) => Array.from(segmenter.segment(t), (g) => [g.index, g.index + g.segment.length]);

  it('agrees with Intl.Segmenter on every character the one-unit shortcut takes', () => {
    // Every character of the Basic Multilingual Plane the shortcut takes, between letters and
    // next to itself.
    const chars: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) if (oneUnitClusters(String.fromCharCode(cp))) chars.push(String.fromCharCode(cp));
    expect(chars).toContain('ệ');
    const text = chars.map((c) => `a${c}${c}`).join('');
    expect(oneUnitClusters(text)).toBe(true);
    expect(graphemeBounds(text)).toEqual(reference(text));
  });

  it('leaves combining marks, CR LF, emoji and Indic clusters to Intl.Segmenter', () => {
    for (const t of ['Tie\u0302\u0301ng Vie\u0323t', 'one\r\ntwo', 'family 👨‍👩‍👧 ❤️', 'नमस्ते क्षत्रिय', '™\ufe0f', 'Привет\u0301']) {
      expect(graphemeBounds(t)).toEqual(reference(t));
    }
    expect(graphemeBounds('e\u0301').length).toBe(1);
  });
});

describe('line breaking', () => {
  it('never starts a CJK line with closing punctuation', () => {
    const text = '按摩能改善睡眠。帮助肌张力趋于正常。让宝宝身体更柔韧。也更能适应新环境。';
    for (let width = 40; width <= 200; width += 7) {
      for (const l of lines(text, 'zh-Hans', 'ltr', width)) {
        expect(l.runs[0]!.text[0]).not.toBe('。');
      }
    }
  });

  it('breaks Thai between words, with a dictionary', () => {
    const text = 'ภาษาไทยเขียนติดกันโดยไม่มีช่องว่างระหว่างคำ';
    const breaks = breakOpportunities(text, 'th').map((b) => b.pos);
    expect(breaks.length).toBeGreaterThan(4);
    expect(breaks).toContain('ภาษา'.length);
    expect(breaks).not.toContain(1);
  });

  it('ends a line with a spaced dash, never starts one with it', () => {
    const ru = 'Малыши могут есть, спать или плакать — вы подстраиваетесь под ребёнка.';
    const breaks = breakOpportunities(ru, 'ru').map((b) => b.pos);
    expect(breaks).not.toContain(ru.indexOf('—'));
    expect(breaks).toContain(ru.indexOf('— ') + 2);
    const en = 'Babies may feed, sleep or cry at any time – you follow your baby’s lead.';
    expect(breakOpportunities(en, 'en').map((b) => b.pos)).not.toContain(en.indexOf('–'));
    // Unspaced, as in a range, the dash keeps UAX #14's break after it.
    expect(breakOpportunities('pages 10–12 and more', 'en').map((b) => b.pos)).toContain('pages 10–'.length);
  });

  it('keeps a web address written without its scheme whole, and in its order in right-to-left text', () => {
    const url = 'northside-wellbeing.org/infant-massage';
    const text = `الموقع: ${url} للمزيد`;
    const inside = breakOpportunities(text, 'ar').map((b) => b.pos).filter((p) => p > text.indexOf(url) && p < text.indexOf(url) + url.length);
    // It had broken after "infant-", which reads as a hyphenated word.
    expect(inside).toEqual([]);
    const [line] = lines(text, 'ar', 'rtl');
    expect(leftToRight(line!).join('')).toContain(url);
    // An e-mail address keeps its own range; prose with stops is not an address.
    expect(breakOpportunities('Write to care@clinic-name.org or call.', 'en').map((b) => b.pos)).not.toContain('Write to care@clinic-'.length);
    expect(breakOpportunities('Massage helps, e.g. with colic. It soothes.', 'en').map((b) => b.pos)).toContain('Massage helps, e.g. '.length);
  });

  it('keeps a Polish, Czech, Russian or Ukrainian one-letter word off the end of a line', () => {
    const text = 'Witamy! W najbliższych tygodniach nauczysz się masażu dla swojego dziecka – w małej grupie, z innymi rodzicami i dziećmi.';
    const after = (word: string, lang: string) => breakOpportunities(text, lang).some((b) => b.pos === text.indexOf(word) + word.length);
    for (const word of ['– w ', ' z ', ' i ', 'W ']) {
      expect(after(word, 'pl'), word).toBe(false);
      expect(after(word, 'en'), word).toBe(true);
    }
    expect(after('dla ', 'pl')).toBe(true);
    for (let width = 60; width <= 300; width += 9) {
      for (const l of lines(text, 'pl', 'ltr', width).slice(0, -1)) expect(l.runs.map((r) => r.text).join('')).not.toMatch(/(^|\s)[aiouwz]\s*$/i);
    }
    expect(breakOpportunities('Přijďte k nám s dítětem', 'cs').map((b) => b.pos)).not.toContain('Přijďte k '.length);
    // Russian and Ukrainian prepositions and conjunctions (the flyers ended lines on "с" and "з").
    const ru = 'Малыш получает спокойное время наедине с вами и близость с обоими родителями.';
    const ruBreaks = breakOpportunities(ru, 'ru').map((b) => b.pos);
    for (const word of ['наедине с ', 'вами и ', 'близость с ']) expect(ruBreaks, word).not.toContain(ru.indexOf(word) + word.length);
    expect(breakOpportunities(ru, 'en').map((b) => b.pos)).toContain(ru.indexOf('наедине с ') + 'наедине с '.length);
    const uk = 'Час наодинці з вами й близькість з обома батьками.';
    expect(breakOpportunities(uk, 'uk').map((b) => b.pos)).not.toContain('Час наодинці з '.length);
    expect(breakOpportunities(uk, 'uk').map((b) => b.pos)).not.toContain('Час наодинці з вами й '.length);
  });

  it('keeps URLs, e-mail addresses and phone numbers whole', () => {
    const text = 'Call +1 555 0187 or mail families@sunrise-clinic.example or see https://www.iaim.net/about/us';
    const breaks = breakOpportunities(text, 'en').map((b) => b.pos);
    const inside = (s: string) => {
      const at = text.indexOf(s);
      return breaks.filter((p) => p > at && p < at + s.length);
    };
    expect(inside('+1 555 0187')).toEqual([]);
    expect(inside('families@sunrise-clinic.example')).toEqual([]);
    expect(inside('https://www.iaim.net/about/us')).toEqual([]);
  });

  it('breaks a URL or e-mail address longer than the line where print breaks one, not inside a word', () => {
    const lineTexts = (text: string, width: number) => lines(text, 'en', 'ltr', width).map((l) => l.runs.map((r) => r.text).join(''));
    for (const text of ['families.and.newborns.department@sunrise-family-clinic-springfield.example.org', 'https://www.sunrise-family-clinic-springfield.example.org/infant-massage-classes/2027']) {
      for (const width of [90, 140, 200]) {
        const ls = lineTexts(text, width);
        expect(ls.join('')).toBe(text);
        expect(ls.length).toBeGreaterThan(1);
        // Every line after the first starts with the mark it was broken before, or follows a //.
        for (let i = 1; i < ls.length; i++) expect(/^[.\-@/]/.test(ls[i]!) || ls[i - 1]!.endsWith('//'), `${ls[i - 1]} | ${ls[i]}`).toBe(true);
        for (const l of lines(text, 'en', 'ltr', width)) expect(l.width).toBeLessThanOrEqual(width + 0.01);
      }
    }
    // A part with no such mark, longer than the line, is still cut between letters.
    const ls = lineTexts('www.example.org/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz', 60);
    expect(ls.join('')).toBe('www.example.org/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz');
    expect(ls.length).toBeGreaterThan(3);
  });

  it('fills lines greedily within the width and keeps words whole', () => {
    const text = 'Massage improves sleep, helps normalise muscle tone and makes your baby more flexible.';
    const ls = lines(text, 'en', 'ltr', 150);
    expect(ls.length).toBeGreaterThan(2);
    for (const l of ls) expect(l.width).toBeLessThanOrEqual(150.01);
    // Lines keep their final space (hanging, unmeasured), so the text reads on across lines.
    expect(ls.map((l) => l.runs.map((r) => r.text).join('')).join('')).toBe(text);
  });

  it('keeps Korean words whole (breaks only at spaces), with the brackets, dots and Latin letters they hold', () => {
    const text = '마사지는 아기의 수면을 개선하고 과도한 점액(가래·콧물), CIMI를 통해 근육의 긴장을 정상화하는 데 도움이 됩니다';
    // Every word fits these widths; a narrower column would break the longest in an emergency.
    for (let width = 100; width <= 220; width += 6) {
      for (const l of lines(text, 'ko', 'ltr', width)) {
        const t = l.runs.map((r) => r.text).join('');
        for (const word of t.trim().split(' ')) expect(text.split(' ')).toContain(word);
      }
    }
    expect(breakOpportunities('아기—엄마', 'ko').map((b) => b.pos)).toContain(3);
  });
});

describe('fonts and coverage', () => {
  it('falls back per script: Latin, Arabic, Devanagari and Han in one paragraph', () => {
    const [line] = lines('Hi مرحبا नमस्ते 你好', 'en', 'ltr');
    const families = new Set(line!.runs.map((r) => r.face.family));
    expect(families).toEqual(new Set(['Noto Sans', 'Noto Naskh Arabic', 'Noto Sans Devanagari', 'Noto Sans CJK SC']));
  });

  it('picks the Japanese face for Han characters in Japanese text', () => {
    const [line] = lines('日本語の文章', 'ja', 'ltr');
    expect(line!.runs[0]!.face.family).toBe('Noto Sans CJK JP');
  });

  it('reports a character no font covers with its code point and script, never a blank', () => {
    let err: unknown;
    try {
      layoutParagraph([{ text: 'Linear B: 𐀀', style: style('en') }], { width: 300, align: 'start', dir: 'ltr', where: { file: 'templates/x.hbs', line: 3 } }, fonts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HandoutError);
    expect((err as HandoutError).code).toBe('coverage');
    expect((err as HandoutError).format()).toMatch(/templates\/x\.hbs:3: no font covers "𐀀" \(U\+10000, script Linear_B\)/);
  });

  it('takes the styles of font files dropped in without a fonts.yaml entry from their names', () => {
    expect(unlistedStyle('NotoSansThai-Regular.ttf')).toEqual({ family: 'NotoSansThai', slot: 'regular' });
    expect(unlistedStyle('NotoSansThai-Bold.ttf')).toEqual({ family: 'NotoSansThai', slot: 'bold' });
    expect(unlistedStyle('Foo_BoldItalic.otf')).toEqual({ family: 'Foo', slot: 'bolditalic' });
    expect(unlistedStyle('Foo-Oblique.ttf')).toEqual({ family: 'Foo', slot: 'italic' });
    expect(unlistedStyle('Handwriting.ttf')).toEqual({ family: 'Handwriting', slot: 'regular' });
    // The shipped Hebrew files under their own names, with no manifest: the bold file sorts
    // first, yet regular text gets the regular face and bold text the bold one, not simulated.
    const hebrew = (name: string) => fs.readFileSync(path.join(ROOT, 'fonts', name));
    const io = createMemoryIo('/p', { 'fonts/NotoSansHebrew-Bold.ttf': hebrew('NotoSansHebrew-Bold.ttf'), 'fonts/NotoSansHebrew-Regular.ttf': hebrew('NotoSansHebrew-Regular.ttf') });
    const registry = new FontRegistry(io);
    const pick = (bold: boolean) => registry.chain({ families: [], bold, italic: false, lang: 'he' }, 'Hebrew')[0]!;
    expect(pick(false)).toMatchObject({ face: { file: 'fonts/NotoSansHebrew-Regular.ttf' }, fakeBold: false });
    expect(pick(true)).toMatchObject({ face: { file: 'fonts/NotoSansHebrew-Bold.ttf' }, fakeBold: false });
    // A locale's fonts list may name such a family, and it then comes first.
    expect(registry.chain({ families: ['NotoSansHebrew'], bold: false, italic: false, lang: 'en' }, 'Latin')[0]!.face.family).toBe('NotoSansHebrew');
    // Only a bold file: upright text still has a face (simulated bold is for bold text alone).
    const boldOnly = new FontRegistry(createMemoryIo('/q', { 'fonts/NotoSansHebrew-Bold.ttf': hebrew('NotoSansHebrew-Bold.ttf') }));
    expect(boldOnly.chain({ families: [], bold: false, italic: false, lang: 'he' }, 'Hebrew')[0]).toMatchObject({ face: { file: 'fonts/NotoSansHebrew-Bold.ttf' }, fakeBold: false });
  });
});

describe('numbers in right-to-left text', () => {
  it('keeps a phone number with spaces in its own order inside Hebrew', () => {
    const [line] = lines('טלפון: +1 555 0187 תודה', 'he', 'rtl');
    const visual = [...line!.runs].sort((a, b) => a.x - b.x).map((r) => r.text).join('|');
    expect(visual).toContain('+1 555 0187');
  });
});

describe('times in right-to-left text', () => {
  const urdu = 'منگل، 1 دسمبر، 2026، 10:00\u00a0AM – 11:00\u00a0AM';
  it('keep a Latin day period with its time, the range reading right to left', () => {
    const [line] = lines(urdu, 'ur', 'rtl');
    const visual = [...line!.runs].sort((a, b) => a.x - b.x).map((r) => r.text).join('');
    // Left to right on the page: the end of the range, then its start; "AM" after each.
    expect(visual).toMatch(/^11:00\u00a0AM – 10:00\u00a0AM/);
    // One "AM" for both, as the range helper writes it: it stays with the end, at the far left.
    const [shared] = lines('منگل، 1 دسمبر، 2026، 10:00 – 11:00\u00a0AM', 'ur', 'rtl');
    expect(leftToRight(shared!).join('').replace(/[\s\u00a0]/g, '')).toMatch(/^11:00AM–10:00،/);
    // Typed in a translation, with a plain space: "AM 10:00" had been drawn.
    const [typed] = lines('اتصلوا بنا من 10:00 AM حتى 5:00 p.m. يوميا', 'ar', 'rtl');
    const drawn = leftToRight(typed!).join('');
    expect(drawn).toContain('10:00 AM');
    expect(drawn).toContain('5:00 p.m.');
  });

  it('set every European digit of a line in the face of its main script', () => {
    const faces = (text: string) => {
      const [line] = lines(text, 'ur', 'rtl');
      return new Set(line!.runs.filter((r) => /\d/.test(r.text)).map((r) => r.face.family));
    };
    // Digits after "AM" took the Latin face, the others the Arabic one: two sizes in a line.
    expect(faces(urdu)).toEqual(new Set(['Noto Naskh Arabic']));
    // A Latin address after an Arabic label keeps its house number in the Latin face.
    expect(faces('العنوان: 220 Harbour Road, Springfield')).toEqual(new Set(['Noto Sans']));
  });

  it('draw European digits at the Latin size, though their face enlarges its own letters', () => {
    // The Arabic face is drawn 1.2 times larger; its digits are the Latin face's, and at 1.2
    // they stood out beside "AM", a phone number's "+" and an e-mail address.
    const sizes = (text: string, lang: string) => {
      const runs = lines(text, lang, 'rtl')[0]!.runs;
      const of = (re: RegExp) => new Set(runs.filter((r) => re.test(r.text)).map((r) => r.size));
      return { digits: of(/^[ ]*\d[\d :.]*$/), latin: of(/^[\u00a0 ]*[A-Za-z+@][A-Za-z+@.\u00a0 ]*$/), arabic: of(/[\u0600-\u06ff]/) };
    };
    const urduTimes = sizes(urdu, 'ur');
    expect(urduTimes.digits).toEqual(urduTimes.latin);
    expect([...urduTimes.arabic][0]).toBeCloseTo([...urduTimes.digits][0]! * 1.2);
    // "+1 555 0100": the digits and the spaces between them at the size of the "+".
    const phone = sizes('الهاتف: +1 555 0100', 'ar');
    expect(phone.digits).toEqual(phone.latin);
    expect(phone.digits.size).toBe(1);
  });

  it('are not broken inside, nor inside a range of them', () => {
    const text = 'Tuesday, December 15, 2026, 10:00\u00a0AM – 11:00\u00a0AM';
    const breaks = breakOpportunities(text, 'en').map((b) => b.pos);
    const start = text.indexOf('10:00');
    expect(breaks.filter((p) => p > start && p < text.length)).toEqual([]);
    expect(breaks).toContain(start);
    const persian = 'سه‌شنبه، ۱۰:۰۰ – ۱۱:۰۰';
    expect(breakOpportunities(persian, 'fa').map((b) => b.pos).filter((p) => p > persian.indexOf('۱۰') && p < persian.length)).toEqual([]);
  });
});

describe('bidi isolates from markup', () => {
  it('keeps a Latin address whole inside Hebrew when the span is an isolate', () => {
    const label = { text: 'כתובת: ', style: style('he') };
    const address = { text: '220 Harbour Road', style: style('he') };
    const plain = layoutParagraph([label, address], { width: 1000, align: 'start', dir: 'rtl' }, fonts()).lines[0]!;
    const isolated = layoutParagraph([label, { ...address, isolate: { dir: 'auto' as const } }], { width: 1000, align: 'start', dir: 'rtl' }, fonts()).lines[0]!;
    const visual = (l: typeof plain) => [...l.runs].sort((a, b) => a.x - b.x).map((r) => r.text).join('|');
    // Without the isolate, UAX #9 sends the house number to the far side of the street name.
    expect(visual(plain)).not.toContain('220 Harbour Road');
    expect(visual(isolated)).toContain('220 Harbour Road');
  });

  it('keeps the order of a left-to-right span that holds phone numbers and wraps, in Arabic', () => {
    // The phone numbers are isolates of their own inside the span's: the second one used to be
    // marked over the span's end, and the lines read "/ +44 … 0959" and "ext 2 +44 … 0960".
    const phones = '+44 20 7946 0958 / +44 20 7946 0959 / +44 20 7946 0960 ext 2';
    const spans = [
      { text: 'الهاتف: ', style: style('ar') },
      { text: phones, style: style('ar'), isolate: { dir: 'ltr' as const } },
    ];
    for (const width of [200, 260]) {
      const ls = layoutParagraph(spans, { width, align: 'start', dir: 'rtl' }, fonts()).lines;
      expect(ls.length).toBeGreaterThan(1);
      // Each line's Latin part reads left to right as written, and the lines together give it whole.
      const latin = ls.map((l) => [...l.runs].sort((a, b) => a.x - b.x).map((r) => r.text).join('').replace(/[\u0600-\u06ff]+:?/g, '').trim());
      for (const part of latin) expect(phones).toContain(part);
      expect(latin.join(' ')).toBe(phones);
    }
  });

  it('nests isolates and drops one that overlaps another without lying inside it', () => {
    const text = 'אב 12 34 / 56 78 גד';
    const span = { start: 3, end: 16, dir: 'ltr' as const };
    const inner = [{ start: 3, end: 8, dir: 'ltr' as const }, { start: 11, end: 16, dir: 'ltr' as const }];
    const levels = (isolates: { start: number; end: number; dir: 'ltr' | 'rtl' | 'auto' }[]) => [...embeddingLevels(text, 'rtl', isolates)];
    // The whole span is left to right (an even level), its slash included; inner ones nest.
    expect(levels([span, ...inner]).slice(3, 16).every((l) => l % 2 === 0)).toBe(true);
    expect(levels([span]).slice(3, 16)).toEqual(Array(13).fill(2));
    expect(levels([...inner, span])).toEqual(levels([span, ...inner]));
    // A range crossing the span's end is dropped: the span alone decides.
    expect(levels([span, { start: 12, end: 18, dir: 'ltr' }])).toEqual(levels([span]));
  });

  it('gives each line of a value written on several lines the direction of its own first letter', () => {
    // An address in an Arabic handout, and an Arabic one in an English handout: a line break
    // ends the isolate, so the second line had taken the paragraph's direction.
    const latin = 'المكان: Riverside Centre\n14 Mill Lane';
    const value = { start: 8, end: latin.length, dir: 'auto' as const };
    const second = [...embeddingLevels(latin, 'rtl', [value])].slice(latin.indexOf('14'));
    expect(second.every((l) => l === 2)).toBe(true);
    const arabic = 'Place: مركز النيل\n12 شارع النيل';
    const rtlLine = [...embeddingLevels(arabic, 'ltr', [{ start: 7, end: arabic.length, dir: 'auto' }])].slice(arabic.indexOf('12'));
    // A right-to-left line (level 1) with its number inside it (level 2), so the number reads
    // first, at the right; in a left-to-right line the number was level 0, at the left.
    expect(rtlLine).toEqual([2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('line filling', () => {
  it('gives a paragraph\'s last line more than one Chinese character and its full stop', () => {
    const text = '婴儿按摩有助于亲子联结和宝宝的睡眠质量。';
    const one = lines(text, 'zh-Hans', 'ltr')[0]!;
    const em = one.width / [...text].length;
    const texts = (width: number) => lines(text, 'zh-Hans', 'ltr', width).map((l) => l.runs.map((r) => r.text).join(''));
    // 18 characters fit: filled greedily, the last line would be "量。".
    expect(texts(18.5 * em)).toEqual(['婴儿按摩有助于亲子联结和宝宝的睡眠', '质量。']);
    for (let n = 4; n <= 19; n++) {
      const ls = texts((n + 0.5) * em);
      expect(ls.join('')).toBe(text);
      if (ls.length > 1) expect([...ls.at(-1)!.replace(/。$/, '')].length).toBeGreaterThan(1);
    }
    // A last line of more than one character is left alone.
    expect(texts(16.5 * em)).toEqual(['婴儿按摩有助于亲子联结和宝宝的睡', '眠质量。']);
  });

  it('ends a paragraph on more than a short word or the tail of a hyphenated one', () => {
    const text = 'Los bebés masajeados duermen mejor, lloran menos y están menos hiperactivos y más tranquilos en casa con sus padres y con mí.';
    const lay = (width: number) => layoutParagraph([{ text, style: style('es') }], { width, align: 'start', dir: 'ltr', hyphenate: true }, fonts()).lines;
    const words = (l: ReturnType<typeof lay>[number]) => l.runs.map((r) => r.text).join('');
    let hyphenated = 0;
    for (let width = 60; width <= 420; width += 2) {
      const ls = lay(width);
      expect(ls.map(words).join('').replace(/\s+/g, ' ').trim()).toBe(text);
      if (ls.length < 2) continue;
      const before = ls.at(-2)!;
      const endsInHyphen = /[-\u2010]/.test(String.fromCodePoint(...before.runs.at(-1)!.glyphs.at(-1)!.codePoints));
      if (endsInHyphen) hyphenated++;
      // Never a hyphenated word's tail alone ("hiperac-" / "tivos."), never a runt of 3 letters or less.
      expect(endsInHyphen && !/\s/.test(words(ls.at(-1)!).trim())).toBe(false);
      expect(words(ls.at(-1)!).replace(/[^\p{L}]/gu, '').length).toBeGreaterThan(3);
    }
    expect(hyphenated).toBeGreaterThan(0);
  });

  // Width of a text set on one line (without trailing spaces).
  const widthOf = (text: string) => layoutParagraph([{ text, style: style('en') }], { width: 10_000, align: 'start', dir: 'ltr' }, fonts()).lines[0]?.width ?? 0;
  const textOf = (l: LineLayout) => l.runs.map((r) => r.text).join('');
  const endsInHyphen = (l: LineLayout) => /[-\u2010]/.test(String.fromCodePoint(...l.runs.at(-1)!.glyphs.at(-1)!.codePoints));
  // A hyphenated line without its last word part: what it would hold if the word went down whole.
  const withoutLastPart = (l: LineLayout) => textOf(l).slice(0, textOf(l).lastIndexOf(' '));

  it('ends at most two lines in a row with a hyphen, unless the third would be left less than 80% full', () => {
    const text = 'Massage stimulates the circulatory, digestive, hormonal, immune, lymphatic, nervous, respiratory and vestibular systems. It supports muscle development, language and learning.';
    const lay = (width: number) => layoutParagraph([{ text, style: style('en') }], { width, align: 'start', dir: 'ltr', hyphenate: true }, fonts()).lines;
    let twoInARow = 0;
    let kept = 0;
    for (let width = 90; width <= 300; width += 1) {
      const ls = lay(width);
      expect(ls.map(textOf).join('').replace(/\s+/g, ' ').trim()).toBe(text);
      let row = 0;
      for (const l of ls) {
        row = endsInHyphen(l) ? row + 1 : 0;
        if (row === 2) twoInARow++;
        if (row < 3) continue;
        // "hormon-" / "vesti-" / "lan-": a third only where the word whole would leave a hole.
        expect(widthOf(withoutLastPart(l)), `${width}: ${textOf(l)}`).toBeLessThan(width * 0.8);
        kept++;
      }
    }
    // Two are still allowed: the rule does not give up hyphenation.
    expect(twoInARow).toBeGreaterThan(0);
    expect(kept).toBeLessThan(twoInARow);
  });

  it('kerns a word across its hyphenation points, and the part before a break to its hyphen', () => {
    const face = fonts().chain({ families: [], bold: false, italic: false, lang: 'en' }, 'Latin')[0]!.face;
    const pt = (units: number) => (units * 12) / face.unitsPerEm;
    // "par|ents": Noto Sans kerns r to e; shaped part by part, the word was 0.24 pt too wide.
    const parts = shape(face, 'par', false).advance + shape(face, 'ents', false).advance;
    expect(shape(face, 'parents', false).advance).toBeLessThan(parts);
    const hyphenated = (text: string, width: number) => layoutParagraph([{ text, style: style('en') }], { width, align: 'start', dir: 'ltr', hyphenate: true }, fonts()).lines;
    const [whole] = hyphenated('parents', 1000);
    expect(whole!.width).toBeCloseTo(pt(shape(face, 'parents', false).advance), 6);
    // Broken, the line ends with the part shaped on its own and the hyphen kerned to it.
    const ls = hyphenated('development today', pt(shape(face, 'develop\u2010', false).advance) + 0.5);
    expect(textOf(ls[0]!)).toBe('develop');
    expect(ls.map(textOf).join('')).toBe('development today');
    expect(endsInHyphen(ls[0]!)).toBe(true);
    expect(ls[0]!.width).toBeCloseTo(pt(shape(face, 'develop\u2010', false).advance), 6);
    expect(ls[0]!.runs.flatMap((r) => r.glyphs.map((g) => g.id))).toEqual(shape(face, 'develop\u2010', false).glyphs.map((g) => g.id));
  });

  it('ends a paragraph on more than one short word alone in a third of the column, where the line before stays three quarters full', () => {
    const text = 'It soothes a baby who is sensitive to touch or easily overwhelmed, relieves physical and emotional tension and keeps the skin soft.';
    let moved = 0;
    for (let width = 100; width <= 420; width += 1) {
      const ls = layoutParagraph([{ text, style: style('en') }], { width, align: 'start', dir: 'ltr', hyphenate: true }, fonts()).lines;
      expect(ls.map(textOf).join('')).toBe(text);
      const last = ls.at(-1)!;
      if (ls.length > 1 && !/\s/.test(textOf(last).trim())) {
        if (last.width >= width / 3) continue;
        // "soft." alone: only where the line before could not give its last word.
        const prev = textOf(ls.at(-2)!).trimEnd();
        const cut = prev.lastIndexOf(' ');
        expect(widthOf(prev.slice(0, cut)) < width * 0.75 || widthOf(`${prev.slice(cut + 1)} ${textOf(last)}`) > width, `${width}: ${prev} / ${textOf(last)}`).toBe(true);
      } else if (/^\S+ soft\.$/.test(textOf(last).trim())) moved++;
    }
    // Greedy filling left "soft." alone at many widths.
    expect(moved).toBeGreaterThan(20);
  });

  it('hyphenates no paragraph\'s second-to-last line when the whole word and the rest fit on the last (and the line stays 80% full)', () => {
    const text = 'Gentle, regular massage deepens the bond between parent and child, helps lift postnatal depression and gives parents confidence.';
    let hyphenated = 0;
    for (let width = 80; width <= 420; width += 1) {
      const ls = layoutParagraph([{ text, style: style('en') }], { width, align: 'start', dir: 'ltr', hyphenate: true }, fonts()).lines;
      for (const [i, l] of ls.slice(0, -1).entries()) if (/\S$/.test(textOf(l))) hyphenated += i < ls.length - 2 ? 1 : 0;
      if (ls.length < 2 || !/\S$/.test(textOf(ls.at(-2)!))) continue;
      // "depres-" / "sion and gives …": the word whole and the last line's text take more than one line.
      const tail = textOf(ls.at(-2)!).split(' ').at(-1)! + textOf(ls.at(-1)!);
      const fits = layoutParagraph([{ text: tail, style: style('en') }], { width, align: 'start', dir: 'ltr' }, fonts()).lines.length === 1;
      if (fits) expect(widthOf(withoutLastPart(ls.at(-2)!)), `${width}: ${tail}`).toBeLessThan(width * 0.8);
    }
    // Earlier lines still hyphenate.
    expect(hyphenated).toBeGreaterThan(0);
  });
});

describe('hyphenation', () => {
  it('breaks long words at the language’s hyphenation points, drawing a hyphen that copies out as nothing', () => {
    const text = 'Muskelverspannungen und Wachstumsschmerzen und Blähungen';
    const lay = (width: number, hyphenate: boolean) => layoutParagraph([{ text, style: style('de') }], { width, align: 'start', dir: 'ltr', hyphenate }, fonts()).lines;
    let hyphenatedAt = 0;
    for (let width = 150; width <= 300 && !hyphenatedAt; width += 5) {
      const ls = lay(width, true);
      const lastGlyph = ls[0]!.runs.at(-1)!.glyphs.at(-1)!;
      if (/[-\u2010]/.test(String.fromCodePoint(...lastGlyph.codePoints))) hyphenatedAt = width;
    }
    expect(hyphenatedAt).toBeGreaterThan(0);
    const ls = lay(hyphenatedAt, true);
    const first = ls[0]!;
    // The hyphen glyph copies out as nothing: the runs' text keeps the word whole.
    expect(ls.map((l) => l.runs.map((r) => r.text).join('')).join('')).toBe(text);
    expect(glyphTexts(first.runs.at(-1)!.glyphs, first.runs.at(-1)!.text, false, (c) => c).at(-1)).toBe('');
    expect(first.width).toBeLessThanOrEqual(hyphenatedAt + 0.01);
    // Without hyphenation the same width ends the line at a space, with less on it.
    const plain = lay(hyphenatedAt, false)[0]!;
    expect(plain.runs.map((r) => r.text).join('').endsWith(' ')).toBe(true);
    expect(plain.width).toBeLessThan(first.width);
  });

  it('leaves a paragraph’s last word whole unless it is long', () => {
    // Hyphens inside the word that ends the text.
    const inLast = (text: string) => breakOpportunities(text, 'de', true).filter((b) => b.hyphen && b.pos > text.lastIndexOf(' ')).length;
    // "Hebam-" / "me." alone on the last line.
    expect(inLast('Fragen Sie Ihren Arzt oder Ihre Hebamme.')).toBe(0);
    expect(breakOpportunities('Fragen Sie Ihre Hebamme vorher.', 'de', true).some((b) => b.hyphen && b.pos > 15 && b.pos < 23)).toBe(true);
    // A long last word, or a paragraph of one word, may need its points in a narrow column.
    expect(inLast('Die Kurse heißen Säuglingsmassagekurse.')).toBeGreaterThan(0);
    expect(inLast('Hebamme')).toBeGreaterThan(0);
  });

  it('leaves languages without patterns alone', () => {
    expect(breakOpportunities('กกกกกกกกกก Muskelverspannungen', 'vi', true).some((b) => b.hyphen)).toBe(false);
    expect(breakOpportunities('Muskelverspannungen', 'de', true).filter((b) => b.hyphen).map((b) => b.pos)).toEqual([3, 6, 9, 13, 16]);
  });

  it('loads the patterns the build wrote as JSON (dist/hyphen/), written from the package’s current ones', () => {
    const require = createRequire(import.meta.url);
    for (const name of PATTERN_SETS) {
      const json = fs.readFileSync(path.join(ROOT, 'dist/hyphen', `${name}.json`), 'utf8');
      // Evaluated afresh: the package's hyphenator adds to the patterns it is given, and this
      // process has hyphenated with some of them already.
      const module: { exports: unknown } = { exports: {} };
      vm.runInNewContext(fs.readFileSync(require.resolve(`hyphen/patterns/${name}.js`), 'utf8'), { module });
      expect(json === JSON.stringify(module.exports), name).toBe(true);
    }
  });
});

describe('glyph texts', () => {
  it('answers the common case without the search, with the same parts, in every shipped locale', () => {
    const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : typeof v === 'object' && v ? Object.values(v).flatMap(strings) : []);
    const seen = { runs: 0, rtl: 0, hyphenEnd: 0 };
    for (const code of fs.readdirSync(path.join(ROOT, 'locales'))) {
      const dir = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', code, 'locale.json'), 'utf8')).dir as 'ltr' | 'rtl';
      const texts = strings(JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', code, 'benefits.json'), 'utf8')));
      // Narrow enough to wrap and hyphenate, so runs end in break hyphens too.
      for (const text of texts) {
        for (const line of layoutParagraph([{ text, style: style(code) }], { width: 160, align: 'start', dir, hyphenate: true }, fonts()).lines) {
          for (const run of line.runs) {
            seen.runs++;
            if (run.rtl) seen.rtl++;
            if (run.glyphs.at(-1)?.codePoints[0] === 0x2010 && !run.text.endsWith('\u2010')) seen.hyphenEnd++;
            expect(glyphTexts(run.glyphs, run.text, run.rtl, mirroredCodePoint)).toEqual(searchedGlyphTexts(run.glyphs, run.text, run.rtl, mirroredCodePoint));
          }
        }
      }
    }
    expect(seen.runs).toBeGreaterThan(1000);
    expect(seen.rtl).toBeGreaterThan(100);
    expect(seen.hyphenEnd).toBeGreaterThan(50);
  });
});
