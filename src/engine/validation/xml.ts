// Reads an uploaded BPMN resource into a moddle tree safely: size, encoding and DTD checks before any parser sees it.
import { createRequire } from 'node:module'
import { BpmnModdle } from 'bpmn-moddle'
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' }
import type { DeployProblem, DeployResource } from '../port.js'

/** The part of a moddle element this module and the checks beside it use. */
export interface ModdleElement {
  readonly $type: string
  readonly $parent?: ModdleElement
  readonly $descriptor: {
    isGeneric?: boolean
    properties: Array<{ name: string; isAttr?: boolean; isReference?: boolean; isMany?: boolean; type: string }>
  }
  readonly id?: string
  $instanceOf(type: string): boolean
  get(name: string): unknown
  [property: string]: unknown
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024
/**
 * Deepest element nesting accepted. A real process nests definitions › process › sub-processes › extension
 * elements a dozen or two levels deep; 10,000 levels exhausted the stack of bpmnlint's recursive rules, which
 * bpmnlint then skipped, so the resource deployed unchecked.
 */
export const MAX_ELEMENT_DEPTH = 200

// One moddle per process: it only holds the type registry, fromXML keeps no state between calls.
const moddle = new (
  BpmnModdle as new (packages: Record<string, unknown>) => {
    fromXML(
      xml: string,
      type?: string,
    ): Promise<{
      rootElement: ModdleElement
      warnings: Array<Error & { element?: ModdleElement; property?: string; value?: unknown }>
    }>
  }
)({ zeebe })

const require = createRequire(import.meta.url)
const traverseTree = require('bpmnlint/lib/traverse.js') as (
  root: ModdleElement,
  visitor: { enter?: (el: ModdleElement) => boolean | void },
) => void

/** Depth-first over contained elements (not references), the way bpmnlint rules see the tree. */
export function traverse(root: ModdleElement, enter: (el: ModdleElement) => void): void {
  traverseTree(root, { enter: (el) => void enter(el) })
}

export type ParsedResource =
  { ok: true; definitions: ModdleElement; problems: DeployProblem[] } | { ok: false; problems: DeployProblem[] }

function problem(resourceName: string, rule: string, message: string, elementId?: string): DeployProblem {
  return { resourceName, ...(elementId ? { elementId } : {}), rule, message, severity: 'error' }
}

/**
 * Turns bytes into text, or says why not. Only UTF-8 is accepted: it is what the modelers write,
 * and guessing another encoding would silently corrupt Vietnamese names.
 */
function decode(resource: DeployResource, maxBytes: number): { text: string } | { problem: DeployProblem } {
  const { name, content } = resource
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength
  // Checked before decoding so a huge upload costs nothing more than its length.
  if (size > maxBytes) {
    return { problem: problem(name, 'motcua/xml-size', `Resource is ${size} bytes; the limit is ${maxBytes} bytes`) }
  }
  let text: string
  if (typeof content === 'string') {
    text = content
  } else {
    if ((content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff)) {
      return { problem: problem(name, 'motcua/xml-encoding', 'Resource is UTF-16; save it as UTF-8') }
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content)
    } catch {
      return { problem: problem(name, 'motcua/xml-encoding', 'Resource is not valid UTF-8 text') }
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  // XML 1.0 forbids these characters anywhere; finding one means a binary or corrupted upload.
  const control = /[\x00-\x08\x0B\x0C\x0E-\x1F]/.exec(text)
  if (control) {
    return {
      problem: problem(
        name,
        'motcua/xml-encoding',
        `Resource contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}) at offset ${control.index}; it is not a text XML file`,
      ),
    }
  }
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(text)?.[1]
  if (declared && !/^utf-?8$/i.test(declared)) {
    return {
      problem: problem(name, 'motcua/xml-encoding', `Resource declares encoding "${declared}"; only UTF-8 is accepted`),
    }
  }
  return { text }
}

/**
 * How deep elements nest, counted over the tags (comments, CDATA and processing instructions left out) without parsing.
 */
export function elementDepth(text: string): number {
  const tags =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[A-Za-z_][\w:.-]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/g
  let depth = 0
  let deepest = 0
  for (const m of text.matchAll(tags)) {
    if (m[1] === undefined) continue
    if (m[1] === '/') depth--
    else if (m[2] !== '/') deepest = Math.max(deepest, ++depth)
  }
  return deepest
}

/**
 * Size, encoding and DTD checks, then moddle with the Zeebe extension (the camunda-compat rules
 * need it). Never throws: every failure becomes a problem on the resource.
 */
export async function parseResource(
  resource: DeployResource,
  opts: { maxBytes?: number } = {},
): Promise<ParsedResource> {
  const decoded = decode(resource, opts.maxBytes ?? DEFAULT_MAX_BYTES)
  if ('problem' in decoded) return { ok: false, problems: [decoded.problem] }
  const { text } = decoded
  const name = resource.name
  // BPMN never needs a DTD. Refusing any DOCTYPE or ENTITY closes entity expansion (billion laughs)
  // and external entities (XXE) whatever a parser would do with them. A comment that merely
  // mentions "<!DOCTYPE" is refused too: the price of not parsing before deciding.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    return {
      ok: false,
      problems: [
        problem(name, 'motcua/xml-doctype', 'DOCTYPE and ENTITY declarations are not allowed in BPMN resources'),
      ],
    }
  }
  if (!/^\s*</.test(text)) {
    return { ok: false, problems: [problem(name, 'motcua/xml-parse', 'Resource is not XML')] }
  }
  const depth = elementDepth(text)
  if (depth > MAX_ELEMENT_DEPTH) {
    return {
      ok: false,
      problems: [
        problem(
          name,
          'motcua/xml-depth',
          `Elements are nested ${depth} levels deep; the limit is ${MAX_ELEMENT_DEPTH}`,
        ),
      ],
    }
  }
  let parsed: Awaited<ReturnType<typeof moddle.fromXML>>
  try {
    parsed = await moddle.fromXML(text, 'bpmn:Definitions')
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err)
    return {
      ok: false,
      problems: [problem(name, 'motcua/xml-parse', `Resource is not a readable BPMN document: ${message}`)],
    }
  }
  const definitions = parsed.rootElement
  const unresolved = new Map<ModdleElement, string>()
  for (const warning of parsed.warnings) {
    if (warning.element && warning.property === 'bpmndi:bpmnElement' && typeof warning.value === 'string')
      unresolved.set(warning.element as ModdleElement, warning.value)
  }
  const dropped = dropBrokenDiagramElements(name, definitions, unresolved)
  const problems: DeployProblem[] = parsed.warnings
    // A dropped diagram element's unresolved reference is said once, by dropBrokenDiagramElements.
    .filter((warning) => !warning.element || !dropped.elements.has(warning.element))
    .map((warning) => ({
      resourceName: name,
      ...(warning.element?.id ? { elementId: warning.element.id } : {}),
      rule: 'motcua/xml-import',
      message: warning.message.split('\n')[0]!,
      severity: 'warning' as const,
    }))
  return { ok: true, definitions, problems: [...problems, ...dropped.problems] }
}

