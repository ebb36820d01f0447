import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../../src/markup/parse.js';
import { HandoutError } from '../../src/model/diagnostic.js';

const at = (line: number) => ({ file: 'templates/t.hbs', line });
const parse = (s: string) => parseMarkup(s, at);

describe('markup parser', () => {
  it('builds a typed tree with decoded entities and source lines', () => {
    const doc = parse('<document size="A4">\n  <h1>Tom &amp; Jerry &lt;3</h1>\n  <p>a <strong>b</strong></p>\n</document>');
    expect(doc.name).toBe('document');
    expect(doc.attrs.size).toBe('A4');
    const h1 = doc.children.find((c) => c.type === 'element' && c.name === 'h1');
    expect(h1?.type === 'element' && h1.children[0]).toMatchObject({ type: 'text', text: 'Tom & Jerry <3' });
    expect(h1?.pos.line).toBe(2);
    const p = doc.children.find((c) => c.type === 'element' && c.name === 'p');
    expect(p?.type === 'element' && p.children.map((c) => (c.type === 'element' ? c.name : c.text))).toEqual(['a ', 'strong']);
  });

  const error = (s: string) => {
    try {
      parse(s);
    } catch (e) {
      return e as HandoutError;
    }
    throw new Error('no error');
  };

  it('rejects an unknown element with its line', () => {
    const e = error('<document>\n<h1>x</h1>\n<colums count="2"></colums>\n</document>');
    expect(e.code).toBe('markup');
    expect(e.format()).toMatch(/^templates\/t\.hbs:3: unknown element <colums>; did you mean <columns>\? \(elements: document, header, footer, /);
    expect(error('<document>\n<h4>x</h4>\n</document>').message).toMatch(/^unknown element <h4>; did you mean <h3>\?/);
  });

  it('knows no element by a name every object has (toString, constructor, __proto__)', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      const e = error(`<document>\n<${name}>x</${name}>\n</document>`);
      expect(e).toBeInstanceOf(HandoutError);
      expect(e.format()).toMatch(new RegExp(`^templates/t\\.hbs:2: unknown element <${name}>[;( ]`));
    }
  });

  it('rejects an unknown attribute and lists the allowed ones', () => {
    const e = error('<document>\n<p colour="red">x</p>\n</document>');
    expect(e.format()).toMatch(/^templates\/t\.hbs:2: unknown attribute "colour" on <p>; did you mean "color"\? \(allowed: size, color/);
  });

  it('rejects mismatched and unclosed tags, and a missing <document>', () => {
    expect(error('<document><p>x</h1></document>').message).toMatch(/<p> is never closed/);
    expect(error('<document><p>x</p></h1></document>').message).toMatch(/closing <\/h1> has no matching <h1>/);
    expect(error('<document><p>x</document>').message).toMatch(/does not match|never closed/);
    expect(error('<p>x</p>').message).toMatch(/exactly one <document>/);
    // Named at the line it opens on, with the closing tag that comes before its own (it was the
    // file's first <p>, which was closed).
    expect(error('<document>\n<p>one</p>\n<p>two</p>\n<section>\n<p>three\n</section>\n</document>').format()).toBe(
      'templates/t.hbs:5: <p> is never closed: </section> on line 6 comes before its </p>',
    );
  });
});
