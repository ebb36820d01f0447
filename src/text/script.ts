import unicode from 'unicode-properties';

/** Unicode script of a code point ("Latin", "Arabic", "Han", "Common", "Inherited" …). */
export function scriptOf(cp: number): string {
  return unicode.getScript(cp);
}

export function isNeutralScript(script: string): boolean {
  return script === 'Common' || script === 'Inherited' || script === 'Unknown';
}

/**
 * Default-ignorable code points (ZWJ, ZWNJ, bidi controls, variation selectors, soft hyphen):
 * they need no glyph of their own, so they never count against a font's coverage.
 */
export function isDefaultIgnorable(cp: number): boolean {
  return (
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

/** Scripts written without spaces between words, broken with a dictionary (Intl.Segmenter). */
const DICTIONARY_SCRIPTS = new Set(['Thai', 'Lao', 'Khmer', 'Myanmar', 'New_Tai_Lue', 'Tai_Tham', 'Tai_Viet']);

/** A European digit, 0–9 (NaN, past a text's end, is none). */
export function isEuropeanDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function needsDictionaryBreaks(script: string): boolean {
  return DICTIONARY_SCRIPTS.has(script);
}

export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What to do about a character no font has: a font for its script, or, for an emoji or a
 * symbol shared by all scripts ("Common"), which no script's font answers, what it is.
 */
export function fontAdvice(cp: number): string {
  if (/\p{Extended_Pictographic}/u.test(String.fromCodePoint(cp)) && cp > 0xff) {
    return 'it is an emoji, which the fonts here do not draw: write it in words, or add a font that has it (Noto Emoji) to fonts/';
  }
  const script = scriptOf(cp);
  return isNeutralScript(script) ? 'add a font that has this character to fonts/' : `add a font for ${script} to fonts/`;
}
