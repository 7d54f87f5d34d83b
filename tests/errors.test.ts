// The error contract: what each format prints for each kind of error.
import { describe, expect, test } from "bun:test";
import { DatumctlError, formatError, toDatumctlError } from "../src/errors";

const notFound = new DatumctlError('the organization "does-not-exist" was not found', {
  code: "NOT_FOUND",
  hint: "Run 'datumctl get organizations' to see organizations you can access.",
});

describe("formatError", () => {
  test("human: the message, then the hint on its own line", () => {
    expect(formatError(notFound, "human")).toBe(
      "error: the organization \"does-not-exist\" was not found\nRun 'datumctl get organizations' to see organizations you can access.\n",
    );
  });

  test("human: kubectl's wording for server errors replaces the error: line", () => {
    const e = new DatumctlError("not found", {
      code: "NOT_FOUND",
      human: 'Error from server (NotFound): dnszones.dns.networking.miloapis.com "x" not found',
    });
    expect(formatError(e, "human")).toBe('Error from server (NotFound): dnszones.dns.networking.miloapis.com "x" not found\n');
    expect(JSON.parse(formatError(e, "json")).error.message).toBe("not found");
  });

  test("json: one line, fixed key order, empty fields left out, retryable always there", () => {
    const line = formatError(new DatumctlError("boom", { code: "NETWORK", retryable: true }), "json");
    expect(line).toBe('{"error":{"code":"NETWORK","message":"boom","retryable":true}}\n');
    const full = JSON.parse(formatError(new DatumctlError("m", { code: "SERVER", hint: "h", details: "d\nmore" }), "json"));
    expect(Object.keys(full.error)).toEqual(["code", "message", "hint", "retryable", "details"]);
  });

  test("yaml: the same structure", async () => {
    const YAML = await import("yaml");
    const e = new DatumctlError('quote " and: colon\nnewline', { code: "INVALID_INPUT", hint: "- dash", details: "d" });
    expect(YAML.parse(formatError(e, "yaml"))).toEqual({
      error: { code: "INVALID_INPUT", message: 'quote " and: colon\nnewline', hint: "- dash", retryable: false, details: "d" },
    });
  });

  test("details of the cause appear only from -v 4", () => {
    const e = new DatumctlError("unable to connect", { code: "NETWORK", cause: new Error("ECONNREFUSED 127.0.0.1:1") });
    expect(formatError(e, "human", 0)).not.toContain("ECONNREFUSED");
    expect(formatError(e, "human", 4)).toContain("Details:\nECONNREFUSED 127.0.0.1:1");
  });
});

describe("unexpected exceptions", () => {
  test("become INTERNAL with a hint, and no stack trace unless -v 9", () => {
    const bug = new TypeError("cannot read properties of undefined (reading 'name')");
    const e = toDatumctlError(bug);
    expect(e.code).toBe("INTERNAL");
    const text = formatError(e, "human");
    expect(text).toBe(
      "error: internal error: cannot read properties of undefined (reading 'name')\nThis is a bug in datumctl. Rerun with -v 9 for details and report it.\n",
    );
    expect(text).not.toContain("    at ");
    expect(formatError(toDatumctlError(bug, 9), "human", 9)).toContain("    at ");
  });
});
