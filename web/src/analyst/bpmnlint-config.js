// The modeler's lint rules, the same as deploy validation (src/engine/validation/lint.ts): bpmnlint's
// recommended rules plus Camunda 8.8 compatibility. Bundlers usually generate this module from a
// .bpmnlintrc (bpmnlint-pack-config, rollup-plugin-bpmnlint); here it is written out so the editor
// needs no build plugin: every rule module the two configs name is imported explicitly, and the
// resolver answers the configs themselves, so `extends` works as on the server.
// test/analyst-lint-config.test.ts lints the reference workflows with this and with the server's
// linter and expects the same reports, so a rule missing here fails the tests.
import recommended from 'bpmnlint/config/recommended.js'
import camundaCompat from 'bpmnlint-plugin-camunda-compat/index.js'
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process.js'
import conditionalFlows from 'bpmnlint/rules/conditional-flows.js'
import endEventRequired from 'bpmnlint/rules/end-event-required.js'
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway.js'
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event.js'
import fakeJoin from 'bpmnlint/rules/fake-join.js'
import globalRule from 'bpmnlint/rules/global.js'
import labelRequired from 'bpmnlint/rules/label-required.js'
import linkEvent from 'bpmnlint/rules/link-event.js'
import noBpmndi from 'bpmnlint/rules/no-bpmndi.js'
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway.js'
import noDisconnected from 'bpmnlint/rules/no-disconnected.js'
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows.js'
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork.js'
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end.js'
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split.js'
import noImplicitStart from 'bpmnlint/rules/no-implicit-start.js'
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway.js'
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements.js'
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event.js'
import singleEventDefinition from 'bpmnlint/rules/single-event-definition.js'
import startEventRequired from 'bpmnlint/rules/start-event-required.js'
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event.js'
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway.js'
import superfluousLabel from 'bpmnlint/rules/superfluous-label.js'
import superfluousTermination from 'bpmnlint/rules/superfluous-termination.js'
import compat_adHocSubProcess from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/ad-hoc-sub-process.js'
import compat_agentFromaiContract from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/agent-fromai-contract.js'
import compat_agentToolDocumentation from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/agent-tool-documentation.js'
import compat_agentToolOutputKey from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/agent-tool-output-key.js'
import compat_calledElement from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/called-element.js'
import compat_connectorProperties from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/connector-properties/index.js'
import compat_duplicateExecutionListeners from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/duplicate-execution-listeners.js'
import compat_duplicateTaskHeaders from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/duplicate-task-headers.js'
import compat_elementType from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/element-type/index.js'
import compat_errorReference from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/error-reference.js'
import compat_escalationBoundaryEventAttachedToRef from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/escalation-boundary-event-attached-to-ref.js'
import compat_escalationReference from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/escalation-reference.js'
import compat_eventBasedGatewayTarget from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/event-based-gateway-target.js'
import compat_executableProcess from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/executable-process.js'
import compat_executionListener from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/execution-listener.js'
import compat_feel from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/feel.js'
import compat_feelCompatibility from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/feel-compatibility.js'
import compat_implementation from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/implementation/index.js'
import compat_ioMapping from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/io-mapping.js'
import compat_linkEvent from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/link-event.js'
import compat_loopCharacteristics from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/loop-characteristics.js'
import compat_messageReference from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/message-reference.js'
import compat_noBeforeAllExecutionListener from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-before-all-execution-listener.js'
import compat_noBusinessId from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-business-id.js'
import compat_noCancelExecutionListener from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-cancel-execution-listener.js'
import compat_noExecutionListenerHeaders from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-execution-listener-headers.js'
import compat_noExpression from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-expression.js'
import compat_noInterruptingEventSubprocess from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-interrupting-event-subprocess.js'
import compat_noJobPriorityDefinition from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-job-priority-definition.js'
import compat_noLoop from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-loop.js'
import compat_noMultipleNoneStartEvents from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/no-multiple-none-start-events.js'
import compat_priorityDefinition from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/priority-definition.js'
import compat_secrets from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/secrets.js'
import compat_sequenceFlowCondition from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/sequence-flow-condition.js'
import compat_signalReference from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/signal-reference.js'
import compat_startEventForm from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/start-event-form.js'
import compat_subscription from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/subscription.js'
import compat_taskListener from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/task-listener.js'
import compat_taskSchedule from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/task-schedule.js'
import compat_timer from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/timer/index.js'
import compat_userTaskDefinition from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/user-task-definition.js'
import compat_userTaskForm from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/user-task-form.js'
import compat_variableName from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/variable-name.js'
import compat_versionTag from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/version-tag.js'
import compat_waitForCompletion from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/wait-for-completion.js'
import compat_zeebeUserTask from 'bpmnlint-plugin-camunda-compat/rules/camunda-cloud/zeebe-user-task.js'

