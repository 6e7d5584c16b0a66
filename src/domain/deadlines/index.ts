// Deadlines of administrative procedures: public surface of src/domain/deadlines.
export * from './duration.js'
export * from './errors.js'
export * from './labels.js'
export * from './deadline.js'
