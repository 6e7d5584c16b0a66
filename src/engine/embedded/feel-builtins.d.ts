// Types of feel-builtins.js (plain JavaScript so that the FEEL budget worker can import it without a loader).
export declare const camundaBuiltins: Record<string, (...args: unknown[]) => unknown>
export declare const camundaBuiltinNames: string[]
export declare function withCamundaBuiltins(
  variables: Record<string, unknown>,
  expression?: string,
): Record<string, unknown>
