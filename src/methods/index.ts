// Every method family, installed on Tensor.prototype when the API is imported (src/api.ts).
// Adding a family: its file here, one import below, one name in `interface Tensor extends` (src/tensor.ts).
import './math.js'
import './compare.js'
import './reduce.js'
import './slice.js'
import './layout.js'
import './inplace.js'
import './order.js'
import './matrix.js'
