import { describe, expect, it } from 'vitest'
import { nn, tensor, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { ProtoWriter } from '../../src/onnx/protobuf.js'
import { decode, decodePacked, int, strings, sub } from './decode.js'

/** The protobuf writer against the wire format, and a model's fields against onnx.proto's numbers. */

describe('ProtoWriter: the protobuf wire format', () => {
  it('varints: 7 bits a byte, low first; negative int64 as 10 bytes of two\'s complement', () => {
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]) // the protobuf docs' example
    expect(Array.from(new ProtoWriter().int(2, 300).finish())).toEqual([0x10, 0xac, 0x02])
    expect(Array.from(new ProtoWriter().int(1, -1).finish())).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
    expect(Array.from(new ProtoWriter().int(1, -2).finish())).toEqual([0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
    expect(Array.from(new ProtoWriter().int(1, 2 ** 35).finish())).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
    expect(Array.from(new ProtoWriter().int(21, 1).finish())).toEqual([0xa8, 0x01, 0x01]) // field 21: a 2-byte tag
  })

  it('strings, nested messages, packed ints and floats', () => {
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67])
    expect(Array.from(new ProtoWriter().message(3, (w) => w.int(1, 150)).finish())).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01])
    expect(Array.from(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05])
    expect(Array.from(new ProtoWriter().float(2, 1).finish())).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f])
    expect(Array.from(new ProtoWriter().double(1, 1).finish())).toEqual([0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
  })

  it('grows its buffer past 256 bytes', () => {
    const big = new Uint8Array(1000).map((_, i) => i % 251)
    const bytes = new ProtoWriter().bytes(1, big).finish()
    expect(bytes.length).toBe(1003)
    expect(Array.from(bytes.subarray(3))).toEqual(Array.from(big))
  })
})

describe('an exported model against onnx.proto\'s field numbers', () => {
  // Numbers from onnx/onnx.proto: ModelProto ir_version = 1, producer_name = 2, graph = 7,
  // opset_import = 8; OperatorSetIdProto version = 2; GraphProto node = 1, initializer = 5,
  // input = 11, output = 12; NodeProto input = 1, output = 2, op_type = 4, attribute = 5;
  // AttributeProto name = 1, i = 3, type = 20 (INT = 2); TensorProto dims = 1, data_type = 2
  // (FLOAT = 1), name = 8, raw_data = 9; ValueInfoProto name = 1, type = 2; TypeProto
  // tensor_type = 1; TypeProto.Tensor elem_type = 1, shape = 2; TensorShapeProto dim = 1;
  // Dimension dim_value = 1, dim_param = 2.
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Softmax(1))
  model.loadStateDict({ '0.weight': tensor([[1, 2], [3, 4], [5, 6]]), '0.bias': tensor([0.5, 0, -0.5]) })
  const top = decode(exportOnnx(model, [tensor([[1, 2]])], { dynamicAxes: { input: { 0: 'batch' } } }))

  it('ModelProto: IR version 8, producer yann, opset 17 of the default domain', () => {
    expect(int(top, 1)).toBe(8)
    expect(strings(top, 2)).toEqual(['yann'])
    const [opset] = sub(top, 8)
    expect(int(opset, 2)).toBe(17)
  })

  it('GraphProto: Gemm then Softmax (axis 1), initializers under state-dict names, typed inputs with a symbolic batch', () => {
    const [graph] = sub(top, 7)
    const nodes = sub(graph, 1)
    expect(nodes.map((n) => strings(n, 4)[0])).toEqual(['Gemm', 'Softmax', 'Identity'])
    const softmax = nodes[1]
    expect(strings(softmax, 1)).toEqual(strings(nodes[0], 2)) // Softmax reads Gemm's output
    const [axis] = sub(softmax, 5)
    expect([strings(axis, 1)[0], int(axis, 3), int(axis, 20)]).toEqual(['axis', 1, 2])
    const inits = sub(graph, 5)
    expect(inits.map((t) => strings(t, 8)[0])).toEqual(['0.weight', '0.bias'])
    const weight = inits[0]
    expect(Array.from(decodePacked(weight.find((f) => f.field === 1)!.value as Uint8Array))).toEqual([3, 2])
    expect(int(weight, 2)).toBe(1)
    expect(Array.from(new Float32Array((weight.find((f) => f.field === 9)!.value as Uint8Array).slice().buffer))).toEqual([1, 2, 3, 4, 5, 6])
    const [input] = sub(graph, 11)
    expect(strings(input, 1)).toEqual(['input'])
    const [tensorType] = sub(sub(input, 2)[0], 1)
    expect(int(tensorType, 1)).toBe(1)
    const dims = sub(sub(tensorType, 2)[0], 1)
    expect([strings(dims[0], 2)[0], int(dims[1], 1)]).toEqual(['batch', 2])
    const [output] = sub(graph, 12)
    expect(strings(output, 1)).toEqual(['output'])
    expect(strings(nodes[2], 2)).toEqual(['output'])
    const outDims = sub(sub(sub(sub(output, 2)[0], 1)[0], 2)[0], 1)
    expect([strings(outDims[0], 2)[0], int(outDims[1], 1)]).toEqual(['batch', 3])
  })

  it('output dims: the names given in dynamicAxes, else the input axis they follow, else <output>_dim<k>', () => {
    const dims = (bytes: Uint8Array, k: number) => {
      const [graph] = sub(decode(bytes), 7)
      return sub(sub(sub(sub(sub(graph, 12)[0], 2)[0], 1)[0], 2)[0], 1).map((d) => strings(d, 2)[0] ?? int(d, 1))[k]
    }
    const x = tensor([[1, 2]])
    expect(dims(exportOnnx(model, [x], { dynamicAxes: { input: { 0: 'batch' }, output: { 0: 'N' } } }), 0)).toBe('N')
    expect(dims(exportOnnx(model, [x], { dynamicAxes: { input: [0] } }), 0)).toBe('input_dim0')
    expect(dims(exportOnnx(model, [x], { dynamicAxes: { input: [0] } }), 1)).toBe(3)
    // [batch, 2] flattened: a size (2·batch) that no input axis has.
    const flat = new (class extends nn.Module {
      forward(t: Tensor): Tensor {
        return t.reshape([-1])
      }
    })()
    expect(dims(exportOnnx(flat, [x], { dynamicAxes: { input: [0] }, outputNames: ['y'] }), 0)).toBe('y_dim0')
  })
})
