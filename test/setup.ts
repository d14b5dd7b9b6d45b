import { beforeAll } from 'vitest'
import { ready, setBackend, type BackendName } from '../src/index.js'

const name = (process.env.YANN_BACKEND ?? 'ts') as BackendName

beforeAll(async () => {
  await ready()
  // The wasm project runs every kernel in wasm, whatever the size (no small-input ts dispatch).
  setBackend(name, name === 'wasm' ? { dispatchSmall: false } : {})
})
