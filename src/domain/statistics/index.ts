// Statistics for supervisors and reports (pure; clock and calendar passed in): public surface of src/domain/statistics.
export * from './period.js'
export * from './facts.js'
export * from './report-06a.js'
export * from './indicators-766.js'
