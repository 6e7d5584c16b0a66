// Types for the modeler's untyped modules: each is a diagram-js module (or list of them) handed to the Modeler.
declare module 'bpmn-js-properties-panel' {
  type ModuleDeclaration = Record<string, unknown>
  export const BpmnPropertiesPanelModule: ModuleDeclaration
  export const BpmnPropertiesProviderModule: ModuleDeclaration
  export const ZeebePropertiesProviderModule: ModuleDeclaration
  /** A diagram-js service, inside a properties-panel entry (a Preact hook). */
  export function useService(name: string): unknown
}
declare module '@bpmn-io/properties-panel' {
  // Preact components and the functions that tell whether an entry holds a value (the group's "edited" dot).
  type Component = import('@bpmn-io/properties-panel/preact').FunctionComponent<Record<string, unknown>>
  export const Group: Component
  export const SelectEntry: Component
  export const TextFieldEntry: Component
  export const CheckboxEntry: Component
  export function isSelectEntryEdited(node: HTMLElement): boolean
  export function isTextFieldEntryEdited(node: HTMLElement): boolean
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const behaviors: Record<string, unknown>
  export default behaviors
}
declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>
  export default lintModule
}
declare module 'bpmnlint/config/recommended.js' {
  const recommended: { rules: Record<string, string> }
  export default recommended
}
declare module 'bpmnlint-plugin-camunda-compat/index.js' {
  const plugin: { configs: Record<string, unknown>; rules: Record<string, string> }
  export default plugin
}
declare module 'bpmnlint/rules/*' {
  const rule: unknown
  export default rule
}
declare module 'bpmnlint-plugin-camunda-compat/rules/*' {
  const rule: unknown
  export default rule
}
