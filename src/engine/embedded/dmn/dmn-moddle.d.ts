// dmn-moddle ships no type declarations; the engine reads its model as untyped objects (see dmn/model.ts).
declare module 'dmn-moddle' {
  export function DmnModdle(packages?: Record<string, object>): {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    fromXML(xml: string, type?: string): Promise<{ rootElement: any; warnings: Array<{ message: string }> }>
  }
}
