// A small writer of Zeebe-flavoured BPMN with diagram interchange, used to draw the first versions
// of the reference workflows on a grid; once written, the .bpmn files are edited in the modeler.

type Kind =
  | { t: 'start' }
  | { t: 'end'; error?: string; terminate?: boolean }
  | { t: 'service'; type: string; headers?: Record<string, string> }
  | { t: 'rule'; decisionId: string; resultVariable: string }
  | { t: 'user'; groups: string; due?: string; headers?: Record<string, string> }
  | { t: 'receive'; message: string }
  | { t: 'xor' }
  | { t: 'and' }
  | { t: 'sub' }
  | { t: 'boundary'; host: string; timer?: string; error?: string; interrupting: boolean; slot: number; top: boolean }

interface Node {
  id: string
  name: string
  kind: Kind
  parent?: string
  /** Centre, in pixels. */
  x: number
  y: number
  w: number
  h: number
  doc?: string
}

interface Flow {
  id: string
  from: string
  to: string
  name?: string
  condition?: string
  isDefault?: boolean
  via?: Array<[number, number]>
}

const COL = 150
const ROW = 130
const X0 = 160
const Y0 = 120

const px = (col: number): number => X0 + col * COL
const py = (row: number): number => Y0 + row * ROW

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export interface MessageDef {
  id: string
  name: string
}
export interface ErrorDef {
  id: string
  name: string
  code: string
}

export class BpmnBuilder {
  private nodes = new Map<string, Node>()
  private flows: Flow[] = []
  private messages: MessageDef[] = []
  private errors: ErrorDef[] = []
  private parentStack: string[] = []

  constructor(
    readonly processId: string,
    readonly processName: string,
    readonly documentation: string,
  ) {}

  message(id: string, name: string): this {
    this.messages.push({ id, name })
    return this
  }
  error(id: string, name: string, code: string): this {
    this.errors.push({ id, name, code })
    return this
  }

  private add(id: string, name: string, kind: Kind, col: number, row: number, doc?: string): this {
    const size =
      kind.t === 'xor' || kind.t === 'and'
        ? [50, 50]
        : kind.t === 'start' || kind.t === 'end' || kind.t === 'boundary'
          ? [36, 36]
          : [100, 80]
    const parent = this.parentStack.at(-1)
    this.nodes.set(id, {
      id,
      name,
      kind,
      x: px(col),
      y: py(row),
      w: size[0]!,
      h: size[1]!,
      ...(parent ? { parent } : {}),
      ...(doc ? { doc } : {}),
    })
    return this
  }

