// What changed between two versions of a procedure: a structured diff an analyst (or a reviewer) can read.
import type { ProcedureDefinition } from './definition.js'

export interface ValueChange {
  property: string
  from: unknown
  to: unknown
}

export interface ItemChanges {
  added: Array<{ key: string; name?: string }>
  removed: Array<{ key: string; name?: string }>
  changed: Array<{ key: string; name?: string; changes: ValueChange[] }>
}

export interface ProcedureDiff {
  from: number
  to: number
  /** Catalogue metadata (name, field, agency, levels, result, delivery …). */
  metadata: ValueChange[]
  duration: { from: string; to: string } | null
  components: ItemChanges
  steps: ItemChanges
  fees: ItemChanges
  legalBasis: ItemChanges
  /** Form fields by dotted path (`nguoiYeuCau.hoTen`); a changed field lists its changed schema keywords. */
  formFields: ItemChanges
  bpmnChanged: boolean
  /** False when nothing at all differs. */
  changed: boolean
}

// Duration has its own entry; steps, components, fees, legal basis and the form are compared item by item.
const metadataKeys = [
  'code',
  'name',
  'nameEn',
  'field',
  'agencyLevel',
  'agency',
  'levelNote',
  'onlineLevel',
  'durationNote',
  'durationNoteEn',
  'supplementPolicy',
  'resultDelivery',
  'result',
  'applicants',
  'workflow',
] as const satisfies ReadonlyArray<keyof ProcedureDefinition>

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

function propertyChanges(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  skip: readonly string[] = [],
): ValueChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.includes(k)).sort()
  return keys.filter((k) => !same(a[k], b[k])).map((k) => ({ property: k, from: a[k] ?? null, to: b[k] ?? null }))
}

/** Items matched by a key; an item present on both sides with different properties is "changed". */
function itemChanges<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  name: (item: T) => string | undefined,
  skip: readonly string[] = [],
): ItemChanges {
  const a = new Map(before.map((item) => [key(item), item]))
  const b = new Map(after.map((item) => [key(item), item]))
  const label = (k: string, item: T) => ({ key: k, ...(name(item) !== undefined ? { name: name(item) } : {}) })
  const result: ItemChanges = { added: [], removed: [], changed: [] }
  for (const [k, item] of b) if (!a.has(k)) result.added.push(label(k, item))
  for (const [k, item] of a) if (!b.has(k)) result.removed.push(label(k, item))
  for (const [k, item] of b) {
    const old = a.get(k)
    if (old === undefined) continue
    const changes = propertyChanges(old as Record<string, unknown>, item as Record<string, unknown>, skip)
    if (changes.length > 0) result.changed.push({ ...label(k, item), changes })
  }
  return result
}

interface FieldNode {
  properties?: Record<string, FieldNode>
  items?: FieldNode
  title?: string
  [keyword: string]: unknown
}

/** Every form field by dotted path, with its own keywords (children are fields of their own). */
function formFields(
  form: FieldNode | undefined,
  prefix = '',
): Array<{ path: string; node: FieldNode; required: boolean }> {
  const fields: Array<{ path: string; node: FieldNode; required: boolean }> = []
  const required = Array.isArray(form?.['required']) ? (form['required'] as unknown[]) : []
  for (const [name, node] of Object.entries(form?.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name
    fields.push({ path, node, required: required.includes(name) })
    fields.push(...formFields(node, path))
    if (node.items) fields.push(...formFields(node.items, `${path}[]`))
  }
  return fields
}

const fieldEntry = (f: { node: FieldNode; required: boolean }) => {
  const { properties: _p, items: _i, required: _r, ...own } = f.node
  return { ...own, required: f.required }
}

export function diffProcedureVersions(
  from: { version: number; definition: ProcedureDefinition; bpmnXml: string },
  to: { version: number; definition: ProcedureDefinition; bpmnXml: string },
): ProcedureDiff {
  const a = from.definition
  const b = to.definition
  const pick = (d: ProcedureDefinition) => Object.fromEntries(metadataKeys.map((k) => [k, d[k]]))
  const fieldsA = formFields(a.form as FieldNode)
  const fieldsB = formFields(b.form as FieldNode)
  // Fields are labelled in x-ui (what the applicant reads); a plain JSON-schema title is the fallback.
  const title = (f: { node: FieldNode }) => {
    const label = (f.node['x-ui'] as { label?: { vi?: unknown } } | undefined)?.label?.vi
    return typeof label === 'string' ? label : typeof f.node.title === 'string' ? f.node.title : undefined
  }
  const diff: Omit<ProcedureDiff, 'changed'> = {
    from: from.version,
    to: to.version,
    metadata: propertyChanges(pick(a), pick(b)),
    duration: a.duration === b.duration ? null : { from: a.duration, to: b.duration },
    components: itemChanges(
      a.components ?? [],
      b.components ?? [],
      (c) => c.id,
      (c) => c.name,
    ),
    steps: itemChanges(
      a.steps ?? [],
      b.steps ?? [],
      (s) => s.id,
      (s) => s.name,
    ),
    fees: itemChanges(
      a.fees ?? [],
      b.fees ?? [],
      (f) => f.name,
      () => undefined,
    ),
    legalBasis: itemChanges(
      a.legalBasis ?? [],
      b.legalBasis ?? [],
      (l) => l.number,
      (l) => l.title,
    ),
    formFields: itemChanges(
      fieldsA.map((f) => ({ path: f.path, title: title(f), entry: fieldEntry(f) })),
      fieldsB.map((f) => ({ path: f.path, title: title(f), entry: fieldEntry(f) })),
      (f) => f.path,
      (f) => f.title,
      ['path', 'title'],
    ),
    bpmnChanged: from.bpmnXml !== to.bpmnXml,
  }
  // Field entries are compared as a whole object under "entry"; report the keywords inside it.
  diff.formFields.changed = diff.formFields.changed.map((c) => ({
    ...c,
    changes: c.changes.flatMap((ch) =>
      ch.property === 'entry'
        ? propertyChanges(ch.from as Record<string, unknown>, ch.to as Record<string, unknown>)
        : [ch],
    ),
  }))
  const lists = [diff.components, diff.steps, diff.fees, diff.legalBasis, diff.formFields]
  const changed =
    diff.metadata.length > 0 ||
    diff.duration !== null ||
    diff.bpmnChanged ||
    lists.some((l) => l.added.length + l.removed.length + l.changed.length > 0)
  return { ...diff, changed }
}
