/** `yann/node`: Node-only helpers (file system), kept out of the browser entry. */
export { load, save } from './io/node.js'
