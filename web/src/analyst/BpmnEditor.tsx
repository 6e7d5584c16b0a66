// The BPMN modeler: bpmn-js with the Zeebe properties panel and Camunda 8 behaviours, linted while
// modelling with the deploy rules (bpmnlint-config.js), and the server's problems pinned on elements.
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react'
import Modeler from 'bpmn-js/lib/Modeler'
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel'
import zeebeBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-cloud'
import lintModule from 'bpmn-js-bpmnlint'
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json'
import bpmnlintConfig from './bpmnlint-config.js'
import { handlingUnitModule, type HandlingUnitSource } from './HandlingUnitProvider.js'
import { modelerTranslateModule, type ModelerLang } from './modeler-i18n.js'
import type { StepAgency } from './handling-unit.js'
import 'bpmn-js/dist/assets/diagram-js.css'
import 'bpmn-js/dist/assets/bpmn-js.css'
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css'
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css'
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css'

export interface LintIssue {
  elementId: string
  rule: string
  message: string
  category: 'error' | 'warn' | 'info' | 'rule-error'
}

export interface ElementProblem {
  elementId: string
  message: string
}

/** A flow element the analyst can jump to without a mouse. */
export interface ElementEntry {
  id: string
  type: string
  name: string
}

export interface BpmnEditorHandle {
  saveXML(): Promise<string>
  /** Selects and scrolls to an element; false when the diagram has no shape for it. */
  select(elementId: string): boolean
  nameOf(elementId: string): string | undefined
}

interface Props {
  xml: string
  /** A published version: shown and inspected, not changed. */
  readOnly: boolean
  /** The server's problems on elements: a marker and a badge on each. */
  problems: ElementProblem[]
  labels: { canvas: string; properties: string; problem: string }
  /** The units a step may be handled by (null while they load), for the "Handling unit" group. */
  agencies: StepAgency[] | null
  /** The app's language: the palette, context pad, properties panel and lint marks follow it. */
  lang: ModelerLang
  tr(vi: string, en: string): string
  onLint(issues: LintIssue[]): void
  /** The diagram's elements, after the import and after every change. */
  onElements(elements: ElementEntry[]): void
  onChange(): void
  onError(err: unknown): void
}

// The little of diagram-js's services this component uses.
interface Shape {
  id: string
  type: string
  parent?: Shape
  waypoints?: unknown
  labelTarget?: unknown
  businessObject?: { name?: string }
}
interface Box {
  x: number
  y: number
  width: number
  height: number
}
interface Services {
  eventBus: {
    fire(event: string): void
    on(event: string, priority: number | ((event: never) => unknown), listener?: (event: never) => unknown): void
  }
  canvas: {
    zoom(level: string, center: string): void
    viewbox(box?: Box): Box & { inner: Box; outer: Box }
    addMarker(id: string, cls: string): void
    removeMarker(id: string, cls: string): void
    scrollToElement(el: Shape): void
  }
  overlays: {
    add(id: string, type: string, overlay: { position: Record<string, number>; html: string }): void
    remove(filter: { type: string }): void
  }
  elementRegistry: { get(id: string): Shape | undefined; filter(fn: (el: Shape) => boolean): Shape[] }
  selection: { select(el: Shape): void }
}
const service = <K extends keyof Services>(modeler: Modeler, name: K): Services[K] => modeler.get<Services[K]>(name)

// Room on the left for the palette, in screen pixels.
const paletteWidth = 110

/**
 * The whole diagram when it fits at a readable scale; otherwise its left part at that scale (a wide
 * procedure fitted whole is too small to read), always clear of the palette.
 */
