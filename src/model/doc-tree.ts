/** The parsed markup: what a template produced, with the template line each node came from. */
export interface SourcePos {
  file: string;
  line: number;
}

export interface ElementNode {
  type: 'element';
  name: string;
  attrs: Record<string, string>;
  children: DocNode[];
  pos: SourcePos;
}

export interface TextNode {
  type: 'text';
  text: string;
  pos: SourcePos;
}

export type DocNode = ElementNode | TextNode;
