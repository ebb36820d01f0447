import type { Font } from 'fontkit';
import unicode from 'unicode-properties';

/**
 * Three shaping faults of fontkit 2.0.4, mended where HarfBuzz (what browsers and word processors
 * use, and what the fonts are made and tested with) does otherwise:
 *
 * - It matches the backtrack glyphs of a chaining-context rule (GSUB 6, GPOS 8) in the order
 *   they are stored, but OpenType stores them nearest first: `backtrack[0]` is the glyph just
 *   before the input. A rule whose backtrack positions ask for different glyphs never fires
 *   (foliojs/fontkit#372, open): Myanmar's u-sign under a medial ra stayed narrow.
 * - Its Indic shaper gives a pre-base vowel sign its word-initial form ('init') after any
 *   letter or spacing mark, where HarfBuzz does so only at a word's start: Bengali's e-sign
 *   (ে) took its initial form inside words such as পরিবারের.
 * - A contextual lookup that turns one glyph into several left its cursor on the first of
 *   them, so the rule could match again on its own output (see `pastInsertedGlyphs`).
 *
 * fontkit exports neither its processors nor its shapers, so the mends go on the prototypes
 * reached through a font's layout engine the first time a font is shaped, and only while
 * fontkit's code still has the fault (a release that fixes one is left alone).
 */
let settled = false;

export function fixFontkit(font: Font): void {
  if (settled) return;
  const f = font as unknown as { _layoutEngine?: { engine?: LayoutEngine }; layout(s: string): unknown };
  // The engine and its processors come with the first layout; the caller shapes this font next.
  if (!f._layoutEngine) f.layout('');
  const engine = f._layoutEngine?.engine;
  const processor = engine?.GSUBProcessor ?? engine?.GPOSProcessor;
  if (!engine || !processor) return; // no OpenType layout tables in this font: try the next one
  settled = true;
  const shared = Object.getPrototypeOf(Object.getPrototypeOf(processor)) as Processor;
  if (has(shared.applyChainingContext, 'sequenceMatches(-rule.backtrack.length, rule.backtrack)')) shared.applyChainingContext = applyChainingContext;
  if (has(shared.applyLookupList, 'this.glyphIterator.reset(options, glyphIndex); return true;')) shared.applyLookupList = pastInsertedGlyphs(shared.applyLookupList);
  const engines = Object.getPrototypeOf(engine) as LayoutEngine;
  engines.setup = withWordStartInit(engines.setup);
}

/** Whether fontkit's code still reads as it did with the fault (bundling changes its spacing). */
function has(fn: unknown, code: string): boolean {
  return String(fn).replace(/\s+/g, ' ').includes(code);
}

interface Processor {
  applyChainingContext: typeof applyChainingContext;
  applyLookupList(this: Matcher, records: unknown[]): boolean;
}

/**
 * A contextual lookup that multiplies a glyph (one in, several out) left the cursor on the
 * first glyph out, so the same rule matched again on the glyphs it had just made: Myanmar's
 * medial ra got its spacing glyph twice after ေ့. HarfBuzz moves on past them.
 */
function pastInsertedGlyphs(apply: Processor['applyLookupList']): Processor['applyLookupList'] {
  return function (this: Matcher, records) {
    const before = this.glyphs.length;
    const applied = apply.call(this, records);
    if (this.glyphs.length > before) this.glyphIterator.index += this.glyphs.length - before;
    return applied;
  };
}

interface LayoutEngine {
  GSUBProcessor?: object;
  GPOSProcessor?: object;
  /** Made by `setup` for each run shaped, dropped after it. */
  plan?: { stages: Stage[] } | null;
  setup(this: LayoutEngine, run: unknown): void;
}

type Stage = string[] | ((font: unknown, glyphs: ShapedGlyph[], plan: unknown) => void);
interface ShapedGlyph {
  codePoints: number[];
  features: Record<string, boolean>;
}

