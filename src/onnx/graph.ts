import { ProtoWriter } from './protobuf.js'
import * as F from './proto-fields.js'

/** An ONNX graph under construction, and its encoding as a ModelProto. */

/** A float attribute (a plain number is an INT attribute, as most ONNX attributes are). */
export class FloatAttribute {
  constructor(readonly value: number) {}
}
export const float = (value: number): FloatAttribute => new FloatAttribute(value)

/** An attribute value: int, ints, float (wrapped with `float()`), or string. */
export type Attribute = number | readonly number[] | FloatAttribute | string

/** The ONNX element types yann's tensors map to. */
export type ElementType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool'

const DATA_TYPE: Record<ElementType, number> = {
  float32: F.DataType.FLOAT,
  float64: F.DataType.DOUBLE,
  int32: F.DataType.INT32,
  int64: F.DataType.INT64,
  bool: F.DataType.BOOL,
}

/** The TensorProto.DataType of an element type (e.g. Cast's `to`). */
export function dataType(type: string): number {
  const t = DATA_TYPE[type as ElementType]
  if (t === undefined) throw new Error(`exportOnnx: no ONNX element type for dtype '${type}'`)
  return t
}

interface NodeEntry {
  opType: string
  inputs: readonly string[]
  outputs: readonly string[]
  attributes: Record<string, Attribute>
  name: string
}

interface Initializer {
  name: string
  type: ElementType
  dims: readonly number[]
  bytes: Uint8Array
}

/** A graph input or output: its name, element type and dims (a string: a symbolic dim). */
export interface ValueInfo {
  name: string
  type: ElementType
  dims: readonly (number | string)[]
}

export class GraphBuilder {
  private readonly nodes: NodeEntry[] = []
  private readonly initializers: Initializer[] = []
  private readonly used = new Set<string>()
  private counter = 0

  constructor(readonly opset: number) {}

  /** A value name not used yet, from `hint` (ONNX names must be unique in a graph). */
  fresh(hint: string): string {
    let name = hint
    while (this.used.has(name)) name = `${hint}_${++this.counter}`
    this.used.add(name)
    return name
  }

  /** Append a node; returns its output names (`outputs` new ones named after the op, or those given). */
  node(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, outputs: number | readonly string[] = 1): readonly string[] {
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(`${opType}_out`)) : outputs
    this.nodes.push({ opType, inputs, outputs: names, attributes, name: this.fresh(`${opType}_${this.nodes.length}`) })
    return names
  }

  /** Append a node with one output; returns its name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}): string {
    return this.node(opType, inputs, attributes)[0]
  }

  /** Add a constant tensor (an initializer); returns its value name. */
  constant(hint: string, type: ElementType, dims: readonly number[], values: ArrayLike<number> | ArrayBufferView): string {
    const name = this.fresh(hint)
    this.initializers.push({ name, type, dims: [...dims], bytes: encodeValues(type, values) })
    return name
  }

  /** An int64 1-D constant: the shapes, axes and indices ONNX ops take as inputs. */
  int64s(hint: string, values: readonly number[]): string {
    return this.constant(hint, 'int64', [values.length], values)
  }

  /** A ModelProto holding this graph, with `inputs` and `outputs` declared. */
  encode(inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], producerVersion: string): Uint8Array {
    const model = new ProtoWriter()
    model.int(F.ModelProto.irVersion, F.IR_VERSION)
    model.string(F.ModelProto.producerName, 'yann')
    model.string(F.ModelProto.producerVersion, producerVersion)
    model.message(F.ModelProto.graph, (g) => {
      for (const n of this.nodes) g.message(F.GraphProto.node, (w) => writeNode(w, n))
      g.string(F.GraphProto.name, 'yann')
      for (const t of this.initializers) g.message(F.GraphProto.initializer, (w) => writeTensor(w, t))
      for (const v of inputs) g.message(F.GraphProto.input, (w) => writeValueInfo(w, v))
      for (const v of outputs) g.message(F.GraphProto.output, (w) => writeValueInfo(w, v))
    })
    model.message(F.ModelProto.opsetImport, (w) => w.string(F.OperatorSetIdProto.domain, '').int(F.OperatorSetIdProto.version, this.opset))
    return model.finish()
  }
}

/** Little-endian element bytes (TensorProto.raw_data). */
function encodeValues(type: ElementType, values: ArrayLike<number> | ArrayBufferView): Uint8Array {
  const n = ArrayBuffer.isView(values) ? (values as unknown as ArrayLike<number>).length : values.length
  const source = values as ArrayLike<number>
  if (type === 'int64') {
    const out = new BigInt64Array(n)
    for (let i = 0; i < n; i++) out[i] = BigInt(source[i])
    return new Uint8Array(out.buffer)
  }
  const Ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[type]
  const out = new Ctor(n)
  for (let i = 0; i < n; i++) out[i] = Number(source[i])
  return new Uint8Array(out.buffer)
}

function writeNode(w: ProtoWriter, n: NodeEntry): void {
  for (const i of n.inputs) w.string(F.NodeProto.input, i)
  for (const o of n.outputs) w.string(F.NodeProto.output, o)
  w.string(F.NodeProto.name, n.name)
  w.string(F.NodeProto.opType, n.opType)
  for (const [name, value] of Object.entries(n.attributes)) w.message(F.NodeProto.attribute, (a) => writeAttribute(a, name, value))
}

function writeAttribute(w: ProtoWriter, name: string, value: Attribute): void {
  w.string(F.AttributeProto.name, name)
  if (value instanceof FloatAttribute) {
    w.float(F.AttributeProto.f, value.value).int(F.AttributeProto.type, F.AttributeType.FLOAT)
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`exportOnnx: attribute ${name} = ${value} must be an integer (wrap floats with float())`)
    w.int(F.AttributeProto.i, value).int(F.AttributeProto.type, F.AttributeType.INT)
  } else if (typeof value === 'string') {
    w.string(F.AttributeProto.s, value).int(F.AttributeProto.type, F.AttributeType.STRING)
  } else {
    w.packedInts(F.AttributeProto.ints, value).int(F.AttributeProto.type, F.AttributeType.INTS)
  }
}

function writeTensor(w: ProtoWriter, t: Initializer): void {
  w.packedInts(F.TensorProto.dims, t.dims)
  w.int(F.TensorProto.dataType, DATA_TYPE[t.type])
  w.string(F.TensorProto.name, t.name)
  w.bytes(F.TensorProto.rawData, t.bytes)
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(F.ValueInfoProto.name, v.name)
  w.message(F.ValueInfoProto.type, (type) =>
    type.message(F.TypeProto.tensorType, (tensor) => {
      tensor.int(F.TypeProtoTensor.elemType, DATA_TYPE[v.type])
      tensor.message(F.TypeProtoTensor.shape, (shape) => {
        for (const d of v.dims) {
          shape.message(F.TensorShapeProto.dim, (dim) => (typeof d === 'string' ? dim.string(F.TensorShapeDimension.dimParam, d) : dim.int(F.TensorShapeDimension.dimValue, d)))
        }
      })
    }),
  )
}
