/**
 * Field numbers and enums of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that the
 * exporter writes. Copied by hand; test/onnx/protobuf.test.ts checks them field by field.
 */

export const ModelProto = { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8 } as const
export const OperatorSetIdProto = { domain: 1, version: 2 } as const
export const GraphProto = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12 } as const
export const NodeProto = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const
export const AttributeProto = { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, type: 20 } as const
export const TensorProto = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const
export const ValueInfoProto = { name: 1, type: 2 } as const
export const TypeProto = { tensorType: 1 } as const
export const TypeProtoTensor = { elemType: 1, shape: 2 } as const
export const TensorShapeProto = { dim: 1 } as const
export const TensorShapeDimension = { dimValue: 1, dimParam: 2 } as const

/** AttributeProto.AttributeType. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const

/** TensorProto.DataType. */
export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const

/** IR version 8 (ONNX 1.10+): what opset 17 models declare. */
export const IR_VERSION = 8
