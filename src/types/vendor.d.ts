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