function fitLegibly(canvas: Services['canvas']): void {
  const { inner, outer } = canvas.viewbox()
  if (inner.width === 0 || outer.width === 0) return
  const scale = Math.max(
    0.65,
    Math.min(1, (outer.width - paletteWidth - 20) / inner.width, (outer.height - 40) / inner.height),
  )
  const height = outer.height / scale
  canvas.viewbox({
    x: inner.x - paletteWidth / scale,
    y: inner.height < height ? inner.y - (height - inner.height) / 2 : inner.y - 20 / scale,
    width: outer.width / scale,
    height,
  })
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export const BpmnEditor = forwardRef<BpmnEditorHandle, Props>(function BpmnEditor(
  { xml, readOnly, problems, labels, agencies, lang, tr, onLint, onElements, onChange, onError },
  ref,
) {
  const canvasRef = useRef<HTMLDivElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const modelerRef = useRef<Modeler | null>(null)
  const marked = useRef<string[]>([])
  const callbacks = useRef({ onLint, onElements, onChange, onError })
  callbacks.current = { onLint, onElements, onChange, onError }
  // Read by the "Handling unit" group each time the panel renders; changed in place, then the panel is told.
  const handlingUnit = useRef<HandlingUnitSource>({ agencies, tr })
  // Read by the translate service on every text it gives; changed in place, then the modeler redraws.
  const langRef = useRef<ModelerLang>(lang)

  useEffect(() => {
    const modeler = new Modeler({
      container: canvasRef.current!,
      // What analysts change most is open from the start: name, job type, candidate groups.
      propertiesPanel: {
        parent: panelRef.current!,
        layout: {
          groups: {
            general: { open: true },
            motcuaHandlingUnit: { open: true },
            taskDefinition: { open: true },
            assignmentDefinition: { open: true },
          },
        },
      },
      motcuaHandlingUnit: handlingUnit.current,
      additionalModules: [
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        ZeebePropertiesProviderModule,
        handlingUnitModule,
        zeebeBehaviors,
        lintModule,
        modelerTranslateModule(() => langRef.current),
      ],
      moddleExtensions: { zeebe: zeebeModdle },
      linting: { bpmnlint: bpmnlintConfig, active: true },
    } as ConstructorParameters<typeof Modeler>[0])
    modelerRef.current = modeler
    const eventBus = service(modeler, 'eventBus')
    // Read-only: the modeling rules refuse every command, so nothing can be moved, created or deleted.
    if (readOnly) eventBus.on('commandStack.canExecute', 10_000, () => false)
    eventBus.on(
      'linting.completed',
      ({
        issues,
      }: {
        issues: Record<string, Array<{ id: string; message: string; category: LintIssue['category']; rule: string }>>
      }) => {
        callbacks.current.onLint(
          Object.values(issues)
            .flat()
            .map((i) => ({ elementId: i.id, rule: i.rule, message: i.message, category: i.category })),
        )
      },
    )
    const listElements = () => {
      const shapes = service(modeler, 'elementRegistry').filter(
        (el) =>
          !el.waypoints &&
          !el.labelTarget &&
          el.type !== 'bpmn:Process' &&
          el.type !== 'bpmn:Collaboration' &&
          el.type !== 'label',
      )
      callbacks.current.onElements(
        shapes.map((el) => ({ id: el.id, type: el.type.replace(/^bpmn:/, ''), name: el.businessObject?.name ?? '' })),
      )
    }
    eventBus.on('commandStack.changed', () => {
      callbacks.current.onChange()
      listElements()
    })
    let cancelled = false
    modeler.importXML(xml).then(
      () => {
        if (cancelled) return
        fitLegibly(service(modeler, 'canvas'))
        listElements()
      },
      (err: unknown) => !cancelled && callbacks.current.onError(err),
    )
    return () => {
      cancelled = true
      modeler.destroy()
      modelerRef.current = null
    }
  }, [xml, readOnly])

  // The agencies arrive after the diagram (or the language changes): the panel draws its groups again,
  // the palette its entries; the context pad and menus are drawn each time they open.
  useEffect(() => {
    handlingUnit.current.agencies = agencies
    handlingUnit.current.tr = tr
    const changedLang = langRef.current !== lang
    langRef.current = lang
    const modeler = modelerRef.current
    if (!modeler) return
    const eventBus = service(modeler, 'eventBus')
    if (changedLang) eventBus.fire('i18n.changed')
    eventBus.fire('propertiesPanel.providersChanged')
  }, [agencies, tr, lang])

  // The properties panel of a read-only version can be read but not typed into.
  useEffect(() => {
    panelRef.current?.toggleAttribute('inert', readOnly)
  }, [readOnly])

  // The server's problems: a marker (red outline) and a badge naming the problem on each element.
  useEffect(() => {
    const modeler = modelerRef.current
    if (!modeler) return
    const overlays = service(modeler, 'overlays')
    const canvas = service(modeler, 'canvas')
    const registry = service(modeler, 'elementRegistry')
    overlays.remove({ type: 'motcua-problem' })
    for (const id of marked.current) if (registry.get(id)) canvas.removeMarker(id, 'motcua-problem')
    marked.current = []
    let first: Shape | undefined
    const byElement = new Map<string, string[]>()
    for (const p of problems) byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p.message])
    for (const [id, messages] of byElement) {
      // The process itself (the root) has no shape to outline or pin a badge on; the list names it.
      if (!registry.get(id)?.parent) continue
      canvas.addMarker(id, 'motcua-problem')
      marked.current.push(id)
      first ??= registry.get(id)
      overlays.add(id, 'motcua-problem', {
        // Above the shape's top-left corner: clear of the lint icon and of the context pad on the right.
        position: { top: -26, left: 0 },
        html: `<span class="motcua-problem-badge" data-problem-element="${escapeHtml(id)}" title="${escapeHtml(messages.join('\n'))}">${escapeHtml(labels.problem)} ${messages.length}</span>`,
      })
    }
    // The analyst sees the first refused element without looking for it.
    if (first && !first.waypoints) canvas.scrollToElement(first)
  }, [problems, labels.problem])

  useImperativeHandle(ref, () => ({
    async saveXML() {
      const modeler = modelerRef.current
      if (!modeler) throw new Error('The modeler is not ready')
      const { xml: saved } = await modeler.saveXML({ format: true })
      return saved ?? ''
    },
    select(elementId) {
      const modeler = modelerRef.current
      const element = modeler && service(modeler, 'elementRegistry').get(elementId)
      if (!modeler || !element) return false
      service(modeler, 'selection').select(element)
      if (!element.waypoints && element.parent) service(modeler, 'canvas').scrollToElement(element)
      return true
    },
    nameOf(elementId) {
      const modeler = modelerRef.current
      const element = modeler && service(modeler, 'elementRegistry').get(elementId)
      return element?.businessObject?.name ?? undefined
    },
  }))

  return (
    <div className={readOnly ? 'modeler read-only' : 'modeler'}>
      <div
        className="modeler-canvas"
        ref={canvasRef}
        role="region"
        aria-label={labels.canvas}
        data-testid="bpmn-canvas"
      />
      <div className="modeler-properties" ref={panelRef} role="region" aria-label={labels.properties} />
    </div>
  )
})
