// Values as Go's fmt %v prints decoded JSON: integers plainly, floats in Go's shortest form,
// null as <nil>, maps as map[k:v] with sorted keys, slices as [a b].

export function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  // Go's shortest %g switches to an exponent from 1e6 (fmt.Println(1234567.5) → 1.2345675e+06).
  if (exp < -4 || exp >= 6) {
    const [m, e] = n.toExponential().split("e");
    const sign = e!.startsWith("-") ? "-" : "+";
    const digits = e!.replace(/^[+-]/, "").padStart(2, "0");
    return `${m}e${sign}${digits}`;
  }
  return String(n);
}

export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goValue(o[k])}`)
    .join(" ")}]`;
}
