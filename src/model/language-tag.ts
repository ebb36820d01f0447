/**
 * Whether a text is a BCP 47 language tag, the kind Intl takes: dates, numbers, word breaking
 * and list numbering hand it over, and failed on "pt_BR" with "Incorrect locale information".
 */
export function isLanguageTag(value: string): boolean {
  try {
    Intl.getCanonicalLocales(value);
    return true;
  } catch {
    return false;
  }
}
