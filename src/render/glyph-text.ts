import type { PlacedGlyph } from '../model/layout.js';
import { isDefaultIgnorable } from '../text/script.js';

/**
 * Which part of the run's logical text each glyph should copy out as. Concatenated in logical
 * glyph order (drawing order, reversed for right-to-left runs) the parts spell the text
 * exactly, even where shaping moved a glyph before the characters it follows (Devanagari ि is
 * drawn left of its consonant but typed after it). Within such a cluster the characters are
 * handed out in drawing order, one per glyph. A glyph left with "" (a cluster with more glyphs
 * than characters, like a Bengali split vowel) is painted as an outline, because extractors
 * turn an unmapped glyph into a stray character.
 */
export function glyphTexts(glyphs: PlacedGlyph[], text: string, rtl: boolean, mirror: (cp: number) => number): string[] {
  return inTypedOrder(glyphs, text, rtl) ?? searchedGlyphTexts(glyphs, text, rtl, mirror);
}

/** `glyphTexts` for any run: each glyph's characters are searched for near the last one found. */
export function searchedGlyphTexts(glyphs: PlacedGlyph[], text: string, rtl: boolean, mirror: (cp: number) => number): string[] {
  const cps = [...text].map((c) => c.codePointAt(0)!);
  const n = glyphs.length;
  const order = rtl ? [...Array(n).keys()].reverse() : [...Array(n).keys()];
  const claimed = new Array<boolean>(cps.length).fill(false);
  const claims: number[][] = new Array(n);
  let cursor = 0;
  for (const gi of order) {
    const mine: number[] = [];
    for (const cp of glyphs[gi]!.codePoints) {
      const from = Math.max(0, cursor - 8);
      let hit = -1;
      for (let j = from; j < cps.length; j++) {
        if (!claimed[j] && (cps[j] === cp || mirror(cps[j]!) === cp)) {
          hit = j;
          break;
        }
      }
      if (hit >= 0) {
        claimed[hit] = true;
        mine.push(hit);
        cursor = Math.max(cursor, hit);
      }
    }
    if (mine.length === 0) {
      // fontkit draws a joiner (ZWNJ, ZWJ) as an empty glyph carrying other characters.
      for (let j = Math.max(0, cursor - 8); j < cps.length; j++) {
        if (!claimed[j] && isDefaultIgnorable(cps[j]!)) {
          claimed[j] = true;
          mine.push(j);
          break;
        }
      }
    }
    claims[gi] = mine;
  }
  // Characters no glyph claims (hidden joiners, stale glyph data) travel with their neighbours.
  const covered = new Array<boolean>(cps.length).fill(false);
  const out = new Array<string>(n).fill('');
  let done = 0;
  for (const gi of order) {
    for (const j of claims[gi]!) covered[j] = true;
    let k = done;
    while (k < cps.length && (covered[k] || !claimed[k])) k++;
    out[gi] = String.fromCodePoint(...cps.slice(done, k));
    done = k;
  }
  if (done < cps.length && n > 0) {
    const last = order[order.length - 1]!;
    out[last] += String.fromCodePoint(...cps.slice(done));
  }
  // Spread each cluster (empty glyphs, then the glyph holding the cluster's text) in drawing order.
  let pending: number[] = [];
  for (const gi of order) {
    if (out[gi] === '') {
      // Only glyphs that stand for characters share a cluster's text; a hidden glyph (a
      // zero-width joiner drawn as nothing) stays empty.
      if (claims[gi]!.length > 0) pending.push(gi);
      continue;
    }
    if (pending.length > 0) {
      const members = [...pending, gi];
      const chars = [...out[gi]!];
      // Characters in drawing order; a cluster with more glyphs than characters leaves its
      // last glyphs empty, so they can ride on the width of the glyph before them.
      members.forEach((m, k) => {
        out[m] = k >= chars.length ? '' : k === members.length - 1 || k === chars.length - 1 ? chars.slice(k).join('') : chars[k]!;
      });
      pending = [];
    }
  }
  return out;
}


/**
 * The common case, answered without the search below: every glyph stands for the next
 * characters of the text, in drawing order (no reordering, mirroring, joiners or empty
 * glyphs), and any glyph after the text's end (a break's hyphen) stands for none. The search
 * hands out exactly these parts then; this walk is linear, which matters on the first
 * document of each locale.
 */
function inTypedOrder(glyphs: PlacedGlyph[], text: string, rtl: boolean): string[] | null {
  const n = glyphs.length;
  const out = new Array<string>(n);
  let at = 0; // UTF-16 index into text
  for (let k = 0; k < n; k++) {
    const gi = rtl ? n - 1 - k : k;
    const own = glyphs[gi]!.codePoints;
    if (at === text.length) {
      // Past the text: a glyph shaping added (the hyphen at a break) copies out as nothing.
      out[gi] = '';
      continue;
    }
    if (own.length === 0) return null;
    const from = at;
    for (let c = 0; c < own.length; c++) {
      const cp = text.codePointAt(at);
      if (cp === undefined || cp !== own[c]) return null;
      at += cp > 0xffff ? 2 : 1;
    }
    out[gi] = text.slice(from, at);
  }
  return at === text.length ? out : null;
}
