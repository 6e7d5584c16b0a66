// The embedded engine's public surface.
export { EmbeddedEngine, type EmbeddedEngineOptions, type DeployValidator } from './engine.js'
export { checkSupportedSubset } from './subset.js'
