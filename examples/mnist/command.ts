import { format } from 'node:util'
import type * as keras from '../../src/keras.js'

export type Print = (...args: unknown[]) => void

/** The part of `yann`'s command table entry (src/cli.ts's Command) an example provides. */
export interface ExampleCommand {
  summary: string
  usage: string
  run(args: string[], io: { stdout(text: string): void; stderr(text: string): void }): Promise<number>
}

/**
 * The `yann` command of an MNIST example: bad arguments (`parse` throws `UsageError`) go to
 * stderr with the usage, exit 2; otherwise `main` runs with its lines and progress bars on stdout.
 */
export function exampleCommand(o: {
  name: string
  summary: string
  usage: string
  parse: (args: readonly string[]) => unknown
  UsageError: abstract new (...args: never[]) => Error
  main: (args: readonly string[], print: Print, output: keras.ProgressOutput) => Promise<number>
}): ExampleCommand {
  return {
    summary: o.summary,
    usage: o.usage,
    run(args, io) {
      try {
        o.parse(args)
      } catch (e) {
        if (!(e instanceof o.UsageError)) throw e
        io.stderr(`yann ${o.name}: ${e.message}\n\n${o.usage}\n`)
        return Promise.resolve(2)
      }
      const print: Print = (...parts) => io.stdout(`${format(...parts)}\n`)
      return o.main(args, print, { write: (text: string) => io.stdout(text), isTTY: process.stdout.isTTY === true })
    },
  }
}
