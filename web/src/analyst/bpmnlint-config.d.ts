// Types of bpmnlint-config.js (plain JS so the rule modules import the same way in Vite and Node).
export interface LintResolver {
  resolveRule(pkg: string, ruleName: string): unknown
  resolveConfig(pkg: string, configName: string): unknown
}
export declare const config: { extends: string[]; rules: Record<string, string> }
export declare const resolver: LintResolver
declare const bundle: { config: typeof config; resolver: LintResolver }
export default bundle
