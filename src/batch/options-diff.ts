import type { Job } from './workspace.js';

/** The part of a job a build record keeps verbatim (see Fingerprints.parts). */
export type JobOptions = Pick<Job, 'template' | 'locale' | 'brand' | 'print' | 'set'>;

/** The command-line spelling of each print option, for saying what changed in a user's words. */
const FLAGS: Record<string, string> = {
  size: '--size', orientation: '--orientation', margin: '--margin', bleed: '--bleed',
  cropMarks: '--crop-marks', twoUp: '--2up', grayscale: '--grayscale', pdfa: '--pdfa',
};

/**
 * How a job's options differ from those an output was built with, as the options a user
 * types: `--set instructor.name="Ana Ruiz" when built, not now; --size Letter when built, A5
 * now`. Empty when nothing a user set differs.
 */
export function optionsDiff(then: JobOptions, now: JobOptions): string {
  const out: string[] = [];
  const say = (flag: string, a: string | undefined, b: string | undefined) => {
    if (a === b) return;
    if (b === undefined) out.push(`${flag}${a ? ` ${a}` : ''} when built, not now`);
    else if (a === undefined) out.push(`${flag}${b ? ` ${b}` : ''} now, not when built`);
    else out.push(`${flag} ${a} when built, ${b} now`);
  };
  say('-t', then.template, now.template);
  say('-l', then.locale, now.locale);
  say('-b', then.brand, now.brand);
  const value = (v: unknown) => (v === undefined || v === false ? undefined : v === true ? '' : String(v));
  for (const key of new Set([...Object.keys(then.print ?? {}), ...Object.keys(now.print ?? {})])) {
    const get = (p: JobOptions['print']) => value((p as Record<string, unknown> | undefined)?.[key]);
    say(FLAGS[key] ?? `print.${key}`, get(then.print), get(now.print));
  }
  const quoted = (v: string | undefined) => (v === undefined ? undefined : JSON.stringify(v));
  for (const key of new Set([...Object.keys(then.set ?? {}), ...Object.keys(now.set ?? {})])) {
    const a = quoted(then.set?.[key]);
    const b = quoted(now.set?.[key]);
    if (a === b) continue;
    if (b === undefined) out.push(`--set ${key}=${a} when built, not now`);
    else if (a === undefined) out.push(`--set ${key}=${b} now, not when built`);
    else out.push(`--set ${key}: ${a} when built, ${b} now`);
  }
  return out.join('; ');
}
