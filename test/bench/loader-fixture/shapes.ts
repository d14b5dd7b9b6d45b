/** Named functions and a class with an uninitialised field (test/bench/loader.test.ts). */
export function outer(): () => number {
  function inner(): number {
    return 1
  }
  return inner
}

export const arrow = (): number => 2

/** The file this function runs from, as V8 reports it without source maps: main.ts when bundled into it. */
export function runsFrom(): string {
  process.setSourceMapsEnabled(false)
  const frame = new Error().stack!.split('\n')[1]
  return /\/([^/]+\.ts):\d+/.exec(frame)![1]
}

export class Fields {
  declared?: number
  count = 1
}

/** This file's own import.meta values, whether or not a loader bundled it into another file. */
export const meta = {
  url: import.meta.url,
  dirname: import.meta.dirname,
  filename: import.meta.filename,
  isMain: import.meta.filename === process.argv[1],
}
