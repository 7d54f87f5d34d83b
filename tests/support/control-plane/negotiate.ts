// Accept-header negotiation: the first media type in the client's list that the server can
// produce wins, as in apimachinery's negotiation (q-values honoured, protobuf never produced).

export interface MediaType {
  type: string; // "application/json"
  params: Record<string, string>;
  q: number;
}

export function parseAccept(header: string | null): MediaType[] {
  if (!header) return [{ type: "*/*", params: {}, q: 1 }];
  const out = header.split(",").map((part) => {
    const [type = "", ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf("=");
      if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    delete params.q;
    return { type: type.toLowerCase(), params, q };
  });
  return out.filter((m) => m.q > 0).sort((a, b) => b.q - a.q); // stable sort keeps order on ties
}

const isJson = (m: MediaType) => m.type === "application/json" || m.type === "application/*" || m.type === "*/*";

export type Rendering =
  | { as: "object" }
  | { as: "Table"; version: "v1" | "v1beta1" }
  | { as: "PartialObjectMetadata" | "PartialObjectMetadataList"; version: "v1" | "v1beta1" };

/** How to render objects for this Accept; null when nothing acceptable (406). */
export function objectRendering(accept: string | null): Rendering | null {
  for (const m of parseAccept(accept)) {
    if (!isJson(m)) continue;
    const as = m.params.as;
    if (!as) return { as: "object" };
    if (m.params.g !== "meta.k8s.io") continue;
    const version = m.params.v === "v1beta1" ? "v1beta1" : m.params.v === "v1" ? "v1" : null;
    if (!version) continue;
    if (as === "Table" || as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return { as, version };
  }
  return null;
}

/** Aggregated discovery version the client asked for first, or "legacy". */
export function discoveryRendering(accept: string | null): "v2" | "v2beta1" | "legacy" {
  for (const m of parseAccept(accept)) {
    if (!isJson(m)) continue;
    if (m.params.as === "APIGroupDiscoveryList" && m.params.g === "apidiscovery.k8s.io") {
      if (m.params.v === "v2" || m.params.v === "v2beta1") return m.params.v;
      continue;
    }
    if (!m.params.as) return "legacy";
  }
  return "legacy";
}