  start(id: string, name: string, col: number, row: number): this {
    return this.add(id, name, { t: 'start' }, col, row)
  }
  end(id: string, name: string, col: number, row: number, opts: { error?: string; terminate?: boolean } = {}): this {
    return this.add(id, name, { t: 'end', ...opts }, col, row)
  }
  service(id: string, name: string, type: string, col: number, row: number, headers?: Record<string, string>): this {
    return this.add(id, name, { t: 'service', type, ...(headers ? { headers } : {}) }, col, row)
  }
  /** A business rule task evaluating a DMN decision deployed with the process (binding `deployment`). */
  rule(id: string, name: string, decisionId: string, resultVariable: string, col: number, row: number): this {
    return this.add(id, name, { t: 'rule', decisionId, resultVariable }, col, row)
  }
  user(
    id: string,
    name: string,
    groups: string,
    col: number,
    row: number,
    opts: { due?: string; headers?: Record<string, string>; doc?: string } = {},
  ): this {
    return this.add(
      id,
      name,
      { t: 'user', groups, ...(opts.due ? { due: opts.due } : {}), ...(opts.headers ? { headers: opts.headers } : {}) },
      col,
      row,
      opts.doc,
    )
  }
  receive(id: string, name: string, messageId: string, col: number, row: number): this {
    return this.add(id, name, { t: 'receive', message: messageId }, col, row)
  }
  xor(id: string, name: string, col: number, row: number): this {
    return this.add(id, name, { t: 'xor' }, col, row)
  }
  and(id: string, name: string, col: number, row: number): this {
    return this.add(id, name, { t: 'and' }, col, row)
  }
  /** Boundary event on the bottom (or top) edge of its host; slot 0, 1, 2 … from the left. */
  timer(
    id: string,
    name: string,
    host: string,
    timeDate: string,
    opts: { interrupting?: boolean; slot?: number; top?: boolean } = {},
  ): this {
    return this.boundary(
      id,
      name,
      host,
      { timer: timeDate },
      opts.interrupting ?? false,
      opts.slot ?? 0,
      opts.top ?? false,
    )
  }
  errorBoundary(id: string, name: string, host: string, errorId: string, slot = 0): this {
    return this.boundary(id, name, host, { error: errorId }, true, slot, false)
  }
  private boundary(
    id: string,
    name: string,
    host: string,
    def: { timer?: string; error?: string },
    interrupting: boolean,
    slot: number,
    top: boolean,
  ): this {
    const h = this.nodes.get(host)!
    this.nodes.set(id, {
      id,
      name,
      kind: { t: 'boundary', host, ...def, interrupting, slot, top },
      x: h.x - h.w / 2 + 30 + slot * 45,
      y: top ? h.y - h.h / 2 : h.y + h.h / 2,
      w: 36,
      h: 36,
      ...(h.parent ? { parent: h.parent } : {}),
    })
    return this
  }
  /** The column just right of a node, for placing what follows a sub-process. */
  colAfter(id: string): number {
    const n = this.nodes.get(id)!
    return Math.ceil((n.x + n.w / 2 + 40 - X0) / COL)
  }
  /** The column of a node's centre, for routing a flow back to it. */
  colOf(id: string): number {
    return (this.nodes.get(id)!.x - X0) / COL
  }
  /** The column of a node's left edge (plus an offset), for placing what hangs below a sub-process. */
  colOfLeft(id: string): number {
    const n = this.nodes.get(id)!
    return (n.x - n.w / 2 - X0) / COL
  }

  /**
   * An expanded sub-process; its box is fitted around the children added inside `body`, plus `pad` rows above
   * and below for flows routed round its children.
   */
  sub(id: string, name: string, body: () => void, pad: { top?: number; bottom?: number } = {}): this {
    this.nodes.set(id, { id, name, kind: { t: 'sub' }, x: 0, y: 0, w: 0, h: 0 })
    this.parentStack.push(id)
    body()
    this.parentStack.pop()
    const kids = [...this.nodes.values()].filter((n) => n.parent === id)
    const left = Math.min(...kids.map((n) => n.x - n.w / 2)) - 50
    const right = Math.max(...kids.map((n) => n.x + n.w / 2)) + 50
    const top = Math.min(...kids.map((n) => n.y - n.h / 2)) - 50 - (pad.top ?? 0) * ROW
    const bottom = Math.max(...kids.map((n) => n.y + n.h / 2)) + 50 + (pad.bottom ?? 0) * ROW
    Object.assign(this.nodes.get(id)!, {
      x: (left + right) / 2,
      y: (top + bottom) / 2,
      w: right - left,
      h: bottom - top,
    })
    return this
  }

  flow(
    from: string,
    to: string,
    opts: { name?: string; condition?: string; isDefault?: boolean; via?: Array<[number, number]> } = {},
  ): this {
    let id = `Flow_${from.replace(/^[A-Za-z]+_/, '')}_${to.replace(/^[A-Za-z]+_/, '')}`
    // Two sources with the same short name (Gateway_X, Task_X) would give one id twice.
    while (this.flows.some((f) => f.id === id)) id = `${id}_2`
    this.flows.push({ id, from, to, ...opts })
    return this
  }
  /** A chain of unconditional flows. */
  chain(...ids: string[]): this {
    for (let i = 0; i + 1 < ids.length; i++) this.flow(ids[i]!, ids[i + 1]!)
    return this
  }

