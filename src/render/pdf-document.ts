import PDFDocument from 'pdfkit';

/** A pdfkit object reference as the painter and the font embedder write it. */
export type PdfRef = PDFKit.PDFKitReference & { data: Record<string, unknown>; end(chunk?: Uint8Array | string): void; write(chunk: Uint8Array | string): void };

/** The parts of pdfkit's document the painter reads or redirects, which its types leave out. */
interface PdfkitInternals {
  _offsets: unknown[];
  _offset: number;
  _write(data: string | Uint8Array): void;
  _opacityCount: number;
  _opacityRegistry: Record<string, unknown>;
  _doOpacity(fill: number | null, stroke: number | null): unknown;
  info: Record<string, string | Date | undefined>;
  appendXML(xml: string, newline?: boolean): void;
  addContent(data: string): unknown;
  read(): Uint8Array | null;
  ref(data?: Record<string, unknown>): PdfRef;
  page: {
    dictionary: { data: Record<string, unknown> };
    resources: { data: Record<string, unknown> };
    content: { buffer: Uint8Array[]; compress: boolean; data: Record<string, unknown>; write(chunk: Uint8Array): void };
    fonts: Record<string, PdfRef>;
    xobjects: Record<string, PdfRef>;
  };
}

// Our declarations first, so `ref` resolves to the typed reference.
const Base = PDFDocument as unknown as new (options: PDFKit.PDFDocumentOptions) => PdfkitInternals & PDFKit.PDFDocument;

/** An opacity state pdfkit created: the arguments of `_doOpacity`. */
export type OpacityCall = [fill: number | null, stroke: number | null];

/**
 * pdfkit's document with the three redirections the painter needs: the file gathered in
 * memory, content operators gathered instead of written, and the opacity states a drawing
 * creates. They are methods that read plain fields, never functions stored on each document:
 * V8 keeps track of a function held in an object's field through the object's hidden class,
 * and with a closure of its own on every document, each document (with all it referred to)
 * outlived the young generation's collections and was copied to the old generation, to die
 * there at the next full collection. Measured with `--trace-gc-nvp`: a bare pdfkit document
 * with a closure in a field promoted 30 MB over 2000 documents, against 1 MB without; with a
 * plain object in the field, 2 MB.
 */
export class HandoutDocument extends Base {
  /** Gathers the file once `collectOutput` was called (pdfkit's constructor writes the header to its stream first). */
  private output: OutputCollector | null = null;
  /** While set, content operators for `page` go to `ops` instead of to the page. */
  private captured: { ops: string[]; page: unknown } | null = null;
  /** While set, the opacity states created are listed here. */
  private opacities: OpacityCall[] | null = null;

  override _write(data: string | Uint8Array): void {
    if (!this.output) return super._write(data);
    this._offset += this.output.add(data);
  }

  override addContent(data: string): this {
    // svg-to-pdfkit draws a group (an SVG <g opacity>) into a form of its own by putting a
    // stand-in for the page: what goes there is the form's content, not the page's.
    if (this.captured && this.page === this.captured.page) this.captured.ops.push(data);
    else super.addContent(data);
    return this;
  }

  override _doOpacity(fill: number | null, stroke: number | null): unknown {
    const count = this._opacityCount;
    const r = super._doOpacity(fill, stroke);
    if (this.opacities && this._opacityCount !== count) this.opacities.push([fill, stroke]);
    return r;
  }

  /**
   * The document information in the XMP metadata, as pdfkit writes it but with the text escaped:
   * pdfkit puts title, author and keywords into the XML as they are, so a clinic called
   * "Mother & Baby" made metadata that is not XML, which PDF/A and PDF/UA checkers and document
   * managers reject. Same layout as pdfkit's, so text without markup gives the same bytes.
   */
  _addInfo(): void {
    const info = this.info;
    const text = (key: string) => escapeXml(String(info[key] ?? ''));
    const created = (info.CreationDate as Date).toISOString().split('.')[0] + 'Z';
    this.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${created}</xmp:CreateDate>
            <xmp:CreatorTool>${text('Creator')}</xmp:CreatorTool>
        </rdf:Description>
        `);
    if (info.Title || info.Author || info.Subject) {
      this.appendXML(`
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            `);
      const entry = (element: string, container: string, key: string, lang: string) => {
        if (info[key]) {
          this.appendXML(`
                <dc:${element}>
                    <rdf:${container}>
                        <rdf:li${lang}>${text(key)}</rdf:li>
                    </rdf:${container}>
                </dc:${element}>
                `);
        }
      };
      entry('title', 'Alt', 'Title', ' xml:lang="x-default"');
      entry('creator', 'Seq', 'Author', '');
      entry('description', 'Alt', 'Subject', ' xml:lang="x-default"');
      this.appendXML(`
            </rdf:Description>
            `);
    }
    this.appendXML(`
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${text('Producer')}</pdf:Producer>`, false);
    if (info.Keywords) {
      this.appendXML(`
            <pdf:Keywords>${text('Keywords')}</pdf:Keywords>`, false);
    }
    this.appendXML(`
        </rdf:Description>
        `);
  }

  /**
   * From now on the file is gathered here instead of going through pdfkit's stream; the promise
   * gives its bytes once pdfkit has ended it.
   */
  collectOutput(): Promise<Uint8Array> {
    // The header, written by pdfkit's constructor, waits in the stream's buffer.
    const output = new OutputCollector(this.read());
    this.output = output;
    // pdfkit ends its stream (push(null)) after the trailer; nothing else goes through it.
    const done = new Promise<void>((resolve, reject) => {
      this.on('data', () => reject(new Error('internal: pdfkit wrote around the output collector')));
      this.on('end', resolve);
      this.on('error', reject);
    });
    return done.then(() => output.bytes());
  }

  /** Runs `draw` with the content operators it adds gathered and returned instead of written. */
  capture(draw: () => void): string[] {
    const outer = this.captured;
    const ops: string[] = [];
    this.captured = { ops, page: this.page };
    try {
      draw();
    } finally {
      this.captured = outer;
    }
    return ops;
  }

  /** Runs `draw`, listing in `into` the opacity states it creates. */
  recordOpacities<T>(into: OpacityCall[], draw: () => T): T {
    const outer = this.opacities;
    this.opacities = into;
    try {
      return draw();
    } finally {
      this.opacities = outer;
    }
  }
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);

/**
 * The file pdfkit writes, without its stream: pdfkit turns every line it writes (each object
 * header, dictionary and cross-reference entry) into a buffer of its own, one byte at a time,
 * and pushes it through a Node stream. Lines are kept as text and encoded once, as the same
 * bytes (one byte per character, as pdfkit's own conversion).
 */
class OutputCollector {
  private readonly parts: Uint8Array[] = [];
  private text: string[] = [];

  constructor(head: Uint8Array | null) {
    if (head) this.parts.push(head);
  }

  /** Takes what pdfkit writes; returns its length in bytes. */
  add(data: string | Uint8Array): number {
    if (data instanceof Uint8Array) {
      this.flushText();
      this.parts.push(data);
      return data.length;
    }
    const line = `${data}\n`;
    this.text.push(line);
    return line.length;
  }

  bytes(): Uint8Array {
    this.flushText();
    return Buffer.concat(this.parts);
  }

  private flushText(): void {
    if (this.text.length > 0) this.parts.push(Buffer.from(this.text.join(''), 'latin1'));
    this.text = [];
  }
}
