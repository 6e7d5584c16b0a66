// The "Đơn vị xử lý / Handling unit" group of the properties panel on a user task: the analyst chooses who handles the
// step from four rules and, for a fixed agency or a choice at hand-off, from the units the server lists
// (GET /api/catalogue/agencies), so an unknown agency code cannot be picked and no header is typed by hand. Every
// change is one command of the modeler's command stack (undo and redo take it back whole). Written with Preact's
// h(), as the properties panel is a Preact app inside the React page.
import { h } from '@bpmn-io/properties-panel/preact'
import {
  CheckboxEntry,
  Group,
  SelectEntry,
  TextFieldEntry,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel'
import { useService } from 'bpmn-js-properties-panel'
import {
  handlingHeaderCommands,
  handlingHeadersOf,
  headersOf,
  ruleOf,
  switchRule,
  type BpmnFactory,
  type ModdleElement,
  type PanelRule,
  type RuleKind,
  type StepAgency,
} from './handling-unit.js'

/** What the page hands the panel: the agencies (null while they load) and the page's language. */
export interface HandlingUnitSource {
  agencies: StepAgency[] | null
  tr(vi: string, en: string): string
}

interface Element {
  id: string
  type: string
  businessObject: ModdleElement
}

interface CommandStack {
  execute(command: string, context: unknown): void
}

const useSource = (): HandlingUnitSource =>
  (useService('config') as { motcuaHandlingUnit: HandlingUnitSource }).motcuaHandlingUnit

/** Writes a rule on the task: one multi-command, or nothing when the headers already say it. */
function useWrite(element: Element) {
  const commandStack = useService('commandStack') as CommandStack
  const bpmnFactory = useService('bpmnFactory') as BpmnFactory
  return (rule: Exclude<PanelRule, { kind: 'other' }>) => {
    const commands = handlingHeaderCommands(element, element.businessObject, headersOf(rule), bpmnFactory)
    if (commands.length) commandStack.execute('properties-panel.multi-command-executor', commands)
  }
}

const agencyLabel = (a: StepAgency, tr: HandlingUnitSource['tr']) =>
  `${tr(a.name, a.nameEn ?? a.name)} (${a.agencyCode})`

function RuleEntry(props: { element: Element; id: string }) {
  const { element, id } = props
  const { tr } = useSource()
  const write = useWrite(element)
  const rule = ruleOf(handlingHeadersOf(element.businessObject))
  const options: Array<{ value: string; label: string; disabled?: boolean }> = [
    { value: 'receiving', label: tr('Đơn vị tiếp nhận hồ sơ', 'The receiving unit') },
    { value: 'agency', label: tr('Cơ quan cố định', 'A fixed agency') },
    { value: 'applicantCommune', label: tr('Xã nơi cư trú của người nộp', "The applicant's commune") },
    { value: 'chosen', label: tr('Chọn khi chuyển bước', 'Chosen at hand-off') },
  ]
  // A value no rule reads stays visible (the server refuses it on publish) until the analyst picks a rule.
  if (rule.kind === 'other')
    options.push({ value: 'other', label: `${tr('Không hợp lệ', 'Not a rule')}: ${rule.unit}`, disabled: true })
  return h(SelectEntry, {
    element,
    id,
    label: tr('Ai xử lý bước này', 'Who handles this step'),
    getValue: () => rule.kind,
    setValue: (kind: RuleKind) => write(switchRule(rule, kind)),
    getOptions: () => options,
  })
}

function AgencyEntry(props: { element: Element; id: string }) {
  const { element, id } = props
  const { agencies, tr } = useSource()
  const write = useWrite(element)
  const rule = ruleOf(handlingHeadersOf(element.businessObject))
  const code = rule.kind === 'agency' ? rule.code : ''
  const known = agencies?.find((a) => a.agencyCode === code)
  const options: Array<{ value: string; label: string; disabled?: boolean }> = [
    { value: '', label: agencies ? tr('— chọn cơ quan —', '— choose an agency —') : tr('Đang tải…', 'Loading…') },
    ...(agencies ?? []).map((a) => ({ value: a.agencyCode, label: agencyLabel(a, tr) })),
  ]
  // A code from an older model that no unit has: shown as it is, never offered.
  if (code && agencies && !known)
    options.push({ value: code, label: `${code} — ${tr('không có cơ quan này', 'no such agency')}`, disabled: true })
  return h(SelectEntry, {
    element,
    id,
    label: tr('Cơ quan xử lý', 'Handling agency'),
    getValue: () => code,
    setValue: (value: string) => write({ kind: 'agency', code: value }),
    getOptions: () => options,
    validate: (value: string) =>
      !value
        ? tr('Hãy chọn một cơ quan.', 'Choose an agency.')
        : agencies && !agencies.some((a) => a.agencyCode === value)
          ? tr('Không có cơ quan nào có mã này.', 'No agency has this code.')
          : null,
  })
}

function AddressFieldEntry(props: { element: Element; id: string }) {
  const { element, id } = props
  const { tr } = useSource()
  const write = useWrite(element)
  const debounce = useService('debounceInput') as <T>(fn: T) => T
  const rule = ruleOf(handlingHeadersOf(element.businessObject))
  return h(TextFieldEntry, {
    element,
    id,
    debounce,
    label: tr('Trường địa chỉ trong biểu mẫu', 'Address field of the form'),
    description: tr(
      'Đường dẫn tới trường địa chỉ, ví dụ nguoiNop.diaChi. Để trống: địa chỉ đầu tiên của biểu mẫu có mã xã.',
      'The path of the address field, e.g. nguoiNop.diaChi. Empty: the first address of the form with a commune code.',
    ),
    getValue: () => (rule.kind === 'applicantCommune' ? rule.addressField : ''),
    setValue: (value: string | undefined) => write({ kind: 'applicantCommune', addressField: value ?? '' }),
    validate: (value: string | undefined) =>
      value && !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(value.trim())
        ? tr('Tên trường, nối bằng dấu chấm.', 'Field names joined by dots.')
        : null,
  })
}

function ChoiceEntry(props: { element: Element; id: string; agencyCode: string; label: string; known: boolean }) {
  const { element, id, agencyCode, label } = props
  const write = useWrite(element)
  const rule = ruleOf(handlingHeadersOf(element.businessObject))
  const choices = rule.kind === 'chosen' ? rule.choices : []
  return h(CheckboxEntry, {
    element,
    id,
    label,
    // A code no unit has can only be taken out.
    disabled: !props.known && !choices.includes(agencyCode),
    getValue: () => choices.includes(agencyCode),
    setValue: (checked: boolean) =>
      write({
        kind: 'chosen',
        choices: checked
          ? [...choices.filter((c) => c !== agencyCode), agencyCode]
          : choices.filter((c) => c !== agencyCode),
      }),
  })
}

function NoteEntry(props: { element: Element; id: string; text: string; error?: boolean }) {
  return h(
    'p',
    {
      class: props.error
        ? 'bio-properties-panel-entry motcua-unit-note has-error'
        : 'bio-properties-panel-entry motcua-unit-note',
      'data-entry-id': props.id,
      role: props.error ? 'alert' : undefined,
    },
    props.text,
  )
}

interface Entry {
  id: string
  component: (props: never) => unknown
  isEdited?: (node: HTMLElement) => boolean
  [prop: string]: unknown
}

/** The group's entries for the task's current rule. */
function entriesOf(element: Element, { agencies, tr }: HandlingUnitSource): Entry[] {
  const rule = ruleOf(handlingHeadersOf(element.businessObject))
  const entries: Entry[] = [{ id: 'motcuaUnitRule', component: RuleEntry, isEdited: isSelectEntryEdited }]
  if (rule.kind === 'agency')
    entries.push({ id: 'motcuaUnitAgency', component: AgencyEntry, isEdited: isSelectEntryEdited })
  if (rule.kind === 'applicantCommune')
    entries.push({ id: 'motcuaUnitAddressField', component: AddressFieldEntry, isEdited: isTextFieldEntryEdited })
  if (rule.kind === 'chosen') {
    entries.push({
      id: 'motcuaUnitChoicesNote',
      component: NoteEntry,
      text: agencies
        ? tr(
            'Bước trước chọn một trong các cơ quan này (biến quy trình nextUnit).',
            'The step before chooses one of these agencies (process variable nextUnit).',
          )
        : tr('Đang tải danh sách cơ quan…', 'Loading the agencies…'),
    })
    const listed = new Set((agencies ?? []).map((a) => a.agencyCode))
    for (const a of agencies ?? [])
      entries.push({
        id: `motcuaUnitChoice-${a.agencyCode}`,
        component: ChoiceEntry,
        agencyCode: a.agencyCode,
        label: agencyLabel(a, tr),
        known: true,
      })
    // Codes of an older model that no unit has: listed so they can be taken out.
    if (agencies)
      for (const code of rule.choices.filter((c) => !listed.has(c)))
        entries.push({
          id: `motcuaUnitChoice-${code}`,
          component: ChoiceEntry,
          agencyCode: code,
          label: `${code} — ${tr('không có cơ quan này', 'no such agency')}`,
          known: false,
        })
    if (agencies && rule.choices.length === 0)
      entries.push({
        id: 'motcuaUnitChoicesMissing',
        component: NoteEntry,
        error: true,
        text: tr('Hãy chọn ít nhất một cơ quan.', 'Choose at least one agency.'),
      })
  }
  if (rule.kind === 'receiving')
    entries.push({
      id: 'motcuaUnitReceivingNote',
      component: NoteEntry,
      text: tr('Bước do đơn vị đã tiếp nhận hồ sơ xử lý.', 'The unit that received the dossier handles the step.'),
    })
  return entries
}

interface PropertiesPanel {
  registerProvider(priority: number, provider: { getGroups(element: Element): (groups: unknown[]) => unknown[] }): void
}

/** Registers the group on user tasks, right after the general group. */
function HandlingUnitPropertiesProvider(
  this: unknown,
  propertiesPanel: PropertiesPanel,
  config: { motcuaHandlingUnit?: HandlingUnitSource },
) {
  propertiesPanel.registerProvider(400, {
    getGroups(element) {
      return (groups) => {
        const from = config.motcuaHandlingUnit
        if (element.type !== 'bpmn:UserTask' || !from) return groups
        const group = {
          id: 'motcuaHandlingUnit',
          label: from.tr('Đơn vị xử lý', 'Handling unit'),
          component: Group,
          entries: entriesOf(element, from),
        }
        const general = groups.findIndex((g) => (g as { id?: string }).id === 'general')
        const next = [...groups]
        next.splice(general + 1, 0, group)
        return next
      }
    },
  })
}
HandlingUnitPropertiesProvider.$inject = ['propertiesPanel', 'config']

/** The diagram-js module handed to the modeler. */
export const handlingUnitModule = {
  __init__: ['motcuaHandlingUnitProvider'],
  motcuaHandlingUnitProvider: ['type', HandlingUnitPropertiesProvider],
}
