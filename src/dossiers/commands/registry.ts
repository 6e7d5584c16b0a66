// A command stack in the manner of diagram-js: one handler per command, registered by name and run by name.
import type { CommandRuntime } from './runner.js'
import type { DossierCommandName, DossierCommands } from './types.js'

/** Runs one named command; checks who may, then changes the dossier through the runtime's transaction runner. */
export interface CommandHandler<N extends DossierCommandName> {
  execute(input: DossierCommands[N]['input'], runtime: CommandRuntime): Promise<DossierCommands[N]['result']>
}

export class CommandRegistry {
  private readonly handlers = new Map<DossierCommandName, CommandHandler<DossierCommandName>>()

  constructor(private readonly runtime: CommandRuntime) {}

  register<N extends DossierCommandName>(name: N, handler: CommandHandler<N>): this {
    if (this.handlers.has(name)) throw new Error(`${name} is registered already`)
    this.handlers.set(name, handler as unknown as CommandHandler<DossierCommandName>)
    return this
  }

  execute<N extends DossierCommandName>(
    name: N,
    input: DossierCommands[N]['input'],
  ): Promise<DossierCommands[N]['result']> {
    const handler = this.handlers.get(name) as CommandHandler<N> | undefined
    if (!handler) throw new Error(`No handler for ${name}`)
    return handler.execute(input, this.runtime)
  }

  /** The names of the registered commands. */
  names(): DossierCommandName[] {
    return [...this.handlers.keys()]
  }
}
