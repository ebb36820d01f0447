import { own } from '../model/own.js';

/**
 * The OpenType language system of a BCP 47 tag. Fonts keep language-specific forms under it:
 * Nepali conjuncts that differ from Hindi ones in Noto Sans Devanagari, the Korean space in
 * Noto Sans CJK, Serbian and Bulgarian Cyrillic, Romanian comma-below letters, Turkish i.
 * HarfBuzz and browsers pick it from the text's language; fontkit needs the tag.
 * From the OpenType language system tag registry; a language not listed uses the font's
 * default forms, as before.
 */
const TAGS: Record<string, string> = {
  af: 'AFK', am: 'AMH', ar: 'ARA', as: 'ASM', az: 'AZE', be: 'BEL', bg: 'BGR', bn: 'BEN', bo: 'TIB',
  br: 'BRE', bs: 'BOS', ca: 'CAT', ceb: 'CEB', cs: 'CSY', cy: 'WEL', da: 'DAN', de: 'DEU', dz: 'DZN',
  el: 'ELL', en: 'ENG', eo: 'NTO', es: 'ESP', et: 'ETI', eu: 'EUQ', fa: 'FAR', fi: 'FIN', fil: 'PIL',
  fo: 'FOS', fr: 'FRA', ga: 'IRI', gd: 'GAE', gl: 'GAL', gu: 'GUJ', ha: 'HAU', he: 'IWR', hi: 'HIN',
  hmn: 'HMN', hr: 'HRV', ht: 'HAI', hu: 'HUN', hy: 'HYE', id: 'IND', ig: 'IBO', is: 'ISL', it: 'ITA',
  iu: 'INU', ja: 'JAN', jv: 'JAV', ka: 'KAT', kk: 'KAZ', km: 'KHM', kn: 'KAN', ko: 'KOR', ku: 'KUR',
  ky: 'KIR', la: 'LAT', lb: 'LTZ', lo: 'LAO', lt: 'LTH', lv: 'LVI', mg: 'MLG', mi: 'MRI', mk: 'MKD',
  ml: 'MAL', mn: 'MNG', mnw: 'MON', mr: 'MAR', ms: 'MLY', mt: 'MTS', my: 'BRM', nb: 'NOR', ne: 'NEP',
  nl: 'NLD', nn: 'NYN', no: 'NOR', or: 'ORI', pa: 'PAN', pl: 'PLK', ps: 'PAS', pt: 'PTG', ro: 'ROM',
  ru: 'RUS', rw: 'RUA', sa: 'SAN', sd: 'SND', shn: 'SHN', si: 'SNH', sk: 'SKY', sl: 'SLV', so: 'SML',
  sq: 'SQI', sr: 'SRB', sv: 'SVE', sw: 'SWK', ta: 'TAM', te: 'TEL', tg: 'TAJ', th: 'THA', ti: 'TGY',
  tk: 'TKM', tl: 'TGL', tr: 'TRK', tt: 'TAT', ug: 'UYG', uk: 'UKR', ur: 'URD', uz: 'UZB', vi: 'VIT',
  xh: 'XHS', yi: 'JII', yo: 'YBA', zu: 'ZUL',
};

const known = new Map<string, string | undefined>();

/** `'NEP '` for `ne`, `'ZHT '` for `zh-Hant`; undefined for a language the registry table lacks. */
export function openTypeLanguage(lang: string): string | undefined {
  if (known.has(lang)) return known.get(lang);
  const tag = lookup(lang);
  known.set(lang, tag);
  return tag;
}

function lookup(lang: string): string | undefined {
  const parts = lang.toLowerCase().split(/[-_]/);
  const primary = parts[0] ?? '';
  if (primary === 'zh') {
    if (parts.includes('hk') || parts.includes('mo')) return 'ZHH ';
    return parts.includes('hant') || parts.includes('tw') ? 'ZHT ' : 'ZHS ';
  }
  const tag = own(TAGS, primary);
  return tag === undefined ? undefined : tag.padEnd(4, ' ');
}
