import { HandoutError, OverflowError } from '../model/diagnostic.js';
import type { LayoutDoc } from '../model/layout.js';

/** Smallest type scale tried before a too-long text is reported as overflow. */
export const FIT_FLOOR = 0.85;
const SHRINK_STEPS = [1, 0.97, 0.94, 0.91, 0.88, FIT_FLOOR];
/** Growth goes in the same small steps as shrinking: 3% more type is about 6% more height. */
const GROW_STEP = 0.03;

/** What a template's front matter says about its pages: most pages, and how far type may grow to fill them. */
export interface FitRule {
  pages?: number;
  grow?: number;
}

/**
 * Lays a document out at the type scale that suits its page limit. When a translation runs
 * long, type and spacing shrink in small steps down to FIT_FLOOR; only then is the overflow
 * reported (as measured at full size, which is the number a translator can act on). When the
 * template allows growth and the text runs short (Chinese says in 60 mm less what English
 * says), type grows in the same steps up to the template's `grow`, on no more pages than at
 * full size, so the page is filled rather than left with a blank band above its footer.
 *
 * The result is always a step found by the same search from the same inputs; content height
 * goes about with the square of the type scale, so the first layout's overflow or room
 * predicts the step, and most documents take one or two layouts.
 */
export function fitToPages(rule: FitRule, layout: (scale: number, brandShrinks: boolean) => LayoutDoc): LayoutDoc {
  if (rule.pages === undefined) return layout(1, false);
  try {
    return search(rule, (scale) => layout(scale, false));
  } catch (e) {
    // The brand (header band, QR codes) keeps its size while the body alone can be fitted; a
    // text that cannot fit so (on A5, on a landscape page) shrinks it with the rest, as it fits
    // there. The overflow, measured at full size, is the same either way.
    if (!(e instanceof HandoutError) || e.code !== 'overflow') throw e;
    return search(rule, (scale) => layout(scale, true));
  }
}

function search(rule: FitRule, layout: (scale: number) => LayoutDoc): LayoutDoc {
  const results = new Map<number, LayoutDoc | OverflowError>();
  const attempt = (scale: number): LayoutDoc | OverflowError => {
    let r = results.get(scale);
    if (!r) {
      try {
        r = layout(scale);
      } catch (e) {
        if (!(e instanceof OverflowError)) throw e;
        r = e;
      }
      results.set(scale, r);
    }
    return r;
  };
  const first = attempt(1);
  if (first instanceof OverflowError) return shrink(first, (i) => attempt(SHRINK_STEPS[i]!));
  return rule.grow === undefined ? first : grow(first, growSteps(rule.grow), attempt);
}

function shrink(first: OverflowError, attempt: (i: number) => LayoutDoc | OverflowError): LayoutDoc {
  const predicted = Math.sqrt(first.available / (first.available + first.excess));
  let i = SHRINK_STEPS.findIndex((s) => s <= predicted + 0.005);
  if (i < 1) i = i === 0 ? 1 : SHRINK_STEPS.length - 1;
  // Walk up while the larger step fits, down while this one does not.
  while (!(attempt(i) instanceof OverflowError) && i > 1 && !(attempt(i - 1) instanceof OverflowError)) i--;
  while (attempt(i) instanceof OverflowError && i < SHRINK_STEPS.length - 1) i++;
  const found = attempt(i);
  if (!(found instanceof OverflowError)) return found;
  throw new HandoutError('overflow', `${first.message}, even at ${Math.round(FIT_FLOOR * 100)}% type size`, first.where);
}

function grow(first: LayoutDoc, steps: number[], attempt: (scale: number) => LayoutDoc | OverflowError): LayoutDoc {
  const { area, room } = first.fit;
  if (steps.length === 0 || room <= 0 || area <= room) return first;
  // Line breaks make height jump: the room predicts a bit short (a Bengali flyer predicted to
  // grow 2.2% fits 3%), so a step is tried from a prediction GROW_REACH below it.
  let i = steps.findLastIndex((s) => s <= Math.sqrt(area / (area - room)) + GROW_REACH);
  // A grown layout counts only on as many pages as at full size: growth fills pages, never adds one.
  const fits = (r: LayoutDoc | OverflowError): r is LayoutDoc => !(r instanceof OverflowError) && r.pages.length <= first.pages.length;
  while (i >= 0 && !fits(attempt(steps[i]!))) i--;
  if (i < 0) return first;
  while (i + 1 < steps.length && fits(attempt(steps[i + 1]!))) i++;
  return attempt(steps[i]!) as LayoutDoc;
}

const GROW_REACH = 0.015;

/** The scales above 1 up to `most`, in GROW_STEP steps (rounded, so a scale is the same number however reached). */
function growSteps(most: number): number[] {
  const steps: number[] = [];
  for (let k = 1; 1 + k * GROW_STEP <= most + 1e-9; k++) steps.push(Math.round((1 + k * GROW_STEP) * 100) / 100);
  return steps;
}
