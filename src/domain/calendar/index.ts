// The working-day calendar: public surface of src/domain/calendar.
export * from './civil-time.js'
export * from './calendar.js'
export * from './working-time.js'
export * from './lunar.js'
export * from './provisional.js'
export * from './published.js'
export * from './changes.js'
