// The training Web Worker: loads yann (the built package) and the data, trains, and posts every
// step's loss and every epoch's accuracy to the page. Started by main.js as a module worker.
import * as yann from '/dist/index.js'
import { fetchMnist, train } from './train.js'

self.onmessage = async ({ data: options }) => {
  try {
    await yann.ready() // compiles the wasm backend; ops would otherwise run on the ts backend
    const data = await fetchMnist(options.dataUrl)
    await train(yann, data, { ...options, post: (message) => self.postMessage(message) })
  } catch (error) {
    self.postMessage({ type: 'error', message: String((error && error.stack) || error) })
  }
}
