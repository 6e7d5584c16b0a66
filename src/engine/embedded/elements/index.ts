// Element behaviour by element kind, one module per family (as bpmn-elements does): a new BPMN
// element is a new entry in one of these modules or a new module spread in here, never a switch.
import type { ElementBehaviour, ElementBehaviours } from './behaviour.js'
import type { ElementKind } from '../model.js'
import { eventBehaviours } from './events.js'
import { gatewayBehaviours } from './gateways.js'
import { subProcessBehaviours } from './subprocesses.js'
import { taskBehaviours } from './tasks.js'
import { adHocBehaviours } from './ad-hoc.js'

// A Record over every kind: leaving a kind out is a type error.
const behaviours: ElementBehaviours = {
  ...eventBehaviours,
  ...taskBehaviours,
  ...gatewayBehaviours,
  ...subProcessBehaviours,
  ...adHocBehaviours,
}

export function behaviourOf(kind: ElementKind): ElementBehaviour {
  if (kind === 'process') throw new Error('a process is not activated as an element')
  return behaviours[kind]
}
