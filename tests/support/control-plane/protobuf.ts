// The protobuf kubectl sends for the review POSTs (Content-Type application/vnd.kubernetes.protobuf):
// "k8s\0" magic, runtime.Unknown{typeMeta=1, raw=2}, then the review message. Only the fields
// the reviews need are decoded (harness.md §2). The encoder exists so tests can build bodies.
import type { Obj } from "./types";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
type Fields = Map<number, (Uint8Array | number)[]>;

function varint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error("truncated varint");
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7;
  }
}

export function fields(buf: Uint8Array): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = varint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Uint8Array | number;
    if (wire === 0) [value, pos] = varint(buf, p1);
    else if (wire === 2) {
      const [len, p2] = varint(buf, p1);
      value = buf.subarray(p2, p2 + len);
      pos = p2 + len;
    } else if (wire === 1) [value, pos] = [0, p1 + 8];
    else if (wire === 5) [value, pos] = [0, p1 + 4];
    else throw new Error(`unsupported wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const text = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : undefined;
};
const sub = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return v instanceof Uint8Array ? fields(v) : undefined;
};

/** Unwrap the envelope: the TypeMeta and the raw message bytes. */
export function unwrap(body: Uint8Array): { apiVersion?: string; kind?: string; raw: Uint8Array } {
  if (!MAGIC.every((b, i) => body[i] === b)) throw new Error("missing k8s protobuf magic");
  const unknown = fields(body.subarray(4));
  const typeMeta = sub(unknown, 1);
  const raw = unknown.get(2)?.[0];
  return {
    apiVersion: typeMeta && text(typeMeta, 1),
    kind: typeMeta && text(typeMeta, 2),
    raw: raw instanceof Uint8Array ? raw : new Uint8Array(),
  };
}

function strings(f: Fields | undefined, names: Record<number, string>): Obj | undefined {
  if (!f) return undefined;
  const out: Obj = {};
  for (const [n, name] of Object.entries(names)) {
    const v = text(f, Number(n));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Decode a SelfSubjectAccessReview, SelfSubjectRulesReview or SelfSubjectReview body to JSON. */
export function decodeReview(body: Uint8Array): Obj {
  const { apiVersion, kind, raw } = unwrap(body);
  const msg = fields(raw);
  const spec = sub(msg, 2);
  const out: Obj = { apiVersion, kind, spec: {} };
  if (kind === "SelfSubjectAccessReview" && spec) {
    const ra = strings(sub(spec, 1), { 1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name" });
    const nra = strings(sub(spec, 2), { 1: "path", 2: "verb" });
    if (ra) out.spec.resourceAttributes = ra;
    if (nra) out.spec.nonResourceAttributes = nra;
  } else if (kind === "SelfSubjectRulesReview" && spec) {
    out.spec = strings(spec, { 1: "namespace" });
  }
  return out;
}

// ---- encoding, for tests and tools that want to send what kubectl sends ----

function encVarint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A message from [field number, string | nested message bytes] pairs (all length-delimited). */
export function message(entries: [number, string | Uint8Array][]): Uint8Array {
  const bytes: number[] = [];
  for (const [n, v] of entries) {
    const data = typeof v === "string" ? new TextEncoder().encode(v) : v;
    bytes.push(...encVarint(n * 8 + 2), ...encVarint(data.length), ...data);
  }
  return new Uint8Array(bytes);
}

/** Wrap a message in kubectl's envelope. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const unknown = message([
    [
      1,
      message([
        [1, apiVersion],
        [2, kind],
      ]),
    ],
    [2, raw],
  ]);
  return new Uint8Array([...MAGIC, ...unknown]);
}

/** The body `kubectl auth can-i <verb> <resource>` sends. */
export function encodeAccessReview(a: { namespace?: string; verb: string; group?: string; resource: string; name?: string; subresource?: string }): Uint8Array {
  const attrs: [number, string][] = [];
  const order: [number, string | undefined][] = [
    [1, a.namespace],
    [2, a.verb],
    [3, a.group],
    [4, ""],
    [5, a.resource],
    [6, a.subresource],
    [7, a.name],
  ];
  for (const [n, v] of order) if (v !== undefined) attrs.push([n, v]);
  const spec = message([[1, message(attrs)]]);
  return envelope(
    "authorization.k8s.io/v1",
    "SelfSubjectAccessReview",
    message([
      [1, new Uint8Array()],
      [2, spec],
    ]),
  );
}
