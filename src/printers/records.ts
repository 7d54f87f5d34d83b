// -o json and -o yaml for what is not an unstructured API object. Go structs kubectl prints
// (review objects, apply's List) keep their field order in JSON, unlike the sorted keys of
// objects.ts, and go through kubectl's YAML. datumctl's own records (sessions, contexts,
// whoami, version, organizations, doctor) print as they always have: fields in their order,
// nothing escaped beyond JSON's own, the yaml library's style.
import { goJson } from "./go-json";
import { goYaml, plainYaml } from "./yaml";

export type DataFormat = "json" | "yaml";

/** json.MarshalIndent(v, "", "    ") of a Go struct, or its YAML as kubectl writes it. */
export async function printStruct(format: DataFormat, value: unknown): Promise<string> {
  return format === "json" ? `${goJson(value, "    ", { sorted: false })}\n` : goYaml(value);
}

/** The JSON of a datumctl record, indented by `indent`: as JSON.stringify(value, null, indent) writes it. */
export const recordJson = (value: unknown, indent = "  "): string => `${goJson(value, indent, { sorted: false, htmlSafe: false })}\n`;

/** A datumctl record as -o json or -o yaml prints it. */
export async function printRecord(format: DataFormat, value: unknown, indent = "  "): Promise<string> {
  return format === "json" ? recordJson(value, indent) : plainYaml(value);
}