/** The deploy config, verbatim (the test compares it with the server's lintConfig). */
export const config = {
  extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8'],
  rules: {
    // As on the server (STYLE_RULES in lint.ts): rules about how the diagram reads warn, since Zeebe runs such models.
    'label-required': 'warn',
    'no-bpmndi': 'warn',
    'end-event-required': 'warn',
    'no-implicit-split': 'warn',
    'no-implicit-end': 'warn',
    'no-gateway-join-fork': 'warn',
    'fake-join': 'warn',
    'no-overlapping-elements': 'warn',
    'superfluous-gateway': 'warn',
    'superfluous-label': 'warn',
    'superfluous-termination': 'warn',
  },
}

const rules = {
  bpmnlint: {
    'ad-hoc-sub-process': adHocSubProcess,
    'conditional-flows': conditionalFlows,
    'end-event-required': endEventRequired,
    'event-based-gateway': eventBasedGateway,
    'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
    'fake-join': fakeJoin,
    global: globalRule,
    'label-required': labelRequired,
    'link-event': linkEvent,
    'no-bpmndi': noBpmndi,
    'no-complex-gateway': noComplexGateway,
    'no-disconnected': noDisconnected,
    'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
    'no-gateway-join-fork': noGatewayJoinFork,
    'no-implicit-end': noImplicitEnd,
    'no-implicit-split': noImplicitSplit,
    'no-implicit-start': noImplicitStart,
    'no-inclusive-gateway': noInclusiveGateway,
    'no-overlapping-elements': noOverlappingElements,
    'single-blank-start-event': singleBlankStartEvent,
    'single-event-definition': singleEventDefinition,
    'start-event-required': startEventRequired,
    'sub-process-blank-start-event': subProcessBlankStartEvent,
    'superfluous-gateway': superfluousGateway,
    'superfluous-label': superfluousLabel,
    'superfluous-termination': superfluousTermination,
  },
  'bpmnlint-plugin-camunda-compat': {
    'ad-hoc-sub-process': compat_adHocSubProcess,
    'agent-fromai-contract': compat_agentFromaiContract,
    'agent-tool-documentation': compat_agentToolDocumentation,
    'agent-tool-output-key': compat_agentToolOutputKey,
    'called-element': compat_calledElement,
    'connector-properties': compat_connectorProperties,
    'duplicate-execution-listeners': compat_duplicateExecutionListeners,
    'duplicate-task-headers': compat_duplicateTaskHeaders,
    'element-type': compat_elementType,
    'error-reference': compat_errorReference,
    'escalation-boundary-event-attached-to-ref': compat_escalationBoundaryEventAttachedToRef,
    'escalation-reference': compat_escalationReference,
    'event-based-gateway-target': compat_eventBasedGatewayTarget,
    'executable-process': compat_executableProcess,
    'execution-listener': compat_executionListener,
    feel: compat_feel,
    'feel-compatibility': compat_feelCompatibility,
    implementation: compat_implementation,
    'io-mapping': compat_ioMapping,
    'link-event': compat_linkEvent,
    'loop-characteristics': compat_loopCharacteristics,
    'message-reference': compat_messageReference,
    'no-before-all-execution-listener': compat_noBeforeAllExecutionListener,
    'no-business-id': compat_noBusinessId,
    'no-cancel-execution-listener': compat_noCancelExecutionListener,
    'no-execution-listener-headers': compat_noExecutionListenerHeaders,
    'no-expression': compat_noExpression,
    'no-interrupting-event-subprocess': compat_noInterruptingEventSubprocess,
    'no-job-priority-definition': compat_noJobPriorityDefinition,
    'no-loop': compat_noLoop,
    'no-multiple-none-start-events': compat_noMultipleNoneStartEvents,
    'priority-definition': compat_priorityDefinition,
    secrets: compat_secrets,
    'sequence-flow-condition': compat_sequenceFlowCondition,
    'signal-reference': compat_signalReference,
    'start-event-form': compat_startEventForm,
    subscription: compat_subscription,
    'task-listener': compat_taskListener,
    'task-schedule': compat_taskSchedule,
    timer: compat_timer,
    'user-task-definition': compat_userTaskDefinition,
    'user-task-form': compat_userTaskForm,
    'variable-name': compat_variableName,
    'version-tag': compat_versionTag,
    'wait-for-completion': compat_waitForCompletion,
    'zeebe-user-task': compat_zeebeUserTask,
  },
}

const configs = {
  bpmnlint: { recommended },
  'bpmnlint-plugin-camunda-compat': camundaCompat.configs,
}

/** bpmnlint's resolver interface over the modules imported above. */
export const resolver = {
  resolveRule(pkg, ruleName) {
    const rule = rules[pkg]?.[ruleName]
    if (!rule)
      throw new Error(`cannot resolve rule <${pkg}/${ruleName}>: import it in web/src/analyst/bpmnlint-config.js`)
    return rule
  },
  resolveConfig(pkg, configName) {
    const found = configs[pkg]?.[configName]
    if (!found) throw new Error(`cannot resolve config <${configName}> in <${pkg}>`)
    return found
  },
}

export default { config, resolver }
