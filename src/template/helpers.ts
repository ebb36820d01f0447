import type Handlebars from 'handlebars';
import type { Locale, LocaleMeta } from '../i18n/locales.js';
import { translate } from '../i18n/locales.js';
import { HandoutError } from '../model/diagnostic.js';
import { own } from '../model/own.js';

export interface HelperContext {
  locale: Locale;
  /** Translation keys the document asked for, when the caller wants to know them. */
  keys?: Set<string>;
}

type Options = Handlebars.HelperOptions;

/**
 * Dates in data files are wall-clock times of the class ("2026-12-01T10:00"), not instants:
 * they are read and formatted in UTC so the machine's time zone never shifts a class day.
 */
export function parseWallClock(value: unknown, needsTime = false): Date {
  const s = String(value);
  // Seconds, as an ISO timestamp pasted from elsewhere has them, are taken and not printed.
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::[0-5]\d)?)?$/.exec(s);
  const [year, month, day, hour, minute] = m ? m.slice(1).map((v) => Number(v ?? 0)) : [];
  const d = m ? new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!)) : null;
  // Date.UTC rolls 2026-13-45 over into 2027; a date that does not exist is a typo.
  if (!d || d.getUTCMonth() !== month! - 1 || d.getUTCDate() !== day || hour! > 23 || minute! > 59) {
    throw new HandoutError('template-data', `"${s}" is not a date (${m ? whatDoesNotExist(year!, month!, day!, hour!, minute!) : howToWrite(s, needsTime)})`);
  }
  return d;
}

/** The part of a well-formed date that no calendar has. */
function whatDoesNotExist(year: number, month: number, day: number, hour: number, minute: number): string {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (hour > 23) return `there is no hour ${hour}: the day's last is 23`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (day < 1) return 'there is no day 0';
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${MONTHS[month - 1]} ${year} has ${days} days`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * What to change in a date written another way: the same date as it must be written, where it
 * can be read, with a time of day where one is needed (a session's start).
 */
function howToWrite(s: string, needsTime: boolean): string {
  const zone = /(?<=\d)(?:Z|[+-]\d\d:?\d\d)$/;
  if (zone.test(s)) return `write it without a time zone, in the class's local time (${s.replace(zone, '')})`;
  // 2026-12-1, 2026-12-08T9:00: the digits are there, too few of them.
  const loose = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?$/.exec(s);
  if (loose) {
    const two = (v: string) => v.padStart(2, '0');
    const [, y, mo, da, h, mi] = loose as unknown as [string, string, string, string, string | undefined, string | undefined];
    const what = h !== undefined && h.length === 1 && mo.length === 2 && da.length === 2 ? 'the hour' : h !== undefined && h.length === 1 ? 'the month, day and hour' : 'the month and day';
    const date = `${y}-${two(mo)}-${two(da)}`;
    if (h !== undefined) return `write ${what} with two digits: ${date}T${two(h)}:${mi}`;
    return needsTime ? `write ${what} with two digits, and the time of day: ${date}T10:00 for 10 am` : `write ${what} with two digits: ${date}`;
  }
  return needsTime ? 'expected YYYY-MM-DDTHH:MM, like 2026-12-01T10:00' : 'expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, like 2026-12-01T10:00';
}

