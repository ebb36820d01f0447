import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { own } from '../model/own.js';

/** Hyphenation patterns (the `hyphen` package) for the languages that hyphenate. */
const PATTERNS: Record<string, string> = {
  en: 'en-gb',
  'en-US': 'en-us',
  de: 'de-1996',
  fr: 'fr',
  es: 'es',
  pt: 'pt',
  it: 'it',
  nl: 'nl',
  pl: 'pl',
  cs: 'cs',
  sv: 'sv',
  da: 'da',
  nb: 'nb',
  fi: 'fi',
  hu: 'hu',
  ro: 'ro',
  hr: 'hr',
  sl: 'sl',
  tr: 'tr',
  ru: 'ru',
  uk: 'uk',
  bg: 'bg',
  el: 'el-monoton',
};

/** The pattern sets handout uses, for the build to convert (see `hyphenator`). */
export const PATTERN_SETS: readonly string[] = [...new Set(Object.values(PATTERNS))];

/**
 * Where the build (bin/bundle.mjs) writes each pattern set as JSON, next to the bundle and to
 * the compiled modules alike (dist/hyphen/). The package ships them as array literals of up to
 * 0.7 MB, which V8 compiles several times slower than it parses the same JSON (German: 71 → 24
 * ms), once per process and language.
 */
export const PATTERNS_JSON = new URL('../hyphen/', import.meta.url);

const require = createRequire(import.meta.url);
type Hyphenator = (word: string, opts: { hyphenChar: string; minWordLength: number }) => string;
const loaded = new Map<string, Hyphenator>();
const words = new Map<string, number[]>();
const SHY = '\u00ad';

/**
 * Hyphenation points kept between runs (see batch/text-memory.ts): building a language's
 * pattern trie is most of the cost, and is skipped when every word is known.
 */
export interface HyphenMemory {
  table(patterns: string): { get(word: string): number[] | undefined; set(word: string, points: number[]): void } | null;
}

let memory: HyphenMemory | null = null;
const tables = new Map<string, ReturnType<HyphenMemory['table']>>();

/** Registers the memory of this process (null: none). */
export function useHyphenMemory(m: HyphenMemory | null): void {
  memory = m;
  tables.clear();
}

function hyphenator(name: string): Hyphenator {
  let h = loaded.get(name);
  if (h === undefined) {
    // Patterns are loaded on first use, per language: a Chinese batch never reads them.
    const json = new URL(`${name}.json`, PATTERNS_JSON);
    const patterns: unknown = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : require(`hyphen/patterns/${name}.js`);
    h = (require('hyphen/hyphen.js') as (patterns: unknown) => Hyphenator)(patterns);
    loaded.set(name, h);
  }
  return h;
}

/** Positions (UTF-16 offsets into `text`) where a word may be hyphenated, for the language. */
export function hyphenationPoints(text: string, lang: string): number[] {
  const name = own(PATTERNS, lang) ?? own(PATTERNS, lang.split('-')[0]!);
  if (!name) return [];
  let stored = tables.get(name);
  if (stored === undefined && memory) tables.set(name, (stored = memory.table(name)));
  const points: number[] = [];
  for (const m of text.matchAll(/\p{L}[\p{L}\p{M}]{5,}/gu)) {
    const key = `${name}\u0000${m[0]}`;
    let offsets = words.get(key) ?? stored?.get(m[0]);
    if (!offsets) {
      offsets = [];
      let at = 0;
      for (const ch of hyphenator(name)(m[0], { hyphenChar: SHY, minWordLength: 6 })) {
        if (ch === SHY) offsets.push(at);
        else at += ch.length;
      }
      stored?.set(m[0], offsets);
    }
    words.set(key, offsets);
    for (const o of offsets) points.push(m.index + o);
  }
  return points;
}
