// The YAML datumctl prints: kubectl's (go-yaml v2 through sigs.k8s.io/yaml) for API objects
// and anything kubectl itself would print, and the yaml library's own style for datumctl's
// records (sessions, contexts, whoami, version), as they have always been printed.
// (The error envelope in src/errors.ts has its own tiny emitter, to keep this library off the
// error path.)

// Plain strings go-yaml v2 would read back as something else (YAML 1.1 null, bool, int,
// float, sexagesimal or timestamp): it writes those double-quoted.
const YAML11_NON_STRING = [
  /^(~|null|Null|NULL|)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^\d{4}-\d{1,2}-\d{1,2}([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d*)?(Z|[-+]\d{1,2}(:?\d{2})?)?)?$/,
];

/**
 * YAML as kubectl writes it (sigs.k8s.io/yaml over go-yaml v2): sorted keys, no wrapping,
 * lists not indented, strings that would read back as another type in double quotes, other
 * strings that cannot be plain in single quotes.
 */
export async function goYaml(v: unknown): Promise<string> {
  const YAML = await import("yaml");
  const doc = new YAML.Document(v, { version: "1.1", sortMapEntries: true });
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && YAML11_NON_STRING.some((re) => re.test(node.value as string))) node.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** datumctl's own records: fields in their order, the yaml library's defaults. */
export async function plainYaml(v: unknown): Promise<string> {
  return (await import("yaml")).stringify(v);
}
