// The modeler's Vietnamese (issue #20): the translate service given to bpmn-js, the properties panel and
// bpmnlint. Every lint message the deploy rules give on the reference workflows and on the external
// Camunda 8 models (test/fixtures/external/) reads in Vietnamese; the panel header's type names and the
// templates with replacements too; English stays as written.
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { translateModelerText } from '../../web/src/analyst/modeler-i18n.js'
import { lintDefinitions } from '../../src/engine/validation/lint.js'
import { parseResource } from '../../src/engine/validation/xml.js'
import { workflowsDir } from '../../src/catalogue/definition.js'

const externalDir = new URL('../fixtures/external/', import.meta.url)

async function lintMessages(name: string, xml: string): Promise<string[]> {
  const parsed = await parseResource({ name, content: xml })
  if (!parsed.ok) return []
  return (await lintDefinitions(name, parsed.definitions)).map((p) => p.message)
}

// The English words of the rule sentences; a translated message keeps only names from the XML.
const english =
  /\b(must|not allowed|only allowed|is missing|is not|Element of type|Property|does not|has superfluous)\b/

t.test('every lint message on the reference and external models reads in Vietnamese', async (t) => {
  const models = [
    ...readdirSync(workflowsDir)
      .filter((f) => f.endsWith('.bpmn'))
      .map((f) => ({ name: f, xml: readFileSync(`${workflowsDir}${f}`, 'utf8') })),
    ...readdirSync(externalDir)
      .filter((f) => f.endsWith('.bpmn'))
      .map((f) => ({ name: f, xml: readFileSync(new URL(f, externalDir), 'utf8') })),
  ]
  const messages = new Set<string>()
  for (const model of models) for (const m of await lintMessages(model.name, model.xml)) messages.add(m)
  // A model with no problem at all would make this pass vacuously: the corpus has several kinds.
  t.ok(messages.size >= 3, `${messages.size} distinct messages`)
  for (const message of messages) {
    const vi = translateModelerText('vi', message)
    t.notMatch(vi, english, `${message} → ${vi}`)
    t.equal(translateModelerText('en', message), message, 'English as written')
  }
})

t.test('names in a rule message are kept as written', async (t) => {
  t.equal(
    translateModelerText(
      'vi',
      'Element of type <bpmn:UserTask> must have one extension element of type <zeebe:FormDefinition>',
    ),
    'Phần tử loại <bpmn:UserTask> phải có đúng một phần mở rộng loại <zeebe:FormDefinition>',
  )
  t.equal(
    translateModelerText('vi', 'Property <zeebe:TaskHeaders> only allowed by Camunda 8.6 or newer'),
    'Không được dùng thuộc tính <zeebe:TaskHeaders> (chỉ được hỗ trợ từ Camunda 8.6)',
  )
})

t.test('the panel header, menus and templates', async (t) => {
  t.equal(translateModelerText('vi', 'Service Task'), 'Bước dịch vụ (tự động)')
  t.equal(translateModelerText('vi', 'Timer Boundary Event (Non Interrupting)'), 'Sự kiện biên hẹn giờ (không ngắt)')
  t.equal(translateModelerText('vi', 'Expanded Sub Process'), 'Tiến trình con (mở rộng)')
  t.equal(translateModelerText('vi', 'Create start event'), 'Tạo sự kiện bắt đầu')
  t.equal(translateModelerText('vi', 'Open {element}', { element: 'Task_Review' }), 'Mở Task_Review')
  t.equal(translateModelerText('en', 'Open {element}', { element: 'Task_Review' }), 'Open Task_Review')
  t.equal(translateModelerText('vi', 'Open {element}'), 'Mở {element}', 'a missing replacement stays visible')
  t.equal(translateModelerText('vi', 'No Issues'), 'Không có lỗi', "the lint button's label")
  t.equal(
    translateModelerText('vi', '{errors} Errors, {warnings} Warnings', { errors: '2', warnings: '0' }),
    '2 lỗi, 0 cảnh báo',
  )
  t.equal(translateModelerText('vi', 'A text no package gives'), 'A text no package gives')
})
