// oidc-provider ships no type declarations (its types live in @types/oidc-provider, not installed): what the test
// provider uses of it.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface Account {
    accountId: string
    claims(): Promise<Record<string, unknown>>
  }
  interface Context {
    path: string
    body: unknown
  }
  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        findAccount(ctx: unknown, sub: string): Promise<Account | undefined>
      },
    )
    use(middleware: (ctx: Context, next: () => Promise<void>) => Promise<void>): void
    callback(): (req: IncomingMessage, res: ServerResponse) => void
  }
}
