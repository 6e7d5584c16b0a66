// The form editor's texts: a procedure definition split into the dossier form and the rest (the catalogue metadata) as
// JSON texts in the order people write them, and joined back. Pure, so the round trip is tested without a browser.
import metaSchema from '../../../forms/procedure.schema.json' with { type: 'json' }

/** The two texts the analyst edits; the definition is metadata + form. */
export interface FormTexts {
  form: string
  metadata: string
}

export type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; message: string; line?: number }

export function parseObject(text: string): Parsed {
  try {
    const value = JSON.parse(text) as unknown
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'not a JSON object' }
    return { ok: true, value: value as Record<string, unknown> }
  } catch (err) {
    const message = (err as Error).message
    // V8 says "… at position 123" (and newer ones "(line 4 column 7)").
    const pos = /position (\d+)/.exec(message)
    const line = /line (\d+)/.exec(message)
    return {
      ok: false,
      message,
      ...(line ? { line: Number(line[1]) } : pos ? { line: text.slice(0, Number(pos[1])).split('\n').length } : {}),
    }
  }
}

// The server stores definitions as jsonb, which reorders keys (shortest first); the texts put them
// back in the order people write them: the meta-schema's order, and in the form each field's type
// and label before its children.
const metadataOrder = Object.keys(metaSchema.properties)
const schemaOrder = [
  '$schema',
  'type',
  'title',
  'x-ui',
  'label',
  'vi',
  'en',
  'widget',
  'showWhen',
  'required',
  'additionalProperties',
  'format',
  'enum',
  'minLength',
  'maxLength',
  'items',
  'properties',
]

function ordered(value: unknown, order: string[], deep: boolean): unknown {
  if (Array.isArray(value)) return deep ? value.map((v) => ordered(v, order, deep)) : value
  if (!value || typeof value !== 'object') return value
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length - 2.5)
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b))
  // Field names under "properties" all rank alike, so they keep their order (the sort is stable).
  return Object.fromEntries(
    keys.map((k) => [
      k,
      deep ? ordered((value as Record<string, unknown>)[k], order, deep) : (value as Record<string, unknown>)[k],
    ]),
  )
}

/** Splits a definition into the two texts (form and the rest) and joins them back. */
export function textsOf(definition: Record<string, unknown>): FormTexts {
  const { form, ...metadata } = definition
  return { form: formText(form), metadata: metadataText(metadata) }
}

export const formText = (form: unknown) => JSON.stringify(ordered(form, schemaOrder, true), null, 2)
export const metadataText = (metadata: unknown) => JSON.stringify(ordered(metadata, metadataOrder, false), null, 2)

export function definitionOf(texts: FormTexts): { ok: true; value: Record<string, unknown> } | { ok: false } {
  const form = parseObject(texts.form)
  const metadata = parseObject(texts.metadata)
  if (!form.ok || !metadata.ok) return { ok: false }
  return { ok: true, value: { ...metadata.value, form: form.value } }
}