const DIAGRAM_ELEMENTS = ['bpmndi:BPMNPlane', 'bpmndi:BPMNShape', 'bpmndi:BPMNEdge']

/**
 * Removes the diagram interchange (DI) elements whose bpmnElement is missing or points at no element of the resource,
 * so the lint rules see the semantic model: a plane pointing at a process id that does not exist made every
 * camunda-compat rule throw, and nothing was checked. Zeebe executes the semantic model and ignores the diagram, so
 * a broken diagram is a warning naming the element, not a refusal.
 */
function dropBrokenDiagramElements(
  resourceName: string,
  definitions: ModdleElement,
  unresolved: Map<ModdleElement, string>,
): { elements: Set<ModdleElement>; problems: DeployProblem[] } {
  const elements = new Set<ModdleElement>()
  const problems: DeployProblem[] = []
  const diagrams = (definitions.get('diagrams') as ModdleElement[] | undefined) ?? []
  const broken = (el: ModdleElement | undefined): boolean => !el || !el.get('bpmnElement')
  const drop = (el: ModdleElement): void => {
    elements.add(el)
    const type = el.$type.replace(/^bpmndi:/, '')
    const target = unresolved.get(el)
    problems.push({
      resourceName,
      ...(el.id ? { elementId: el.id } : {}),
      rule: 'motcua/diagram-reference',
      message: target
        ? `Diagram element "${el.id ?? '?'}" (${type}) points at "${target}", which is not an element of this ` +
          'resource; it is left out of the checks and the diagram may not display'
        : `Diagram element "${el.id ?? '?'}" (${type}) names no BPMN element; it is left out of the checks`,
      severity: 'warning',
    })
  }
  for (const diagram of [...diagrams]) {
    const plane = diagram.get('plane') as ModdleElement | undefined
    if (broken(plane)) {
      // The plane holds every shape of the diagram: without a valid plane the whole diagram goes.
      if (plane) drop(plane)
      else drop(diagram)
      diagrams.splice(diagrams.indexOf(diagram), 1)
      continue
    }
    const planeElements = (plane!.get('planeElement') as ModdleElement[] | undefined) ?? []
    for (const el of [...planeElements]) {
      if (DIAGRAM_ELEMENTS.includes(el.$type) && broken(el)) {
        drop(el)
        planeElements.splice(planeElements.indexOf(el), 1)
      }
    }
  }
  return { elements, problems }
}