  private waypoints(f: Flow): Array<[number, number]> {
    const s = this.nodes.get(f.from)!
    const t = this.nodes.get(f.to)!
    if (f.via) {
      const pts = f.via.map(([c, r]) => [px(c), py(r)] as [number, number])
      return [exitToward(s, pts[0]!), ...pts, exitToward(t, pts.at(-1)!)]
    }
    if (s.kind.t === 'boundary') {
      const up = t.y < s.y
      const start: [number, number] = [s.x, up ? s.y - s.h / 2 : s.y + s.h / 2]
      if (Math.abs(t.x - s.x) < t.w / 2) return [start, [s.x, up ? t.y + t.h / 2 : t.y - t.h / 2]]
      return [start, [s.x, t.y], [t.x < s.x ? t.x + t.w / 2 : t.x - t.w / 2, t.y]]
    }
    if (Math.abs(s.y - t.y) < 1) {
      if (t.x > s.x)
        return [
          [s.x + s.w / 2, s.y],
          [t.x - t.w / 2, t.y],
        ]
      // A loop back on the same row goes round underneath.
      const lane = Math.max(s.y + s.h / 2, t.y + t.h / 2) + 40
      return [
        [s.x, s.y + s.h / 2],
        [s.x, lane],
        [t.x, lane],
        [t.x, t.y + t.h / 2],
      ]
    }
    const down = t.y > s.y
    if (Math.abs(s.x - t.x) < 1)
      return [
        [s.x, down ? s.y + s.h / 2 : s.y - s.h / 2],
        [t.x, down ? t.y - t.h / 2 : t.y + t.h / 2],
      ]
    if (t.x > s.x) {
      if (isGateway(s))
        return [
          [s.x, down ? s.y + s.h / 2 : s.y - s.h / 2],
          [s.x, t.y],
          [t.x - t.w / 2, t.y],
        ]
      if (isGateway(t))
        return [
          [s.x + s.w / 2, s.y],
          [t.x, s.y],
          [t.x, down ? t.y - t.h / 2 : t.y + t.h / 2],
        ]
      const mid = (s.x + s.w / 2 + t.x - t.w / 2) / 2
      return [
        [s.x + s.w / 2, s.y],
        [mid, s.y],
        [mid, t.y],
        [t.x - t.w / 2, t.y],
      ]
    }
    // Backwards to another row: leave vertically, come in from the side.
    return [
      [s.x, down ? s.y + s.h / 2 : s.y - s.h / 2],
      [s.x, t.y],
      [t.x + t.w / 2, t.y],
    ]
  }

  toXml(): string {
    const out: string[] = []
    out.push('<?xml version="1.0" encoding="UTF-8"?>')
    out.push(
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
        `id="Definitions_${this.processId.replace(/[^A-Za-z0-9]/g, '_')}" targetNamespace="https://motcua.dev/workflows" exporter="motcua scripts/bpmn-builder.ts" exporterVersion="1" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">`,
    )
    out.push(`  <bpmn:process id="${esc(this.processId)}" name="${esc(this.processName)}" isExecutable="true">`)
    out.push(`    <bpmn:documentation>${esc(this.documentation)}</bpmn:documentation>`)
    this.writeScope(undefined, out, '    ')
    out.push('  </bpmn:process>')
    for (const m of this.messages) {
      out.push(`  <bpmn:message id="${m.id}" name="${esc(m.name)}">`)
      out.push('    <bpmn:extensionElements>')
      out.push('      <zeebe:subscription correlationKey="=dossierId" />')
      out.push('    </bpmn:extensionElements>')
      out.push('  </bpmn:message>')
    }
    for (const e of this.errors)
      out.push(`  <bpmn:error id="${e.id}" name="${esc(e.name)}" errorCode="${esc(e.code)}" />`)
    out.push(`  <bpmndi:BPMNDiagram id="BPMNDiagram_1">`)
    out.push(`    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${esc(this.processId)}">`)
    // Containers first so their children are drawn on top of them.
    const ordered = [...this.nodes.values()].sort((a, b) => rank(a) - rank(b))
    for (const n of ordered) {
      const attrs =
        n.kind.t === 'sub' ? ' isExpanded="true"' : isGateway(n) && n.kind.t === 'xor' ? ' isMarkerVisible="true"' : ''
      out.push(`      <bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"${attrs}>`)
      out.push(`        <dc:Bounds x="${n.x - n.w / 2}" y="${n.y - n.h / 2}" width="${n.w}" height="${n.h}" />`)
      if (hasExternalLabel(n) && n.name) {
        out.push('        <bpmndi:BPMNLabel>')
        out.push(`          <dc:Bounds x="${n.x - 50}" y="${n.y + n.h / 2 + 6}" width="100" height="27" />`)
        out.push('        </bpmndi:BPMNLabel>')
      }
      out.push('      </bpmndi:BPMNShape>')
    }
    for (const f of this.flows) {
      out.push(`      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">`)
      for (const [x, y] of this.waypoints(f))
        out.push(`        <di:waypoint x="${Math.round(x)}" y="${Math.round(y)}" />`)
      out.push('      </bpmndi:BPMNEdge>')
    }
    out.push('    </bpmndi:BPMNPlane>')
    out.push('  </bpmndi:BPMNDiagram>')
    out.push('</bpmn:definitions>')
    return `${out.join('\n')}\n`
  }