/** A number a template computes with; a word there would print "NaN" or an invalid time. */
function numberOf(value: unknown, what: string): number {
  const n = Number(value);
  if (value === null || value === '' || !Number.isFinite(n)) throw new HandoutError('template-data', `"${String(value)}" is not a number (${what})`);
  return n;
}

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(lang: string, style: string, clock?: '12h' | '24h'): Intl.DateTimeFormat {
  const key = `d|${lang}|${style}|${clock ?? ''}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { hour: 'numeric', minute: '2-digit', timeZone: 'UTC', ...(clock ? { hourCycle: clock === '24h' ? 'h23' : 'h12' } : {}) }
        : style === 'short'
          ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
          : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(lang, opts);
    formatters.set(key, f);
  }
  return f;
}

/** A locale's `dates` settings (locale.json). */
export type DateHabits = LocaleMeta['dates'];

/**
 * Whether this system (Node's ICU) has date names for a language: without them Intl writes
 * English ("Tuesday, December 1") into, say, a Haitian Creole handout.
 */
export function knowsDates(lang: string): boolean {
  let known = dateLanguages.get(lang);
  if (known === undefined) dateLanguages.set(lang, (known = Intl.DateTimeFormat.supportedLocalesOf([lang]).length > 0));
  return known;
}
const dateLanguages = new Map<string, boolean>();

export function formatDate(lang: string, value: unknown, style = 'long', habits?: DateHabits): string {
  const d = parseWallClock(value);
  let text: string;
  if (habits?.months && habits.weekdays) {
    const parts = { weekday: habits.weekdays[d.getUTCDay()]!, day: String(d.getUTCDate()), month: habits.months[d.getUTCMonth()]!, year: String(d.getUTCFullYear()) };
    text = fillPattern(style === 'long' ? (habits.pattern ?? '{weekday} {day} {month} {year}') : '{day} {month} {year}', parts);
  } else if (!knowsDates(lang)) {
    throw new HandoutError(
      'invalid-locale',
      `dates in "${lang}" would be written in English: this system has no date names for it; give them in "dates": { "months": [12 names, January first], "weekdays": [7 names, Sunday first] }`,
      { file: `locales/${lang}/locale.json`, key: 'dates' },
    );
  } else {
    // The language's own names, digits and calendar (Persian's); with a pattern, in the locale's
    // order. The parts keep ICU's no-break spaces ("2026 г."), which Node's format() turns into
    // plain spaces a line could break at.
    const first = own(FIRST_OF_MONTH, lang.split('-')[0]!);
    const parts = dateFormat(lang, style)
      .formatToParts(d)
      .map((p) => (p.type === 'day' && p.value === '1' && first ? { ...p, value: first } : p));
    text = habits?.pattern && style === 'long' ? fillPattern(habits.pattern, Object.fromEntries(parts.map((p) => [p.type, p.value]))) : parts.map((p) => p.value).join('');
  }
  // ICU joins some Persian dates with a Latin comma; Arabic-script text takes its own (،).
  return /[\u0600-\u06ff]/.test(text) ? text.replace(/, /g, '، ') : text;
}

/** The first of the month where a language writes it as an ordinal (ICU gives the bare "1"): French "1er décembre". */
const FIRST_OF_MONTH: Record<string, string> = { fr: '1er' };

function fillPattern(pattern: string, parts: Record<string, string>): string {
  return pattern.replace(/\{(weekday|day|month|year)\}/g, (_, name: string) => parts[name] ?? '');
}

/**
 * A time of day; its parts ("10:00 AM") are glued with no-break spaces so a line never splits
 * it. A language without date data of its own is written on the 24-hour clock, which needs no
 * words for morning and afternoon.
 */
export function formatTime(lang: string, value: unknown, plusMinutes = 0, habits?: DateHabits): string {
  return joinTime(timeFormat(lang, habits).formatToParts(timeOf(value, plusMinutes)));
}

/**
 * A class's start and end for a translation that joins them (`handout.timeRange`): a day
 * period both share is written once, on the side the language's own ranges put it (CLDR, as
 * Node's ICU has it): "10:00 – 11:00 AM", Chinese "上午10:00 – 11:00", Arabic "10:00 – 11:00 ص".
 * One that changes stays with each time ("11:30 AM – 1:00 PM"). The times themselves are as
 * `formatTime` writes them, since ICU's range forms differ from its single times in some
 * languages (Japanese "10時00分～11時00分" against "10:00").
 */
export function formatTimeRange(lang: string, from: unknown, to: unknown, plusMinutes: number, habits?: DateHabits): { start: string; end: string } {
  const a = timeOf(from, 0);
  const b = to === undefined ? timeOf(from, plusMinutes) : timeOf(to, 0);
  if (b < a) throw new HandoutError('template-data', `the time range from "${String(from)}" ends before it starts (${to === undefined ? `${plusMinutes} minutes` : `"${String(to)}"`})`);
  const f = timeFormat(lang, habits);
  const start = f.formatToParts(a);
  const end = f.formatToParts(b);
  const range = f.formatRangeToParts(a, b);
  const period = range.findIndex((p) => p.type === 'dayPeriod' && p.source === 'shared');
  const first = range.findIndex((p) => p.source === 'startRange');
  if (period >= 0 && first >= 0) {
    if (period < first) withoutDayPeriod(end);
    else withoutDayPeriod(start);
  }
  return { start: joinTime(start), end: joinTime(end) };
}

/** A wall-clock time given with its date ("2026-12-01T10:00"), `plusMinutes` later. */
function timeOf(value: unknown, plusMinutes: number): Date {
  const d = parseWallClock(value, true);
  // A date alone would print midnight as the class's time.
  if (!/[T ]\d{2}:\d{2}(:\d{2})?$/.test(String(value))) throw new HandoutError('template-data', `"${String(value)}" has no time of day (expected YYYY-MM-DDTHH:MM, like ${String(value)}T10:00)`);
  const at = new Date(d.getTime() + plusMinutes * 60_000);
  // Beyond what a date can hold (durationMinutes: 1e12): Intl's "Invalid time value" named nothing.
  if (Number.isNaN(at.getTime())) throw new HandoutError('template-data', `${plusMinutes} minutes after "${String(value)}" is no time a calendar has`);
  return at;
}

function timeFormat(lang: string, habits?: DateHabits): Intl.DateTimeFormat {
  return dateFormat(lang, 'time', habits?.clock ?? (knowsDates(lang) ? undefined : '24h'));
}

function joinTime(parts: Intl.DateTimeFormatPart[]): string {
  return parts
    .map((p) => p.value)
    .join('')
    .replace(/[ \u202f]/g, '\u00a0');
}

/** Drops the day period and the space that parts it from the time. */
function withoutDayPeriod(parts: Intl.DateTimeFormatPart[]): void {
  const at = parts.findIndex((p) => p.type === 'dayPeriod');
  if (at < 0) return;
  const space = (i: number) => parts[i]?.type === 'literal' && /^\s+$/.test(parts[i]!.value);
  if (space(at + 1)) parts.splice(at, 2);
  else if (space(at - 1)) parts.splice(at - 1, 2);
  else parts.splice(at, 1);
}

export function registerHelpers(hb: typeof Handlebars, ctx: () => HelperContext): void {
  const hash = (args: unknown[]) => (args[args.length - 1] as Options).hash as Record<string, unknown>;
  hb.registerHelper('t', (key: unknown, ...rest: unknown[]) => {
    ctx().keys?.add(String(key));
    return String(translate(ctx().locale, String(key), hash(rest)));
  });
  hb.registerHelper('tlist', (key: unknown, ...rest: unknown[]) => {
    ctx().keys?.add(String(key));
    const v = translate(ctx().locale, String(key), hash(rest), true);
    if (Array.isArray(v)) return v;
    if (v && typeof v === 'object') return Object.entries(v).map(([id, value]) => ({ id, ...(value as object) }));
    throw new HandoutError('missing-translation', `"${String(key)}" in locale "${ctx().locale.code}" is text, not a list`, { key: String(key) });
  });
  hb.registerHelper('date', (value: unknown, ...rest: unknown[]) => formatDate(ctx().locale.code, value, String(hash(rest).style ?? 'long'), ctx().locale.meta.dates));
  hb.registerHelper('time', (value: unknown, ...rest: unknown[]) => formatTime(ctx().locale.code, value, numberOf(hash(rest).plus ?? 0, 'minutes added to a time'), ctx().locale.meta.dates));
  hb.registerHelper('timeRange', (key: unknown, from: unknown, ...rest: unknown[]) => {
    const to = rest.length > 1 ? rest[0] : undefined;
    const plus = hash(rest).plus;
    if (to !== undefined && plus !== undefined) throw new HandoutError('template-data', `{{timeRange}} takes an end time or plus=minutes, not both`);
    const { start, end } = formatTimeRange(ctx().locale.code, from, to, numberOf(plus ?? 0, 'minutes added to a time'), ctx().locale.meta.dates);
    ctx().keys?.add(String(key));
    return String(translate(ctx().locale, String(key), { start, end }));
  });
  hb.registerHelper('number', (value: unknown) => new Intl.NumberFormat(ctx().locale.code).format(numberOf(value, 'a number to format')));
  // "https://www.example.org/" is printed as "www.example.org"; the QR code keeps the URL.
  hb.registerHelper('displayUrl', (url: unknown) => String(url).replace(/^https?:\/\//, '').replace(/\/$/, ''));
  hb.registerHelper('inc', (value: unknown) => numberOf(value, 'a number to count from') + 1);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).find(Boolean) ?? null);
}
