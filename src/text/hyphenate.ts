import { createRequire } from 'node:module';

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

const require = createRequire(import.meta.url);
type Hyphenator = (word: string, opts: { hyphenChar: string; minWordLength: number }) => string;
const loaded = new Map<string, Hyphenator | null>();
const words = new Map<string, number[]>();
const SHY = '\u00ad';

function hyphenator(lang: string): Hyphenator | null {
  const name = PATTERNS[lang] ?? PATTERNS[lang.split('-')[0]!];
  if (!name) return null;
  let h = loaded.get(name);
  if (h === undefined) {
    // Patterns are loaded on first use, per language: a Chinese batch never reads them.
    h = (require(`hyphen/${name}`) as { hyphenateSync: Hyphenator }).hyphenateSync;
    loaded.set(name, h);
  }
  return h;
}

/** Positions (UTF-16 offsets into `text`) where a word may be hyphenated, for the language. */
export function hyphenationPoints(text: string, lang: string): number[] {
  const h = hyphenator(lang);
  if (!h) return [];
  const points: number[] = [];
  for (const m of text.matchAll(/\p{L}[\p{L}\p{M}]{5,}/gu)) {
    const key = `${lang}\u0000${m[0]}`;
    let offsets = words.get(key);
    if (!offsets) {
      offsets = [];
      let at = 0;
      for (const ch of h(m[0], { hyphenChar: SHY, minWordLength: 6 })) {
        if (ch === SHY) offsets.push(at);
        else at += ch.length;
      }
      words.set(key, offsets);
    }
    for (const o of offsets) points.push(m.index + o);
  }
  return points;
}
