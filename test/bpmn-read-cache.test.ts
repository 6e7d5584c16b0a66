// The catalogue's BPMN summaries are parsed once per XML text (src/catalogue/bpmn-read.ts): every caller still gets
// its own copy, so what one caller changes is never seen by the next.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { bpmnReads, parseBpmn } from '../src/catalogue/bpmn-read.js'
import { workflowsDir } from '../src/catalogue/definition.js'

const file = readdirSync(workflowsDir).find((f) => f.endsWith('.bpmn'))!
const xml = readFileSync(join(workflowsDir, file), 'utf8')

t.test('the same text gives equal summaries that are not shared', async (t) => {
  const before = bpmnReads()
  const first = await parseBpmn(xml)
  const second = await parseBpmn(xml)
  t.equal(bpmnReads(), before + 1, 'read once')
  t.ok(first.ok)
  t.same(second, first, 'the same summary')
  t.not(second, first, 'a copy of its own')
  if (!first.ok || !second.ok) return
  t.ok(first.processes[0]!.userTasks.size > 0, `${file} has user tasks`)
  first.processes[0]!.userTasks.clear()
  first.processes[0]!.id = 'changed'
  const third = await parseBpmn(xml)
  t.same(third, second, 'what a caller changed is not seen by the next')
})

t.test('another text is read on its own; an unreadable one says why, every time', async (t) => {
  const before = bpmnReads()
  const renamed = await parseBpmn(xml.replace(/<bpmn:process id="([^"]+)"/, '<bpmn:process id="$1-other"'))
  t.ok(renamed.ok && renamed.processes.some((p) => p.id.endsWith('-other')))
  const broken = await parseBpmn('<bpmn:definitions')
  t.equal(broken.ok, false)
  t.same(await parseBpmn('<bpmn:definitions'), broken)
  t.equal(bpmnReads(), before + 2, 'the renamed text and the broken one, each once')
})