/** After a run's plan is made, puts a stage behind the Indic final reordering that takes 'init' back where HarfBuzz gives none. */
function withWordStartInit(setup: LayoutEngine['setup']): LayoutEngine['setup'] {
  return function (this: LayoutEngine, run) {
    setup.call(this, run);
    const stages = this.plan?.stages;
    if (!stages) return;
    const at = stages.findIndex((s) => typeof s === 'function' && s.name.includes('finalReordering') && has(s, '/Cf|Mn/.test('));
    if (at >= 0) stages.splice(at + 1, 0, initAtWordStartOnly);
  };
}

/** HarfBuzz: 'init' unless the glyph before is a letter, a mark or a format, private or unassigned character. */
const NOT_A_WORD_START = /^(L|M|Cf|Cn|Co|Cs)/;

function initAtWordStartOnly(_font: unknown, glyphs: ShapedGlyph[]): void {
  for (let i = 1; i < glyphs.length; i++) {
    const g = glyphs[i]!;
    if (g.features.init && NOT_A_WORD_START.test(unicode.getCategory(glyphs[i - 1]!.codePoints[0] ?? 0))) delete g.features.init;
  }
}

interface ChainRule {
  backtrack: number[];
  input: number[];
  lookahead: number[];
  lookupRecords: unknown[];
}

interface Matcher {
  coverageIndex(coverage: unknown): number;
  getClassID(glyph: number, classDef: unknown): number;
  glyphs: unknown[];
  glyphIterator: { cur: { id: number }; index: number };
  sequenceMatches(at: number, sequence: number[]): boolean;
  classSequenceMatches(at: number, sequence: number[], classDef: unknown): boolean;
  coverageSequenceMatches(at: number, sequence: unknown[]): boolean;
  applyLookupList(records: unknown[]): boolean;
}

const reversed = new WeakMap<unknown[], unknown[]>();

/** A backtrack sequence in text order (farthest first), as fontkit's matcher walks it. */
function inTextOrder<T>(backtrack: T[]): T[] {
  if (backtrack.length < 2) return backtrack;
  let r = reversed.get(backtrack) as T[] | undefined;
  if (!r) reversed.set(backtrack, (r = [...backtrack].reverse()));
  return r;
}

/** fontkit's own method with the backtrack sequences in text order; otherwise unchanged. */
function applyChainingContext(this: Matcher, table: Record<string, any>): boolean {
  switch (table.version) {
    case 1: {
      const index = this.coverageIndex(table.coverage);
      if (index === -1) return false;
      for (const rule of table.chainRuleSets[index] as ChainRule[]) {
        if (
          this.sequenceMatches(-rule.backtrack.length, inTextOrder(rule.backtrack)) &&
          this.sequenceMatches(1, rule.input) &&
          this.sequenceMatches(1 + rule.input.length, rule.lookahead)
        ) {
          return this.applyLookupList(rule.lookupRecords);
        }
      }
      break;
    }
    case 2: {
      if (this.coverageIndex(table.coverage) === -1) return false;
      const rules = table.chainClassSet[this.getClassID(this.glyphIterator.cur.id, table.inputClassDef)] as ChainRule[] | undefined;
      if (!rules) return false;
      for (const rule of rules) {
        if (
          this.classSequenceMatches(-rule.backtrack.length, inTextOrder(rule.backtrack), table.backtrackClassDef) &&
          this.classSequenceMatches(1, rule.input, table.inputClassDef) &&
          this.classSequenceMatches(1 + rule.input.length, rule.lookahead, table.lookaheadClassDef)
        ) {
          return this.applyLookupList(rule.lookupRecords);
        }
      }
      break;
    }
    case 3:
      if (
        this.coverageSequenceMatches(-table.backtrackGlyphCount, inTextOrder(table.backtrackCoverage)) &&
        this.coverageSequenceMatches(0, table.inputCoverage) &&
        this.coverageSequenceMatches(table.inputGlyphCount, table.lookaheadCoverage)
      ) {
        return this.applyLookupList(table.lookupRecords);
      }
      break;
  }
  return false;
}
