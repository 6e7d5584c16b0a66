// Renders one of each printable form to docs/print-samples/ (HTML and PDF), to look at and to show.
import { mkdirSync, writeFileSync } from 'node:fs'
import { printableForms, renderPrintable } from '../src/print/index.js'
import { samplePrintData } from '../src/print/samples.js'

const dir = new URL('../docs/print-samples/', import.meta.url)
mkdirSync(dir, { recursive: true })
for (const form of printableForms) {
  const data = samplePrintData[form]
  writeFileSync(new URL(`${form}.html`, dir), await renderPrintable(form, data, 'html'))
  writeFileSync(new URL(`${form}.pdf`, dir), await renderPrintable(form, data, 'pdf'))
  console.log(`docs/print-samples/${form}.{html,pdf}`)
}