  private writeScope(parent: string | undefined, out: string[], ind: string): void {
    for (const n of this.nodes.values()) {
      if (n.parent !== parent) continue
      const incoming = this.flows.filter((f) => f.to === n.id).map((f) => f.id)
      const outgoing = this.flows.filter((f) => f.from === n.id).map((f) => f.id)
      const io = [
        ...incoming.map((id) => `${ind}  <bpmn:incoming>${id}</bpmn:incoming>`),
        ...outgoing.map((id) => `${ind}  <bpmn:outgoing>${id}</bpmn:outgoing>`),
      ]
      const name = `name="${esc(n.name)}"`
      const k = n.kind
      switch (k.t) {
        case 'start':
          out.push(`${ind}<bpmn:startEvent id="${n.id}" ${name}>`, ...io, `${ind}</bpmn:startEvent>`)
          break
        case 'end':
          out.push(`${ind}<bpmn:endEvent id="${n.id}" ${name}>`, ...io)
          if (k.error) out.push(`${ind}  <bpmn:errorEventDefinition id="${n.id}_def" errorRef="${k.error}" />`)
          if (k.terminate) out.push(`${ind}  <bpmn:terminateEventDefinition id="${n.id}_def" />`)
          out.push(`${ind}</bpmn:endEvent>`)
          break
        case 'service':
          out.push(
            `${ind}<bpmn:serviceTask id="${n.id}" ${name}>`,
            `${ind}  <bpmn:extensionElements>`,
            `${ind}    <zeebe:taskDefinition type="${esc(k.type)}" retries="3" />`,
          )
          writeHeaders(k.headers, out, `${ind}    `)
          out.push(`${ind}  </bpmn:extensionElements>`, ...io, `${ind}</bpmn:serviceTask>`)
          break
        case 'rule':
          out.push(
            `${ind}<bpmn:businessRuleTask id="${n.id}" ${name}>`,
            `${ind}  <bpmn:extensionElements>`,
            `${ind}    <zeebe:calledDecision decisionId="${esc(k.decisionId)}" resultVariable="${esc(k.resultVariable)}" bindingType="deployment" />`,
            `${ind}  </bpmn:extensionElements>`,
            ...io,
            `${ind}</bpmn:businessRuleTask>`,
          )
          break
        case 'user':
          out.push(`${ind}<bpmn:userTask id="${n.id}" ${name}>`)
          if (n.doc) out.push(`${ind}  <bpmn:documentation>${esc(n.doc)}</bpmn:documentation>`)
          out.push(
            `${ind}  <bpmn:extensionElements>`,
            `${ind}    <zeebe:userTask />`,
            // The officer's form is motcua's task page (its decision form), not a Camunda form: Zeebe's "custom form"
            // reference says so, and the model lints clean.
            `${ind}    <zeebe:formDefinition externalReference="motcua:task-decision" />`,
            `${ind}    <zeebe:assignmentDefinition candidateGroups="${esc(k.groups)}" />`,
          )
          if (k.due) out.push(`${ind}    <zeebe:taskSchedule dueDate="${esc(k.due)}" />`)
          writeHeaders(k.headers, out, `${ind}    `)
          out.push(`${ind}  </bpmn:extensionElements>`, ...io, `${ind}</bpmn:userTask>`)
          break
        case 'receive':
          out.push(
            `${ind}<bpmn:receiveTask id="${n.id}" ${name} messageRef="${k.message}">`,
            ...io,
            `${ind}</bpmn:receiveTask>`,
          )
          break
        case 'xor':
        case 'and': {
          const tag = k.t === 'xor' ? 'exclusiveGateway' : 'parallelGateway'
          const def = this.flows.find((f) => f.from === n.id && f.isDefault)
          out.push(
            `${ind}<bpmn:${tag} id="${n.id}" ${name}${def ? ` default="${def.id}"` : ''}>`,
            ...io,
            `${ind}</bpmn:${tag}>`,
          )
          break
        }
        case 'sub':
          out.push(`${ind}<bpmn:subProcess id="${n.id}" ${name}>`, ...io)
          this.writeScope(n.id, out, `${ind}  `)
          out.push(`${ind}</bpmn:subProcess>`)
          break
        case 'boundary':
          out.push(
            `${ind}<bpmn:boundaryEvent id="${n.id}" ${name}${k.interrupting ? '' : ' cancelActivity="false"'} attachedToRef="${k.host}">`,
            ...io,
          )
          if (k.timer) {
            out.push(
              `${ind}  <bpmn:timerEventDefinition id="${n.id}_def">`,
              `${ind}    <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${esc(k.timer)}</bpmn:timeDate>`,
              `${ind}  </bpmn:timerEventDefinition>`,
            )
          }
          if (k.error) out.push(`${ind}  <bpmn:errorEventDefinition id="${n.id}_def" errorRef="${k.error}" />`)
          out.push(`${ind}</bpmn:boundaryEvent>`)
          break
      }
    }
    for (const f of this.flows) {
      if (this.nodes.get(f.from)?.parent !== parent) continue
      const name = f.name ? ` name="${esc(f.name)}"` : ''
      if (f.condition) {
        out.push(`${ind}<bpmn:sequenceFlow id="${f.id}"${name} sourceRef="${f.from}" targetRef="${f.to}">`)
        out.push(
          `${ind}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(f.condition)}</bpmn:conditionExpression>`,
        )
        out.push(`${ind}</bpmn:sequenceFlow>`)
      } else {
        out.push(`${ind}<bpmn:sequenceFlow id="${f.id}"${name} sourceRef="${f.from}" targetRef="${f.to}" />`)
      }
    }
  }
}

function writeHeaders(headers: Record<string, string> | undefined, out: string[], ind: string): void {
  if (!headers) return
  out.push(`${ind}<zeebe:taskHeaders>`)
  for (const [key, value] of Object.entries(headers))
    out.push(`${ind}  <zeebe:header key="${esc(key)}" value="${esc(value)}" />`)
  out.push(`${ind}</zeebe:taskHeaders>`)
}

function isGateway(n: Node): boolean {
  return n.kind.t === 'xor' || n.kind.t === 'and'
}
function hasExternalLabel(n: Node): boolean {
  return ['start', 'end', 'xor', 'and', 'boundary'].includes(n.kind.t)
}
function rank(n: Node): number {
  return n.kind.t === 'sub' ? 0 : n.kind.t === 'boundary' ? 2 : 1
}
/** The point on a node's border facing a given point (left/right when mostly horizontal, else top/bottom). */
function exitToward(n: Node, [x, y]: [number, number]): [number, number] {
  const dx = x - n.x
  const dy = y - n.y
  if (Math.abs(dx) >= Math.abs(dy)) return [n.x + Math.sign(dx) * (n.w / 2), n.y]
  return [n.x, n.y + Math.sign(dy) * (n.h / 2)]
}
