import { Parser } from 'htmlparser2';
import { HandoutError } from '../model/diagnostic.js';
import type { PathBox } from '../model/layout.js';
import type { Color } from '../model/style.js';

export interface Icon {
  viewBox: [number, number, number, number];
  paths: { d: string; fill: 'current' | 'none' | Color; stroke: 'current' | 'none' | Color; strokeWidth?: number; fillRule?: 'nonzero' | 'evenodd' }[];
}

/** Parsed icons by their SVG text (the engine passes one string per file's bytes). */
const cache = new Map<string, Icon>();

function paint(v: string | undefined, dflt: 'current' | 'none'): 'current' | 'none' | Color {
  if (v === undefined) return dflt;
  if (v === 'none') return 'none';
  if (v === 'currentColor') return 'current';
  if (/^#[0-9a-f]{6}$/i.test(v)) return { hex: v.toLowerCase() };
  return dflt;
}

/**
 * Icons are small SVG files of <path>, <circle> and <rect> shapes; `currentColor` takes the
 * colour the template gives the icon. Each distinct SVG text is parsed once.
 */
export function parseIcon(svg: string, file: string): Icon {
  const hit = cache.get(svg);
  if (hit) return hit;
  let viewBox: Icon['viewBox'] | null = null;
  const paths: Icon['paths'] = [];
  const inherited: Record<string, string>[] = [];
  const parser = new Parser(
    {
      onopentag(name, a) {
        const attrs = { ...(inherited[inherited.length - 1] ?? {}), ...a };
        inherited.push(attrs);
        const style = { fill: paint(attrs.fill, 'current'), stroke: paint(attrs.stroke, 'none'), strokeWidth: attrs['stroke-width'] ? Number(attrs['stroke-width']) : undefined, fillRule: attrs['fill-rule'] === 'evenodd' ? ('evenodd' as const) : undefined };
        if (name === 'svg') {
          const vb = (a.viewBox ?? a.viewbox ?? '').split(/[\s,]+/).map(Number);
          if (vb.length === 4 && vb.every(Number.isFinite)) viewBox = vb as Icon['viewBox'];
        } else if (name === 'path' && a.d) paths.push({ d: a.d, ...style });
        else if (name === 'circle') {
          const cx = Number(a.cx), cy = Number(a.cy), r = Number(a.r);
          paths.push({ d: `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`, ...style });
        } else if (name === 'rect') {
          const x = Number(a.x ?? 0), y = Number(a.y ?? 0), w = Number(a.width), h = Number(a.height);
          paths.push({ d: `M${x} ${y}h${w}v${h}h${-w}Z`, ...style });
        }
      },
      onclosetag() {
        inherited.pop();
      },
    },
    { xmlMode: true },
  );
  parser.write(svg);
  parser.end();
  if (!viewBox || paths.length === 0) throw new HandoutError('image', 'cannot read icon: an SVG with a viewBox and at least one path is needed', { file });
  const icon = { viewBox, paths };
  cache.set(svg, icon);
  return icon;
}

export function iconBox(icon: Icon, x: number, y: number, size: number, color: Color, mirror: boolean): PathBox {
  const resolve = (p: 'current' | 'none' | Color) => (p === 'current' ? color : p === 'none' ? undefined : p);
  return {
    kind: 'path',
    x,
    y,
    w: size,
    h: size,
    viewBox: icon.viewBox,
    mirror: mirror || undefined,
    paths: icon.paths.map((p) => ({ d: p.d, fill: resolve(p.fill), stroke: resolve(p.stroke), strokeWidth: p.strokeWidth, fillRule: p.fillRule })),
  };
}
