/** yann's version, as package.json gives it (test/cli.test.ts checks they agree). */
export const VERSION = '0.1.0'
