// bpmn-moddle's package exports hide its type declarations; the engine reads its model as untyped objects.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, object>)
    fromXML(xml: string): Promise<{ rootElement: any; warnings: Array<{ message: string }> }>
  }
}
