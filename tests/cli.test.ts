// The command line as a user meets it: help, landing text, unknown commands, flag forms,
// global flags anywhere, and the error contract in all three formats.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import pkg from "../package.json" with { type: "json" };
import { type Sandbox, sandbox } from "./support/cli";

let sb: Sandbox;
beforeAll(() => void (sb = sandbox()));
afterAll(() => sb.cleanup());

describe("landing and help", () => {
  test("datumctl alone tells a signed-out user how to start, exit 0", async () => {
    const r = await sb.run([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("datumctl login");
    expect(r.stdout).toContain("datumctl login --no-browser");
    expect(r.stdout).toContain("datumctl login --credentials");
    expect(r.stderr).toBe("");
  });

  test("--help groups commands and lists the global flags", async () => {
    const r = await sb.run(["--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Other Commands:\n(?:  .+\n)*  version +Print the client and server version/m);
    expect(r.stdout).toContain("Global Flags:");
    expect(r.stdout).toContain("--error-format");
    // The completion protocol command is for shells, not people.
    expect(r.stdout).not.toMatch(/^\s+complete\s/m);
  });

  test("`help version` and `version -h` show the same page", async () => {
    const a = await sb.run(["help", "version"]);
    const b = await sb.run(["version", "-h"]);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("datumctl version [flags]");
    expect(a.stdout).toMatch(/-o, --output format +Output format/);
  });
});

describe("unknown commands", () => {
  test("human: one error line, a suggestion, exit 1, nothing on stdout", async () => {
    const r = await sb.run(["verison"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('error: unknown command "verison" for "datumctl"\nDid you mean this?\n\tversion\n');
  });

  test("a mistyped subcommand gets Cobra's 'Did you mean this?' with every candidate", async () => {
    const gett = await sb.run(["auth", "gett"]);
    expect([gett.exitCode, gett.stdout]).toEqual([1, ""]);
    expect(gett.stderr).toBe('error: unknown command "gett" for "datumctl auth"\nDid you mean this?\n\tget-token\n');
    expect((await sb.run(["ctx", "uze"])).stderr).toBe('error: unknown command "uze" for "datumctl ctx"\nDid you mean this?\n\tuse\n');
    expect((await sb.run(["ap"])).stderr).toBe('error: unknown command "ap" for "datumctl"\nDid you mean this?\n\tapply\n\tapi-resources\n\tapi-versions\n');
    // Hidden commands (auth login moved to login) are never suggested; nothing close: the help hint.
    expect((await sb.run(["auth", "logn"])).stderr).toBe(
      'error: unknown command "logn" for "datumctl auth"\nRun \'datumctl auth --help\' for a list of commands.\n',
    );
  });

  test("json: exactly one JSON line on stderr", async () => {
    const r = await sb.run(["--error-format", "json", "nosuchcommand"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n");
    expect(lines.length).toBe(2);
    expect(lines[1]).toBe("");
    expect(JSON.parse(lines[0]!)).toEqual({
      error: {
        code: "UNKNOWN_COMMAND",
        message: 'unknown command "nosuchcommand" for "datumctl"',
        hint: "Run 'datumctl --help' for a list of commands.",
        retryable: false,
      },
    });
  });

  test("yaml: the same envelope", async () => {
    const r = await sb.run(["nosuchcommand", "--error-format=yaml"]);
    expect(r.exitCode).toBe(1);
    const YAML = await import("yaml");
    expect(YAML.parse(r.stderr)).toEqual({
      error: {
        code: "UNKNOWN_COMMAND",
        message: 'unknown command "nosuchcommand" for "datumctl"',
        hint: "Run 'datumctl --help' for a list of commands.",
        retryable: false,
      },
    });
  });

  test("an unknown subcommand word after a command is refused too", async () => {
    const r = await sb.run(["version", "extra"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toStartWith('error: unexpected argument "extra" for "datumctl version"\n');
  });
});

describe("--error-format", () => {
  test("an invalid value fails before anything runs", async () => {
    const r = await sb.run(["--error-format", "xml", "version", "--client"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('error: invalid value "xml" for --error-format\nAllowed values: human, json, yaml.\n');
  });

  test("never changes stdout", async () => {
    const human = await sb.run(["version", "--client", "-o", "json"]);
    const json = await sb.run(["version", "--client", "-o", "json", "--error-format", "json"]);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout).clientVersion.gitVersion).toBe(JSON.parse(human.stdout).clientVersion.gitVersion);
  });
});

describe("kubectl flag forms", () => {
  const forms = [["-o", "json"], ["-o=json"], ["-ojson"], ["--output=json"], ["--output", "json"], ["-o", "yaml", "-o", "json"]];
  for (const form of forms) {
    test(`version --client ${form.join(" ")}`, async () => {
      const r = await sb.run(["version", "--client", ...form]);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).clientVersion.gitVersion).toBe(`v${pkg.version}`);
    });
  }

  test("global flags before or after the command, with = or a space", async () => {
    for (const args of [
      ["-n", "x", "version", "--client"],
      ["version", "-n=x", "--client"],
      ["--namespace=x", "version", "--client", "-v", "0"],
      ["version", "--client", "--request-timeout", "30s", "--project", "p"],
    ]) {
      const r = await sb.run(args);
      expect({ args, code: r.exitCode, err: r.stderr }).toEqual({ args, code: 0, err: "" });
    }
  });

  test("`--` ends the flags", async () => {
    const r = await sb.run(["completion", "--", "bash"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("datumctl");
  });

  test("unknown flags and missing values are errors with a usage hint", async () => {
    const unknown = await sb.run(["version", "--bogus"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe("error: unknown flag: --bogus\nSee 'datumctl version --help' for usage.\n");
    const missing = await sb.run(["version", "-o"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toStartWith("error: flag needs an argument: 'o' in -o\n");
    const bad = await sb.run(["version", "-o", "table"]);
    expect(bad.stderr).toBe('error: invalid value "table" for -o\nAllowed values: json, yaml.\n');
  });

  test("bad global values are INVALID_INPUT", async () => {
    for (const args of [
      ["-v", "loud", "version"],
      ["--request-timeout", "soon", "version"],
    ]) {
      const r = await sb.run([...args, "--error-format", "json"]);
      expect(r.exitCode).toBe(1);
      expect(JSON.parse(r.stderr).error.code).toBe("INVALID_INPUT");
    }
  });

  test("scope flags are mutually exclusive: SCOPE_CONFLICT", async () => {
    for (const args of [
      ["--project", "a", "--organization", "b"],
      ["--platform-wide", "--project", "a"],
    ]) {
      const r = await sb.run(["version", "--client", ...args, "--error-format=json"]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(JSON.parse(r.stderr).error.code).toBe("SCOPE_CONFLICT");
    }
  });
});

describe("completion", () => {
  for (const shell of ["bash", "zsh", "fish", "powershell"]) {
    test(`completion ${shell} prints a script that calls back datumctl complete`, async () => {
      const r = await sb.run(["completion", shell]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("datumctl");
      expect(r.stdout).toContain("complete");
      expect(r.stderr).toBe("");
    });
  }

  test("an unsupported shell is refused", async () => {
    const r = await sb.run(["completion", "tcsh"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('error: unsupported shell "tcsh"\nAllowed values: bash, zsh, fish, powershell.\n');
  });

  test("the completion protocol offers commands and flag values", async () => {
    const cmds = await sb.run(["complete", "--", "ver"]);
    expect(cmds.exitCode).toBe(0);
    expect(cmds.stdout).toMatch(/^version\t/m);
    expect(cmds.stdout).toMatch(/^:\d+$/m);
    const values = await sb.run(["complete", "--", "version", "--output", ""]);
    expect(values.stdout).toMatch(/^json/m);
    expect(values.stdout).toMatch(/^yaml/m);
  });
});

describe("landing when signed in", () => {
  test("shows who and where", async () => {
    const { writeSignedInConfig } = await import("./support/config");
    const s = sandbox();
    try {
      writeSignedInConfig(s.configDir, "https://api.test");
      const r = await s.run([]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("Signed in as Ada Lovelace (ada@example.com)");
      expect(r.stdout).toContain("Context:   project acme/web");
      expect(r.stdout).toContain("Endpoint:  https://api.test");
    } finally {
      s.cleanup();
    }
  });

  test("a corrupt config is named in a warning and read as empty, never rewritten", async () => {
    const { mkdirSync, readFileSync, writeFileSync } = await import("node:fs");
    const s = sandbox();
    try {
      mkdirSync(s.configDir, { recursive: true });
      const path = `${s.configDir}/config`;
      writeFileSync(path, "sessions: [unclosed\n");
      s.looseModes = true; // the user wrote this file, not datumctl
      const r = await s.run([]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toStartWith(`warning: ignoring ${path}: `);
      expect(r.stdout).toContain("datumctl login");
      expect(readFileSync(path, "utf8")).toBe("sessions: [unclosed\n");
    } finally {
      s.cleanup();
    }
  });
});

describe("the compiled binary ignores the working directory's Bun files", () => {
  test(".env and bunfig.toml in the current directory are not read", async () => {
    const { mkdtempSync, writeFileSync, existsSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { writeSignedInConfig } = await import("./support/config");
    const s = sandbox();
    const project = mkdtempSync(join(tmpdir(), "datumctl-cwd-"));
    try {
      const elsewhere = join(project, "other-config");
      writeSignedInConfig(elsewhere, "https://api.test");
      writeFileSync(join(project, ".env"), `DATUMCTL_CONFIG_DIR=${elsewhere}\n`);
      const marker = join(project, "preloaded");
      writeFileSync(join(project, "evil.ts"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x");\n`);
      writeFileSync(join(project, "bunfig.toml"), 'preload = ["./evil.ts"]\n');
      const r = await s.run([], { cwd: project, env: { DATUMCTL_CONFIG_DIR: undefined } });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("Welcome to Datum Cloud.");
      expect(existsSync(marker)).toBe(false);
    } finally {
      s.cleanup();
      rmSync(project, { recursive: true, force: true });
    }
  });
});
