import { beforeAll } from 'vitest'
import { ready, setBackend, type BackendName } from '../src/index.js'

const name = (process.env.YANN_BACKEND ?? 'ts') as BackendName

beforeAll(async () => {
  await ready()
  setBackend(name)
})
