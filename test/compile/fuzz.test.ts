import { afterAll, expect, test } from 'vitest'
import { setBackend } from '../../src/index.js'
import { compileSwitch } from '../../src/compile/compile.js'
import { census, describeProgram, generate, rng, runProgram, shrink } from './fuzz-run.js'

/**
 * A seeded differential fuzz of compile(): random small training steps (fuzz-ops.ts: a wide
 * pool of the public ops, a loss, backward, an optimiser, sometimes a scheduler), each run
 * several times eagerly and compiled from identical state, with what a training loop changes
 * between calls (fuzz-run.ts: inputs' values, parameters, buffers, optimiser state and options,
 * `.grad`, train()/eval(), requiresGrad; an inference call). issue 16's contract: every
 * returned tensor, parameter, `.grad`, optimiser state and buffer equal to eager's bit for bit
 * (errors too), or the call fell back (fallbackReason). A census first runs every op variant and
 * loss alone; three programs in four are then drawn from those that replay (a program with one
 * op that falls back would test nothing). The wasm project runs a third of the programs through
 * the interpreter, a third through the JS replay, a third with the default small-size dispatch.
 * A failure names the smallest program (fewest ops) that still fails.
 *
 * Longer runs (YANN_FUZZ_PROGRAMS: programs per project, default 400; YANN_FUZZ_SEED: the first seed):
 *   YANN_FUZZ_PROGRAMS=20000 YANN_FUZZ_SEED=1000 npx vitest run --project ts --project wasm test/compile/fuzz.test.ts
 * (YANN_FUZZ_REPORT=1 prints the census: which variants fall back, and why).
 */
const COUNT = Number(process.env.YANN_FUZZ_PROGRAMS ?? 400)
const FIRST = Number(process.env.YANN_FUZZ_SEED ?? 1)
const wasm = process.env.YANN_BACKEND === 'wasm'
const MODES = wasm ? ['interpreter', 'js replay', 'default dispatch'] : ['ts']
/** Programs per mode: the count is per project. */
const PER_MODE = Math.ceil(COUNT / MODES.length)

/** Sets the backend and the replay path of `mode` (an index into MODES). */
function use(mode: number): void {
  compileSwitch.interpreter = mode !== 1
  if (wasm) setBackend('wasm', { dispatchSmall: mode === 2 })
}

afterAll(() => use(0))

test.each(MODES.map((m, i) => [m, i] as const))(`compile() fuzz (%s): ${PER_MODE} random training programs equal to eager, bit for bit`, (_name, mode) => {
  use(mode)
  const found = census(FIRST)
  expect(found.bugs).toEqual([])
  if (process.env.YANN_FUZZ_REPORT) for (const [reason, names] of found.fallbacks) console.log(`${MODES[mode]}: ${reason}\n  ${names.join(' ')}`)
  const r = rng(FIRST + mode)
  let replays = 0
  for (let seed = FIRST; seed < FIRST + PER_MODE; seed++) {
    const program = r() < 0.75 ? generate(seed, found.steps, found.losses) : generate(seed)
    const outcome = runProgram(program)
    if (outcome.bug !== null) {
      const small = shrink(program)
      throw new Error(`compiled differs from eager: ${runProgram(small).bug}\n  ${describeProgram(small)}\n  (found as ${describeProgram(program)})`)
    }
    replays += outcome.replays
  }
  // The fuzz proves something only if programs replay.
  expect(replays).toBeGreaterThan(PER_MODE)
}, 600_000)
