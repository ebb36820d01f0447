import { PDFParse } from 'pdf-parse';
import fs from 'node:fs';
const parser = new PDFParse({ data: fs.readFileSync(process.argv[2]) });
const r = await parser.getText();
console.log(r.text);
await parser.destroy();
