// checkOptionKeys lives in src/options.ts (optim and ops use it without importing nn).
export { checkOptionKeys } from '../options.js'
