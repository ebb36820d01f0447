import { HandoutError } from '../model/diagnostic.js';
import { scriptOf } from '../text/script.js';

/**
 * ISO 15924 codes a locale.json may give for text mostly in each Unicode script (the first is
 * the one to suggest). Han is written as Chinese, Japanese or Korean; Japanese text may have
 * more kana than kanji.
 */
const CODES: Record<string, string[]> = {
  Latin: ['Latn'], Cyrillic: ['Cyrl'], Greek: ['Grek'], Armenian: ['Armn'], Georgian: ['Geor'], Hebrew: ['Hebr'],
  Arabic: ['Arab'], Syriac: ['Syrc'], Thaana: ['Thaa'], Nko: ['Nkoo'], Devanagari: ['Deva'], Bengali: ['Beng'],
  Gurmukhi: ['Guru'], Gujarati: ['Gujr'], Oriya: ['Orya'], Tamil: ['Taml'], Telugu: ['Telu'], Kannada: ['Knda'],
  Malayalam: ['Mlym'], Sinhala: ['Sinh'], Thai: ['Thai'], Lao: ['Laoo'], Tibetan: ['Tibt'], Myanmar: ['Mymr'],
  Khmer: ['Khmr'], Ethiopic: ['Ethi'], Mongolian: ['Mong'], Tifinagh: ['Tfng'], Cherokee: ['Cher'],
  Canadian_Aboriginal: ['Cans'], Vai: ['Vaii'], Hangul: ['Kore', 'Hang'], Han: ['Hans', 'Hant', 'Hani', 'Jpan', 'Kore'],
  Hiragana: ['Jpan', 'Hira', 'Hrkt'], Katakana: ['Jpan', 'Kana', 'Hrkt'],
};

/** The ISO 15924 code meant by a script written another way ("Latin", "latn", "arabic"), or null. */
export function scriptCodeFor(written: string): string | null {
  const key = written.trim().toLowerCase().replace(/[\s-]+/g, '_');
  for (const [name, codes] of Object.entries(CODES)) {
    if (name.toLowerCase() === key) return codes[0]!;
    const code = codes.find((c) => c.toLowerCase() === key);
    if (code) return code;
  }
  return null;
}

/**
 * A locale's `script` must be the one its texts are written in, as `dir` must be their
 * direction: a locale.json copied from another language kept its "Latn" for Burmese, and
 * `handout list` and templates reading `locale.script` said Latin. Only scripts listed above
 * are judged; too little text tells nothing.
 */
export function checkScript(script: string, texts: string, file: string): void {
  const counts = new Map<string, number>();
  let letters = 0;
  for (const ch of texts) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    const name = scriptOf(ch.codePointAt(0)!);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (letters < 20) return;
  const [most] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const codes = CODES[most];
  if (codes && !codes.includes(script)) {
    throw new HandoutError('invalid-locale', `script: "${script}", but the translations are written in ${most.replace(/_/g, ' ')} letters: write "script": "${codes[0]}"`, { file, key: 'script' });
  }
  if (most === 'Han' && (script === 'Hans' || script === 'Hant')) checkChineseForm(script, texts, file);
}

// Common characters whose simplified and traditional forms differ, pair by pair.
const SIMPLIFIED = '们这个会为发说时国对学儿妈宝亲乐动觉运经环应帮关让间进实从给还样种后长体';
const TRADITIONAL = '們這個會為發說時國對學兒媽寶親樂動覺運經環應幫關讓間進實從給還樣種後長體';

/** Hans for text in traditional characters (or Hant for simplified): a locale.json copied from the other Chinese. */
function checkChineseForm(script: 'Hans' | 'Hant', texts: string, file: string): void {
  let simplified = 0;
  let traditional = 0;
  for (const ch of texts) {
    if (SIMPLIFIED.includes(ch)) simplified++;
    else if (TRADITIONAL.includes(ch)) traditional++;
  }
  const [found, other] = script === 'Hans' ? [traditional, simplified] : [simplified, traditional];
  if (found < 5 || found < 3 * other) return;
  const written = script === 'Hans' ? ['traditional', 'Hant'] : ['simplified', 'Hans'];
  throw new HandoutError('invalid-locale', `script: "${script}", but the translations are written in ${written[0]} Chinese characters: write "script": "${written[1]}"`, { file, key: 'script' });
}
