// "the server doesn't have a resource type": kubectl's first line, then a hint that names the
// current scope and, when the type is served in a plane the user can reach, how to switch there.
import { expect, test } from "bun:test";
import { HEADLESS_BROWSER } from "./support/browser";
import { localDatumPerTest } from "./support/local-datum";

const t = localDatumPerTest();

/** Signs in as ada without choosing a context (two projects, no terminal: none is picked). */
async function signInWithoutContext() {
  const r = await t.sb.run(t.datum.loginArgs(), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } });
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stderr).toContain("No context chosen.");
}

test("in the user's own plane, dnszones says the scope and how to reach a project; following it works", async () => {
  await signInWithoutContext();
  const r = await t.sb.run(["get", "dnszones"]);
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe("");
  const [first, hint, ...rest] = r.stderr.split("\n");
  expect(first).toBe(`error: the server doesn't have a resource type "dnszones"`);
  expect(rest).toEqual([""]);
  expect(hint).toContain("The current scope is your own user control plane");
  const m = hint!.match(/'datumctl ctx use (acme\/\w+)', or add --project (\w+)\.$/);
  expect(m).not.toBeNull();
  expect(m![1]).toBe(`acme/${m![2]}`);

  expect((await t.sb.run(["get", "dnszones", "--project", m![2]!])).exitCode).toBe(0);
  expect((await t.sb.run(["ctx", "use", m![1]!])).exitCode).toBe(0);
  const after = await t.sb.run(["get", "dnszones"]);
  expect(after.exitCode, after.stderr).toBe(0);
});

test("in an organization, dnszones points at a project of that organization", async () => {
  await signInWithoutContext();
  expect((await t.sb.run(["ctx", "use", "acme"])).exitCode).toBe(0);
  const r = await t.sb.run(["get", "dnszones"]);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toMatch(
    /^error: the server doesn't have a resource type "dnszones"\nThe current scope is organization acme; "dnszones" is served in projects\. Switch with 'datumctl ctx use acme\/(web|data)', or add --project \1\.\n$/,
  );
});

test("in a project, projects points at its organization", async () => {
  await signInWithoutContext();
  expect((await t.sb.run(["ctx", "use", "acme/web"])).exitCode).toBe(0);
  const r = await t.sb.run(["get", "projects"]);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toBe(
    `error: the server doesn't have a resource type "projects"\nThe current scope is project acme/web; "projects" is served in organizations. Switch with 'datumctl ctx use acme', or add --organization acme.\n`,
  );
  expect((await t.sb.run(["get", "projects", "--organization", "acme"])).exitCode).toBe(0);
});

test("a type served nowhere names the scope and api-resources; JSON keeps the NOT_FOUND code", async () => {
  await signInWithoutContext();
  expect((await t.sb.run(["ctx", "use", "acme/web"])).exitCode).toBe(0);
  const r = await t.sb.run(["get", "nothing"]);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toBe(
    `error: the server doesn't have a resource type "nothing"\nThe current scope is project acme/web. Run 'datumctl api-resources' to see the resource types it serves.\n`,
  );
  const json = await t.sb.run(["get", "nothing", "--error-format", "json"]);
  expect(JSON.parse(json.stderr).error).toMatchObject({ code: "NOT_FOUND", message: `the server doesn't have a resource type "nothing"` });
});
