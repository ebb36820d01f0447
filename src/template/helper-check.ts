import type Handlebars from 'handlebars';
import { HandoutError } from '../model/diagnostic.js';
import { own } from '../model/own.js';
import { closest } from '../config/schema-issue.js';

/** The helpers that take arguments: how many they need, and a call as a template writes it. */
const USAGE: Record<string, { args: number; example: string }> = {
  t: { args: 1, example: '{{t "benefits.title"}}' },
  tlist: { args: 1, example: '{{#each (tlist "handout.bring")}}' },
  date: { args: 1, example: '{{date start}}' },
  time: { args: 1, example: '{{time start plus=60}}' },
  timeRange: { args: 2, example: '{{timeRange "handout.timeRange" start plus=60}}' },
  number: { args: 1, example: '{{number count}}' },
  displayUrl: { args: 1, example: '{{displayUrl brand.contact.web}}' },
  inc: { args: 1, example: '{{inc @index}}' },
  eq: { args: 2, example: '{{#if (eq a b)}}' },
  or: { args: 1, example: '{{or a b}}' },
};

/** Handlebars' own block helpers, which a template may call too. */
const BUILT_IN = ['if', 'unless', 'each', 'with', 'lookup'];

type Node = { type?: string; path?: { type: string; original: string; parts?: string[]; data?: boolean }; params?: unknown[]; hash?: unknown; loc?: { start: { line: number } } };

/**
 * Calls of helpers that do not exist, or without the argument a helper needs, found when a
 * template or partial compiles, with its file and line. At render time Handlebars took
 * `{{upper "x"}}` for a missing value ("the data has no value "upper"") and `{{t}}` failed as
 * "the data has no value to read "hash" from".
 */
export function checkHelperCalls(ast: ReturnType<typeof Handlebars.parse>, helpers: string[], file: string): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    if ((node.type === 'MustacheStatement' || node.type === 'SubExpression' || node.type === 'BlockStatement') && node.path?.type === 'PathExpression') {
      const name = node.path.original;
      const line = node.loc?.start.line;
      const args = node.params?.length ?? 0;
      const isCall = args > 0 || Boolean(node.hash);
      if (isCall && !node.path.data && node.path.parts?.length === 1 && !helpers.includes(name)) {
        const near = closest(name, [...Object.keys(USAGE), ...BUILT_IN]);
        throw new HandoutError('template-syntax', `{{${name} …}}: there is no helper "${name}"${near ? `; did you mean "${near}"?` : ''} (helpers: ${Object.keys(USAGE).join(', ')}; and Handlebars' ${BUILT_IN.join(', ')})`, { file, line });
      }
      const usage = own(USAGE, name);
      if (usage && args < usage.args) {
        throw new HandoutError('template-syntax', `{{${name}}} needs ${usage.args === 1 ? 'an argument' : `${usage.args} arguments`}, like ${usage.example}`, { file, line });
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v);
  };
  visit(ast);
}
