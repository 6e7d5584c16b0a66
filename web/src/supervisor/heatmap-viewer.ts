// The BPMN diagram with the heatmap drawn on it: a colour class per element for its mean dwell time (5 buckets,
// canvas markers) and a count badge overlay for its open tasks. Loaded with import() so only this page pays for
// bpmn-js.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer'
import type Canvas from 'diagram-js/lib/core/Canvas'
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry'
import type Overlays from 'diagram-js/lib/features/overlays/Overlays'
import 'bpmn-js/dist/assets/diagram-js.css'
import 'bpmn-js/dist/assets/bpmn-js.css'
import { dwellBucket, type HeatElement } from './heat.js'

export interface DrawnHeatmap {
  destroy(): void
  /** Element ids of the data that are not on the diagram (another version's steps). */
  missing: string[]
  /** The view the page opens with: readable text, the busiest step in sight. */
  readable(): void
  /** The whole diagram in the frame, however small. */
  whole(): void
  zoomBy(factor: number): void
}

// Below this scale a task's name (11 px in bpmn-js) cannot be read on a screen.
const readableScale = 0.8

export async function drawHeatmap(
  container: HTMLElement,
  xml: string,
  elements: HeatElement[],
  badgeLabel: (active: number) => string,
): Promise<DrawnHeatmap> {
  const viewer = new NavigatedViewer({ container })
  try {
    await viewer.importXML(xml)
  } catch (err) {
    viewer.destroy()
    throw err
  }
  const canvas = viewer.get<Canvas>('canvas')
  const registry = viewer.get<ElementRegistry>('elementRegistry')
  const overlays = viewer.get<Overlays>('overlays')
  const missing: string[] = []
  for (const e of elements) {
    if (!registry.get(e.elementId)) {
      missing.push(e.elementId)
      continue
    }
    const bucket = dwellBucket(e.meanDwellHours)
    if (bucket !== null) canvas.addMarker(e.elementId, `heat-${bucket}`)
    if (e.active > 0) {
      const badge = document.createElement('span')
      badge.className = 'heat-badge'
      badge.dataset.elementId = e.elementId
      badge.title = badgeLabel(e.active)
      badge.textContent = String(e.active)
      // The badge keeps a readable size however far a wide diagram is zoomed out.
      overlays.add(e.elementId, 'heat-active', { position: { top: -12, right: 12 }, html: badge, scale: { min: 1 } })
    }
  }
  // The step most dossiers wait at, else the slowest one, is what the supervisor came to see.
  const focus = [...elements]
    .filter((e) => registry.get(e.elementId))
    .sort((a, b) => b.active - a.active || (b.meanDwellHours ?? -1) - (a.meanDwellHours ?? -1))[0]
  const readable = () => {
    canvas.zoom('fit-viewport')
    if (canvas.zoom() >= readableScale) return
    const { inner, outer } = canvas.viewbox()
    // The left part of the diagram (where a procedure starts) at a readable scale, vertically centred …
    canvas.viewbox({
      x: inner.x - 20 / readableScale,
      y: inner.y + inner.height / 2 - outer.height / readableScale / 2,
      width: outer.width / readableScale,
      height: outer.height / readableScale,
    })
    // … and moved so the focus step is in sight.
    const target = focus && registry.get(focus.elementId)
    if (target) canvas.scrollToElement(target, { top: 80, bottom: 80, left: 120, right: 120 })
  }
  readable()
  return {
    destroy: () => viewer.destroy(),
    missing,
    readable,
    whole: () => canvas.zoom('fit-viewport'),
    // Around the frame's centre (diagram-js's default when no point is given).
    zoomBy: (factor) => canvas.zoom(Math.min(4, Math.max(0.2, canvas.zoom() * factor))),
  }
}
