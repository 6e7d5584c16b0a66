// What an element family implements: what happens when a token enters one of its elements.
import type { Element, ElementKind } from '../model.js'
import type { EiRow } from '../rows.js'
import type { Inst, Step } from '../step.js'

export interface ElementBehaviour {
  /**
   * A token entered the element (input mappings applied): do its work and move on, or open what it
   * waits for (a job, a user task, a timer, a subscription). `isActivity` is false for the inner
   * instances of a multi-instance body, whose boundary events hang on the body instead.
   */
  activate(step: Step, inst: Inst, ei: EiRow, el: Element, isActivity: boolean): Promise<void>
}

/** Every kind an element instance can have (a process is not entered as an element). */
export type ActivatableKind = Exclude<ElementKind, 'process'>

export type ElementBehaviours<K extends ActivatableKind = ActivatableKind> = Record<K, ElementBehaviour>
