import { clamp } from './unary.js'

/** torch.clip: another name for clamp, same arguments: x limited to [min, max] (either bound may be null). */
export const clip = clamp
