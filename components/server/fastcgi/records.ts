import { cgiParamEncoding } from '../../../core/server-kit/index.js'

/**
 * FastCGI 1.0 wire format: record types, roles, statuses, and the encoders
 * and decoders for records and name-value pairs.
 */
export const version = 1
export const headerLength = 8
/** Largest content of one record (its length is 16 bits). */
export const maxContentLength = 0xffff

export const RecordType = {
  beginRequest: 1,
  abortRequest: 2,
  endRequest: 3,
  params: 4,
  stdin: 5,
  stdout: 6,
  stderr: 7,
  data: 8,
  getValues: 9,
  getValuesResult: 10,
  unknownType: 11,
} as const

export const Role = { responder: 1, authorizer: 2, filter: 3 } as const

/** FCGI_KEEP_CONN: the web server keeps the connection for further requests. */
export const keepConnFlag = 1

export const ProtocolStatus = { requestComplete: 0, cantMpxConn: 1, overloaded: 2, unknownRole: 3 } as const

export interface RecordHeader {
  type: number
  requestId: number
  contentLength: number
  paddingLength: number
}

export function readHeader(buffer: Buffer, at: number): RecordHeader | { version: number } {
  const v = buffer[at]!
  if (v !== version) return { version: v }
  return {
    type: buffer[at + 1]!,
    requestId: buffer.readUInt16BE(at + 2),
    contentLength: buffer.readUInt16BE(at + 4),
    paddingLength: buffer[at + 6]!,
  }
}

/** One record with `content` (at most 65535 bytes), padded to a multiple of 8 as the spec recommends. */
export function encodeRecord(type: number, requestId: number, content: Uint8Array = empty): Buffer {
  const padding = (8 - (content.byteLength % 8)) % 8
  const record = Buffer.allocUnsafe(headerLength + content.byteLength + padding)
  record[0] = version
  record[1] = type
  record.writeUInt16BE(requestId, 2)
  record.writeUInt16BE(content.byteLength, 4)
  record[6] = padding
  record[7] = 0
  record.set(content, headerLength)
  record.fill(0, headerLength + content.byteLength)
  return record
}

const empty = new Uint8Array(0)

/** A stream's content (STDOUT) as records of at most 65535 bytes, in one buffer. */
export function encodeStream(type: number, requestId: number, content: Uint8Array): Buffer {
  if (content.byteLength <= maxContentLength) return encodeRecord(type, requestId, content)
  const records: Buffer[] = []
  for (let at = 0; at < content.byteLength; at += maxContentLength) {
    records.push(encodeRecord(type, requestId, content.subarray(at, at + maxContentLength)))
  }
  return Buffer.concat(records)
}

export function encodeEndRequest(requestId: number, appStatus: number, protocolStatus: number): Buffer {
  const body = Buffer.alloc(8)
  body.writeUInt32BE(appStatus, 0)
  body[4] = protocolStatus
  return encodeRecord(RecordType.endRequest, requestId, body)
}

export function encodeUnknownType(type: number): Buffer {
  const body = Buffer.alloc(8)
  body[0] = type
  return encodeRecord(RecordType.unknownType, 0, body)
}

/**
 * Name-value pairs (PARAMS, GET_VALUES), decoded as {@link cgiParamEncoding} says.
 * Each length is one byte (0-127) or four (high bit set, 31 bits of length).
 * Returns undefined for a malformed stream: a length cut short, a length
 * running past the end, or an empty name.
 */
export function decodePairs(buffer: Buffer): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = []
  let at = 0
  while (at < buffer.length) {
    const nameLength = readLength(buffer, at)
    if (!nameLength) return undefined
    at += nameLength.size
    const valueLength = readLength(buffer, at)
    if (!valueLength) return undefined
    at += valueLength.size
    const end = at + nameLength.value + valueLength.value
    if (end > buffer.length || nameLength.value === 0) return undefined
    const name = buffer.toString('latin1', at, at + nameLength.value)
    const value = buffer.toString(cgiParamEncoding(name), at + nameLength.value, end)
    pairs.push([name, value])
    at = end
  }
  return pairs
}

function readLength(buffer: Buffer, at: number): { value: number; size: number } | undefined {
  if (at >= buffer.length) return undefined
  const first = buffer[at]!
  if (first < 0x80) return { value: first, size: 1 }
  if (at + 4 > buffer.length) return undefined
  return { value: buffer.readUInt32BE(at) & 0x7fffffff, size: 4 }
}

export function encodePairs(pairs: Iterable<readonly [string, string]>): Buffer {
  const parts: Buffer[] = []
  for (const [name, value] of pairs) {
    const n = Buffer.from(name, 'latin1')
    const v = Buffer.from(value, 'latin1')
    parts.push(encodeLength(n.length), encodeLength(v.length), n, v)
  }
  return Buffer.concat(parts)
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const b = Buffer.alloc(4)
  b.writeUInt32BE((length | 0x80000000) >>> 0, 0)
  return b
}
