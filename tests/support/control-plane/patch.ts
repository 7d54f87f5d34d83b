// RFC 7386 JSON merge patch and RFC 6902 JSON patch, the two non-apply patch types Datum's
// CRDs accept (strategic merge is refused for custom resources, as by the real apiserver).
import { ApiError, badRequest } from "./status";
import { clone, deepEqual, isMap, type Obj } from "./types";

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Obj = isMap(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

const unprocessable = (message: string) => new ApiError(422, "Invalid", message);

function pointer(p: string): string[] {
  if (p === "") return [];
  if (!p.startsWith("/")) throw badRequest(`invalid JSON pointer "${p}"`);
  return p
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Parent container and last token of a pointer; throws when the parent is missing. */
function locate(doc: unknown, p: string): [Obj | unknown[], string] {
  const parts = pointer(p);
  const last = parts.pop();
  if (last === undefined) throw unprocessable(`cannot operate on the document root "${p}"`);
  let cur: unknown = doc;
  for (const part of parts) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isMap(cur) ? cur[part] : undefined;
    if (cur === undefined) throw unprocessable(`doc is missing path: "${p}": missing value`);
  }
  if (!isMap(cur) && !Array.isArray(cur)) throw unprocessable(`doc is missing path: "${p}": missing value`);
  return [cur, last];
}

function read(doc: unknown, p: string): unknown {
  let cur: unknown = doc;
  for (const part of pointer(p)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isMap(cur) ? cur[part] : undefined;
    if (cur === undefined) throw unprocessable(`doc is missing path: "${p}": missing value`);
  }
  return cur;
}

function add(doc: unknown, p: string, value: unknown) {
  const [parent, key] = locate(doc, p);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw unprocessable(`Unable to access invalid index: ${key}`);
    parent.splice(i, 0, clone(value));
  } else parent[key] = clone(value);
}

function remove(doc: unknown, p: string): unknown {
  const [parent, key] = locate(doc, p);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!(key in parent)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
  const v = parent[key];
  delete parent[key];
  return v;
}

export function jsonPatch(target: Obj, ops: unknown): Obj {
  if (!Array.isArray(ops)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const doc = clone(target);
  for (const raw of ops as Op[]) {
    switch (raw.op) {
      case "add":
        add(doc, raw.path, raw.value);
        break;
      case "remove":
        remove(doc, raw.path);
        break;
      case "replace":
        remove(doc, raw.path);
        add(doc, raw.path, raw.value);
        break;
      case "move":
        add(doc, raw.path, remove(doc, raw.from ?? ""));
        break;
      case "copy":
        add(doc, raw.path, read(doc, raw.from ?? ""));
        break;
      case "test":
        if (!deepEqual(read(doc, raw.path), raw.value)) {
          throw unprocessable(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}
