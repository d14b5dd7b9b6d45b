// Node (CommonJS): require the installed package by name, run the seed example, print one line:
// YANN_RESULT {json}. seed-program.js is ESM, so it is loaded with import(); yann is require()d.
const yann = require('yann')
const { save, load } = require('yann/node')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const { rm } = require('node:fs/promises')

async function main() {
  const backendAtImport = yann.getBackend()
  await yann.ready()
  const { runSeed } = await import('./seed-program.js')
  const result = { backendAtImport, ...runSeed(yann), entry: require.resolve('yann'), backendInfo: yann.backendInfo() }
  const file = join(tmpdir(), `yann-cjs-${process.pid}.safetensors`)
  await save(file, { w: yann.tensor([[1, 2], [3, 4]]) })
  const { tensors } = await load(file)
  await rm(file, { force: true })
  result.nodeSubpath = { isTensor: tensors.w instanceof yann.Tensor, values: tensors.w.toArray() }
  console.log('YANN_RESULT ' + JSON.stringify(result))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
