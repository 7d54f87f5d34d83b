// The flag parser and global-flag lifting, in-process.
import { describe, expect, test } from "bun:test";
import { type FlagDef, parseFlags } from "../src/cli/flags";
import { liftGlobals, parseDuration, parseGlobals } from "../src/cli/globals";
import { DatumctlError } from "../src/errors";

const defs: Record<string, FlagDef> = {
  output: { type: "enum", alias: "o", options: ["json", "yaml", "wide"] },
  filename: { type: "string", alias: "f", multiple: true },
  all: { type: "boolean", alias: "A" },
  watch: { type: "boolean", alias: "w" },
  name: { type: "positional", required: false },
};

const parse = (...argv: string[]) => parseFlags(argv, defs, "datumctl get");

function error(fn: () => unknown): DatumctlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatumctlError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("parseFlags", () => {
  test("short clusters of booleans and a trailing value", () => {
    expect(parse("-Aw").values).toMatchObject({ all: true, watch: true });
    expect(parse("-Awojson").values).toMatchObject({ all: true, watch: true, output: "json" });
  });

  test("booleans take =true/=false, not the next word", () => {
    const r = parse("--all=false", "-w", "pods");
    expect(r.values).toMatchObject({ all: false, watch: true });
    expect(r.positionals).toEqual(["pods"]);
    expect(error(() => parse("--all=maybe")).message).toBe('invalid value "maybe" for --all: must be true or false');
  });

  test("repeatable flags collect, others keep the last", () => {
    const r = parse("-f", "a.yaml", "--filename=b.yaml", "-fc.yaml", "-o", "yaml", "-o", "json");
    expect(r.values.filename).toEqual(["a.yaml", "b.yaml", "c.yaml"]);
    expect(r.values.output).toBe("json");
  });

  test("underscores are read as dashes, as kubectl does", () => {
    expect(parseFlags(["--dry_run=server"], { "dry-run": { type: "string" } }, "x").values["dry-run"]).toBe("server");
  });

  test("-- ends flags; a lone - is a positional", () => {
    const r = parse("-", "--", "-o", "--all");
    expect(r.positionals).toEqual(["-", "-o", "--all"]);
    expect(r.values.output).toBeUndefined();
  });

  test("help anywhere", () => {
    expect(parse("pods", "--help").help).toBe(true);
    expect(parse("-h").help).toBe(true);
  });

  test("errors name the flag and point at help", () => {
    const e = error(() => parse("-x"));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toBe("unknown shorthand flag: 'x' in -x");
    expect(e.hint).toBe("See 'datumctl get --help' for usage.");
    expect(error(() => parse("--output")).message).toBe("flag needs an argument: --output");
  });
});

describe("global flags", () => {
  test("are lifted from anywhere, with their values, and stop at --", () => {
    const { globals, rest } = liftGlobals(["get", "-n", "ns", "pods", "--project=p", "-v9", "-o", "json", "--", "-n", "x"]);
    expect(globals).toEqual(["-n", "ns", "--project=p", "-v9"]);
    expect(rest).toEqual(["get", "pods", "-o", "json", "--", "-n", "x"]);
    expect(parseGlobals(globals)).toMatchObject({ namespace: "ns", project: "p", verbosity: 9 });
  });

  test("durations as kubectl reads them", () => {
    expect(parseDuration("0", "--t")).toBe(0);
    expect(parseDuration("30", "--t")).toBe(30_000);
    expect(parseDuration("1m30s", "--t")).toBe(90_000);
    expect(parseDuration("250ms", "--t")).toBe(250);
    expect(parseDuration("1.5h", "--t")).toBe(5_400_000);
    expect(error(() => parseDuration("1 minute", "--request-timeout")).message).toBe(
      "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)",
    );
  });

  test("durations no timer can wait are capped, not turned into an instant timeout", () => {
    // setTimeout fires at once past 2^31-1 ms; these are years.
    expect(parseDuration("100000000s", "--timeout")).toBe(2 ** 31 - 1);
    expect(parseDuration("2562047h", "--request-timeout")).toBe(2 ** 31 - 1);
    expect(parseDuration("1ns", "--t")).toBe(1);
    expect(parseDuration("", "--request-timeout")).toBe(0);
  });

  test("negative, garbage and beyond Go's int64 nanoseconds are refused", () => {
    const KUBECTL =
      "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)";
    for (const bad of ["-1", "-1s", "soon", "NaN", "1.5", "1e3", "5S", "3d", "1m30", " 1s", "9999999h", "99999999999999999999"]) {
      expect(error(() => parseDuration(bad, "--request-timeout")).message).toBe(KUBECTL);
    }
    expect(error(() => parseDuration("soon", "--timeout")).message).toBe('invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"');
    expect(error(() => parseDuration("-5m", "--timeout")).message).toBe('invalid argument "-5m" for "--timeout" flag: a timeout cannot be negative');
  });
});

describe("optional values (kubectl's NoOptDefVal)", () => {
  const dry: Record<string, FlagDef> = { "dry-run": { type: "string", optionalValue: "unchanged" }, filename: { type: "string", alias: "f" } };
  test("a bare flag takes its optional value and never the next word", () => {
    expect(parseFlags(["--dry-run", "-f", "x.yaml"], dry, "x").values).toMatchObject({ "dry-run": "unchanged", filename: "x.yaml" });
    expect(parseFlags(["-f", "x.yaml", "--dry-run"], dry, "x").values["dry-run"]).toBe("unchanged");
    const r = parseFlags(["--dry-run", "server"], dry, "x");
    expect(r.values["dry-run"]).toBe("unchanged");
    expect(r.positionals).toEqual(["server"]);
    expect(parseFlags(["--dry-run=server"], dry, "x").values["dry-run"]).toBe("server");
  });
});
