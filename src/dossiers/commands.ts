// Dossier commands live one file each in ./commands/; this module keeps the import path routes and the runtime use.
export * from './commands/index.js'
