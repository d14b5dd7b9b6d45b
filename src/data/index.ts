/** `data`: datasets and batching, as torch.utils.data. */
export { TensorDataset } from './dataset.js'
export type { Dataset } from './dataset.js'
export { DataLoader } from './dataloader.js'
export type { DataLoaderOptions } from './dataloader.js'
export { collate } from './collate.js'
