declare module 'linebreak' {
  interface Break {
    position: number;
    required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}

declare module 'unicode-properties' {
  const props: {
    getScript(codePoint: number): string;
    getCategory(codePoint: number): string;
    isMark(codePoint: number): boolean;
  };
  export default props;
}

declare module 'svg-to-pdfkit' {
  interface Options {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    warningCallback?: (warning: string) => void;
    colorCallback?: (color: [[number, number, number], number], raw?: string) => [[number, number, number], number];
  }
  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x?: number, y?: number, options?: Options): void;
}

declare module 'jpeg-js/lib/decoder.js' {
  interface DecodeOptions {
    useTArray?: boolean;
    formatAsRGBA?: boolean;
    maxResolutionInMP?: number;
    maxMemoryUsageInMB?: number;
  }
  export default function decode(data: Uint8Array, options?: DecodeOptions): { width: number; height: number; data: Uint8Array };
}

declare module 'jpeg-js/lib/encoder.js' {
  export default function encode(image: { data: Uint8Array; width: number; height: number }, quality?: number): { data: Uint8Array; width: number; height: number };
}
