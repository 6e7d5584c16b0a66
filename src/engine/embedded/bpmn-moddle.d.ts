// bpmn-moddle's package exports hide its type declarations; the engine reads its model as untyped objects.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, object>)
    // The moddle tree is read untyped (see model.ts), so its root is `any` here too.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    fromXML(xml: string): Promise<{ rootElement: any; warnings: Array<{ message: string }> }>
  }
}
