import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import fs from 'node:fs';
const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(process.argv[2])) }).promise;
const page = await doc.getPage(1);
const tc = await page.getTextContent();
for (const it of tc.items) console.log(JSON.stringify(it.str), it.transform.map(v=>Math.round(v*10)/10).join(','), Math.round(it.width*10)/10, it.hasEOL);
