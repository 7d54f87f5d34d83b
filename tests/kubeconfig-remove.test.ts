// The comment-preserving editor removing entries (logout --kubeconfig-cleanup): the rest of the
// file stays byte for byte where it can, and always means what it meant minus the entry.
import { describe, expect, test } from "bun:test";
import YAML from "yaml";
import { parseKubeconfig } from "../src/kubeconfig/document";
import { KubeconfigEdit } from "../src/kubeconfig/edit";

function removing(text: string, ...entries: [section: "clusters" | "users" | "contexts", name: string][]): string {
  const edit = new KubeconfigEdit(parseKubeconfig("/test/kubeconfig", text));
  for (const [section, name] of entries) edit.remove(section, name);
  return edit.render();
}

describe("KubeconfigEdit.remove", () => {
  test("a block entry goes with its lines; neighbours, their comments and indentation stay", () => {
    const text = [
      "clusters:",
      "  # first",
      "  - name: a # keep",
      "    cluster: {server: https://a}",
      "  - name: ours",
      "    cluster:",
      "      server: https://ours # gone",
      "  # last",
      "  - name: z",
      "    cluster: {server: https://z}",
      "",
    ].join("\n");
    expect(removing(text, ["clusters", "ours"])).toBe(text.replace("  - name: ours\n    cluster:\n      server: https://ours # gone\n", ""));
  });

  test("the last entry of a section leaves `[]`, as kubectl writes an empty list", () => {
    const text = "users:\n- name: ours\n  user: {token: t}\ncontexts: []\n";
    expect(removing(text, ["users", "ours"])).toBe("users: []\ncontexts: []\n");
  });

  test("a flow list, CRLF line ends and an absent name", () => {
    const text = "users: [{name: a, user: {}}, {name: ours, user: {}}]\r\ncurrent-context: x\r\n";
    const out = removing(text, ["users", "ours"], ["contexts", "nobody"]);
    expect(YAML.parse(out)).toEqual({ users: [{ name: "a", user: {} }], "current-context": "x" });
    expect(out).toContain("current-context: x\r\n");
    expect(removing(text, ["users", "nobody"])).toBe(text);
  });

  test("an alias elsewhere to the removed entry keeps its meaning", () => {
    const text = "users:\n- &u\n  name: ours\n  user: {token: t}\n- name: other\n  user: {token: o}\nextra: *u\n";
    const out = removing(text, ["users", "ours"]);
    expect(YAML.parse(out)).toEqual({ users: [{ name: "other", user: { token: "o" } }], extra: { name: "ours", user: { token: "t" } } });
  });

  test("a section that is an alias of a list elsewhere gets its own copy; the list it named is unchanged", () => {
    const text = "base: &l\n- name: ours\n  user: {}\n- name: b\n  user: {}\nusers: *l\n";
    const out = removing(text, ["users", "ours"]);
    expect(YAML.parse(out)).toEqual({
      base: [
        { name: "ours", user: {} },
        { name: "b", user: {} },
      ],
      users: [{ name: "b", user: {} }],
    });
    expect(out.startsWith("base: &l\n- name: ours\n  user: {}\n- name: b\n  user: {}\n")).toBe(true);
  });

  test("a JSON kubeconfig stays JSON", () => {
    const text =
      JSON.stringify(
        {
          users: [
            { name: "ours", user: {} },
            { name: "b", user: {} },
          ],
        },
        null,
        4,
      ) + "\n";
    expect(JSON.parse(removing(text, ["users", "ours"]))).toEqual({ users: [{ name: "b", user: {} }] });
    expect(removing(text, ["users", "ours"])).toContain('\n    "users"');
  });
});
