/**
 * The markup vocabulary: every element a template may use and the attributes it accepts.
 * Anything else is an error with the template line, never a silent no-op.
 */
import { own } from '../model/own.js';

const TEXT_ATTRS = ['size', 'color', 'align', 'bold', 'italic', 'style', 'lang', 'dir', 'hyphenate'];
const BLOCK_ATTRS = ['space-before', 'space-after', 'keep', 'id'];
const BOX_ATTRS = ['fill', 'border', 'border-width', 'radius', 'padding', 'width', 'color'];

export const BLOCK_ELEMENTS: Record<string, string[]> = {
  document: ['size', 'orientation', 'margin', 'lang', 'dir', 'title', 'pages', 'author', 'subject', 'keywords'],
  header: [...BOX_ATTRS, ...BLOCK_ATTRS, 'bleed'],
  footer: [...BOX_ATTRS, ...BLOCK_ATTRS, 'pages'],
  section: [...BLOCK_ATTRS, ...BOX_ATTRS],
  box: [...BOX_ATTRS, ...BLOCK_ATTRS],
  row: ['gap', 'valign', ...BLOCK_ATTRS, ...BOX_ATTRS],
  columns: ['count', 'gap', 'min-width', ...BLOCK_ATTRS],
  h1: [...TEXT_ATTRS, ...BLOCK_ATTRS],
  h2: [...TEXT_ATTRS, ...BLOCK_ATTRS, 'icon', 'icon-color'],
  h3: [...TEXT_ATTRS, ...BLOCK_ATTRS, 'icon', 'icon-color'],
  p: [...TEXT_ATTRS, ...BLOCK_ATTRS],
  ul: [...TEXT_ATTRS, ...BLOCK_ATTRS, 'marker-color'],
  ol: [...TEXT_ATTRS, ...BLOCK_ATTRS, 'marker-color', 'start'],
  li: [...TEXT_ATTRS],
  image: ['src', 'width', 'height', 'alt', ...BLOCK_ATTRS],
  icon: ['src', 'size', 'color', 'alt', ...BLOCK_ATTRS],
  qr: ['value', 'size', 'color', 'level', 'alt', ...BLOCK_ATTRS],
  spacer: ['height'],
  rule: ['color', 'thickness', ...BLOCK_ATTRS],
  lines: ['count', 'gap', 'color', 'fill-page', ...BLOCK_ATTRS],
  pagebreak: [],
};

export const INLINE_ELEMENTS: Record<string, string[]> = {
  strong: [],
  em: [],
  span: ['color', 'size', 'bold', 'italic', 'lang', 'style', 'dir'],
  br: [],
};

export function isKnownElement(name: string): boolean {
  return own(BLOCK_ELEMENTS, name) !== undefined || own(INLINE_ELEMENTS, name) !== undefined;
}

export function allowedAttributes(name: string): string[] {
  return own(BLOCK_ELEMENTS, name) ?? own(INLINE_ELEMENTS, name) ?? [];
}
