// The few protobuf messages of Anki packages (package meta, media list, note type and
// template configs in schema 18), read with protobufjs's Reader: no generated code, only
// the field numbers each caller knows.
import protobuf from 'protobufjs/minimal.js';

export type ProtobufValue = number | Uint8Array;

/** Each field number of one message with its values in order: varints and 32-bit floats as numbers, length-delimited fields as bytes; other wire types are skipped. */
export function protobufFields(bytes: Uint8Array): Map<number, ProtobufValue[]> {
  const reader = protobuf.Reader.create(bytes);
  const fields = new Map<number, ProtobufValue[]>();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    let value: ProtobufValue | undefined;
    if (wireType === 0) {
      const varint = reader.uint64() as unknown as { toNumber(unsigned: boolean): number } | number; // a Long when long.js is there
      value = typeof varint === 'number' ? varint : varint.toNumber(true);
    } else if (wireType === 2) value = reader.bytes();
    else if (wireType === 5) value = shortestFloat(reader.float()); // Anki's only 32-bit fields are floats
    else reader.skipType(wireType);
    if (value === undefined) continue;
    const values = fields.get(field);
    if (values) values.push(value);
    else fields.set(field, [value]);
  }
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The last value of a string field, or '' (protobuf's default). */
export function protobufString(fields: Map<number, ProtobufValue[]>, field: number): string {
  const value = fields.get(field)?.at(-1);
  return value instanceof Uint8Array ? utf8.decode(value) : '';
}

/** The last value of a varint field, or 0 (protobuf's default). */
export function protobufNumber(fields: Map<number, ProtobufValue[]>, field: number): number {
  const value = fields.get(field)?.at(-1);
  return typeof value === 'number' ? value : 0;
}

/** Every value of a repeated message field, as bytes. */
export function protobufMessages(fields: Map<number, ProtobufValue[]>, field: number): Uint8Array[] {
  return (fields.get(field) ?? []).filter((value): value is Uint8Array => value instanceof Uint8Array);
}

/** Every value of a repeated float field, packed (the proto3 default) or one entry per value. */
export function protobufFloats(fields: Map<number, ProtobufValue[]>, field: number): number[] {
  const floats: number[] = [];
  for (const value of fields.get(field) ?? []) {
    if (typeof value === 'number') {
      floats.push(value);
      continue;
    }
    const reader = protobuf.Reader.create(value);
    while (reader.pos < reader.len) floats.push(shortestFloat(reader.float()));
  }
  return floats;
}

/** A 32-bit float as the shortest decimal that reads back as the same float (0.9, not
 * 0.8999999761581421), the way Anki writes the same values in schema-11 JSON. */
function shortestFloat(float: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const decimal = Number(float.toPrecision(digits));
    if (Math.fround(decimal) === float) return decimal;
  }
  return float;
}
