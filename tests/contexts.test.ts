// Contexts, organizations and the onboarding gate, against the local Datum Cloud.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { scopedClient } from "../src/resources/scoped";
import { DEFAULT_GLOBALS } from "../src/cli/globals";
import type { Globals } from "../src/runtime";
import { DatumctlError } from "../src/errors";
import { evaluate, setupNeeded } from "../src/onboarding/gate";
import { captureIO } from "../src/io";
import { type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

let datum: LocalDatum;
let sb: Sandbox;

beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
});
afterAll(async () => {
  sb.cleanup();
  await datum.close();
});

describe("ctx", () => {
  test("lists the session's contexts as a tree, current one marked", async () => {
    const r = await sb.run(["ctx"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        "DISPLAY NAME       NAME         TYPE           CURRENT",
        "Acme Corp          acme         organization   ",
        "  Data Platform    acme/data    project        ",
        "  Web Storefront   acme/web     project        *",
        "Globex             globex       organization   ",
        "  Operations       globex/ops   project        ",
        "",
      ].join("\n"),
    );
  });

  test("-o json gives one object per context", async () => {
    const rows = JSON.parse((await sb.run(["context", "list", "-o", "json"])).stdout);
    const session = `ada@example.com@${new URL(datum.api.url).host}`;
    expect(rows[2]).toEqual({ name: `${session}/acme/web`, session, organization: "acme", project: "web", displayName: "Web Storefront", current: true });
    expect(rows.map((r: { project: string | null }) => r.project)).toEqual([null, "data", "web", null, "ops"]);
  });

  test("use: by reference, by display name; unknown names are errors", async () => {
    const byRef = await sb.run(["ctx", "use", "globex/ops"]);
    expect([byRef.exitCode, byRef.stdout]).toEqual([0, ""]);
    // Globex has not finished onboarding: the switch stands, with a warning at once, in the gate's words.
    expect(byRef.stderr).toBe(
      "✓ Switched to project Operations in Globex (globex/ops)\n" +
        "warning: Globex (globex) needs setup before it can be used: billing setup needed\n" +
        "Finish the organization's setup in the Datum Cloud portal.\n",
    );
    const byName = await sb.run(["ctx", "use", "Data Platform"]);
    expect(byName.stderr).toBe("✓ Switched to project Data Platform in Acme Corp (acme/data)\n");
    const org = await sb.run(["ctx", "use", "acme"]);
    expect(org.stderr).toBe("✓ Switched to organization Acme Corp (acme)\n");
    const missing = await sb.run(["ctx", "use", "nope", "--error-format", "json"]);
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ code: "NOT_FOUND", message: "context nope not found" });
    const none = await sb.run(["ctx", "use"]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toStartWith("error: name the context to use\n");
    expect((await sb.run(["ctx", "use", "acme/web"])).exitCode).toBe(0);
  });

  test("--refresh picks up a new project; a stale cache refreshes by itself, `ctx list` never does", async () => {
    datum.api.put(datum.api.orgPath("acme"), {
      apiVersion: "resourcemanager.miloapis.com/v1alpha1",
      kind: "Project",
      metadata: { name: "lab", annotations: { "kubernetes.io/display-name": "Research Lab" } },
      spec: { ownerRef: { kind: "Organization", name: "acme" } },
    });
    const listed = await sb.run(["ctx", "list"]);
    expect(listed.stdout).not.toContain("acme/lab");
    expect(listed.stderr).toBe("");
    const r = await sb.run(["ctx", "--refresh"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("✓ Discovered 6 contexts\n");
    expect(r.stdout).toContain("  Research Lab     acme/lab ");
    datum.api.remove(datum.api.orgPath("acme"), "projects", "lab");

    const path = join(sb.configDir, "config");
    const cfg = YAML.parse(readFileSync(path, "utf8"));
    cfg.cache["last-refreshed"] = "2020-01-01T00:00:00Z";
    writeFileSync(path, YAML.stringify(cfg));
    const auto = await sb.run(["ctx"]);
    expect(auto.stderr).toContain("✓ Discovered 5 contexts");
    expect(auto.stdout).not.toContain("acme/lab");
  });
});

describe("get organizations", () => {
  test("a table from the user's control plane, and a setup footer on stderr", async () => {
    datum.api.clearRequests();
    const r = await sb.run(["get", "organizations"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^ORGANIZATION\s+DISPLAY NAME\s+STATUS\s+AGE$/);
    expect(lines[1]).toMatch(/^acme\s+Acme Corp\s+ready\s+\d+d$/);
    expect(lines[2]).toMatch(/^globex\s+Globex\s+billing setup needed\s+\d+d$/);
    expect(r.stderr).toBe("\nSome organizations still need setup before you can use them with datumctl:\n  globex (billing setup needed)\n");
    expect(datum.api.requests.every((q) => q.path.startsWith(datum.api.userPath("ada")))).toBe(true);
  });

  test("aliases, a name, -o wide|name|json, and clear errors", async () => {
    expect((await sb.run(["get", "orgs", "-o", "name"])).stdout).toBe("organization/acme\norganization/globex\n");
    expect((await sb.run(["get", "organization", "acme", "-o", "wide"])).stdout).toMatch(/USER\n.*acme\s+Acme Corp\s+ready\s+\S+\s+ada@example\.com\n$/);
    const json = JSON.parse((await sb.run(["get", "organizations", "-o", "json"])).stdout);
    expect(json.kind).toBe("OrganizationMembershipList");
    expect(json.items[1].metadata.annotations).toMatchObject({
      "datum.net/onboarding-status": "incomplete",
      "datum.net/onboarding-reason": "BillingAccountMissing",
    });
    const missing = await sb.run(["get", "organizations", "nope"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe("error: the organization \"nope\" was not found\nRun 'datumctl get organizations' to see organizations you can access.\n");
    const bad = await sb.run(["get", "organizations", "-o", "jsonpath={.items}"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toStartWith('error: output format "jsonpath={.items}" is not supported for organizations\n');
  });
});

describe("scope and the onboarding gate", () => {
  const rt = (globals: Partial<Globals> = {}, env: Record<string, string> = {}) => ({
    io: captureIO(),
    globals: { ...DEFAULT_GLOBALS, ...globals },
    env: { ...sb.env, ...env },
    configDir: sb.configDir,
    serverWarnings: 0,
  });

  async function gate(globals: Partial<Globals> = {}, env: Record<string, string> = {}): Promise<string> {
    try {
      const { scope, client } = await scopedClient(rt(globals, env));
      return `${scope.kind}:${client.basePath}`;
    } catch (e) {
      if (e instanceof DatumctlError) return `${e.code}: ${e.message} | ${e.hint}`;
      throw e;
    }
  }

  test("flags beat DATUM_* which beat the context; each reaches its control plane", async () => {
    expect(await gate()).toBe(`project:${datum.api.projectPath("web")}`);
    expect(await gate({}, { DATUM_ORGANIZATION: "acme" })).toBe(`organization:${datum.api.orgPath("acme")}`);
    expect(await gate({ project: "data" }, { DATUM_ORGANIZATION: "acme" })).toBe(`project:${datum.api.projectPath("data")}`);
    expect(await gate({}, { DATUM_ORGANIZATION: "acme", DATUM_PROJECT: "web" })).toStartWith(
      "SCOPE_CONFLICT: DATUM_PROJECT and DATUM_ORGANIZATION cannot both be set",
    );
  });

  test("an organization that still needs setup is refused, once, with what to do", async () => {
    datum.api.clearRequests();
    expect(await gate({ organization: "globex" })).toBe(
      "ONBOARDING_INCOMPLETE: Globex (globex) needs setup before it can be used: billing setup needed | Finish the organization's setup in the Datum Cloud portal.",
    );
    expect(await gate({}, { DATUM_PROJECT: "ops" })).toStartWith("ONBOARDING_INCOMPLETE: Globex (globex)");
    expect(datum.api.requests.filter((q) => q.path.endsWith("/organizations/globex")).length).toBe(2);
  });

  test("on Datum's own hosts the gate and ctx use's warning link the portal page to finish setup", () => {
    const org = datum.api.get(datum.api.userPath("ada"), "organizations", "globex")!;
    const words = (server: string) => setupNeeded({ ...evaluate(org, "globex", server), displayName: "Globex" }, "globex");
    expect(words("https://api.datum.net")).toEqual({
      message: "Globex (globex) needs setup before it can be used: billing setup needed",
      hint: "Finish it at https://cloud.datum.net/org/globex/projects",
    });
    expect(words("https://api.staging.env.datum.net").hint).toBe("Finish it at https://cloud.staging.env.datum.net/org/globex/projects");
    expect(words(datum.api.url).hint).toBe("Finish the organization's setup in the Datum Cloud portal.");
  });

  test("an organization that does not report the condition is not blocked", async () => {
    const org = datum.api.get(datum.api.userPath("ada"), "organizations", "globex")!;
    const saved = structuredClone(org);
    datum.api.put("", { ...org, status: { conditions: org.status.conditions.filter((c: { type: string }) => c.type !== "OnboardingComplete") } });
    try {
      expect(await gate({ organization: "globex" })).toBe(`organization:${datum.api.orgPath("globex")}`);
    } finally {
      datum.api.put("", saved);
    }
  });
});
