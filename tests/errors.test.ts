// The error contract: what each format prints for each kind of error.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatumctlError, EXIT, formatError, toDatumctlError } from "../src/errors";

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

describe("expected system errors are not bugs", () => {
  const sysError = (code: string, syscall: string, path?: string) =>
    Object.assign(new Error(`${code}: something, ${syscall}${path ? ` '${path}'` : ""}`), { code, syscall, ...(path ? { path } : {}) });

  test("a full disk, a quota, a read-only file system, no permission: STORAGE naming the path, with a hint", () => {
    const cases: [Error, string][] = [
      [sysError("ENOSPC", "write", "/home/u/.datumctl/config"), "no space left on device writing /home/u/.datumctl/config"],
      [sysError("EDQUOT", "write", "/home/u/.kube/config"), "disk quota exceeded writing /home/u/.kube/config"],
      [sysError("EROFS", "mkdir", "/ro/.datumctl"), "read-only file system creating /ro/.datumctl"],
      [sysError("EACCES", "open", "/etc/kubeconfig"), "permission denied opening /etc/kubeconfig"],
      [sysError("EPERM", "rename", "/x/config"), "operation not permitted replacing /x/config"],
      [sysError("ENOSPC", "write"), "no space left on device"],
      [sysError("ENOTDIR", "open", "/x/file/config"), "a parent is not a directory opening /x/file/config"],
      [sysError("EISDIR", "read"), "a directory is where a file should be"],
    ];
    for (const [e, message] of cases) {
      const got = toDatumctlError(e);
      expect(got.code).toBe("STORAGE");
      expect(got.message).toBe(message);
      expect(got.hint).toBeTruthy();
      expect(formatError(got, "human")).not.toMatch(/internal error|bug/);
    }
  });

  test("a closed stdout (EPIPE) is silent and exits 141, in every format", () => {
    const got = toDatumctlError(Object.assign(sysError("EPIPE", "write"), { fd: 1 }));
    expect(got.exitCode).toBe(EXIT.BROKEN_PIPE);
    expect(EXIT.BROKEN_PIPE).toBe(141);
    for (const f of ["human", "json", "yaml"] as const) expect(formatError(got, f)).toBe("");
    // A pipe to another program that closed is not stdout's reader leaving.
    expect(toDatumctlError(sysError("EPIPE", "write")).silent).toBe(false);
  });

  test("a failed rename names the file being replaced, not our temp file", () => {
    const e = Object.assign(sysError("EACCES", "rename", "/x/.config.1.tmp"), { dest: "/x/config" });
    expect(toDatumctlError(e).message).toBe("permission denied replacing /x/config");
  });

  test("timeouts, bare or wrapped by a library, are TIMEOUT", () => {
    expect(toDatumctlError(new DOMException("The operation timed out.", "TimeoutError")).code).toBe("TIMEOUT");
    expect(toDatumctlError(sysError("ETIMEDOUT", "connect")).code).toBe("TIMEOUT");
    const wrapped = new Error('failed to parse "response" body as JSON', { cause: new DOMException("aborted", "AbortError") });
    expect(toDatumctlError(wrapped).code).toBe("TIMEOUT");
  });

  test("everything else stays INTERNAL, including a server's body that merely has a code field", () => {
    expect(toDatumctlError(new RangeError("Invalid array length")).code).toBe("INTERNAL");
    expect(toDatumctlError({ code: "EACCES", path: "/x" }).code).toBe("INTERNAL");
    expect(toDatumctlError(sysError("EBADF", "write")).code).toBe("INTERNAL");
  });
});

test("exactly one module decides that an error is a bug: no other file makes an INTERNAL error", () => {
  const src = join(import.meta.dir, "..", "src");
  const offenders = (readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && f !== "errors.ts")
    .filter((f) => /code:\s*"INTERNAL"|["']INTERNAL["']/.test(readFileSync(join(src, f), "utf8")));
  expect(offenders).toEqual([]);
});
