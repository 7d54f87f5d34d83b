// Kubeconfig paths that are not a plain file of ours to replace (issue 12, classes 2 and 13):
// as root, `KUBECONFIG=/dev/null datumctl auth update-kubeconfig` turned the device into a
// world-writable regular file. Now, as kubectl does, a character device is written through;
// a FIFO, a socket, a directory or a block device is refused before anything opens it; a
// symlink is followed and stays the same link; an existing file keeps its inode (so its hard
// links), mode and owner, also when a user who is not root edits another user's file; a new one
// is 0600 whatever the umask. Device nodes are made with mknod in a scratch directory, never the
// real /dev. The command needs no server: a signed-in config is enough.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import YAML from "yaml";
import { writeSignedInConfig } from "../support/config";
import { BINARY, type RunResult, type Sandbox, sandbox } from "../support/cli";

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI) throw new Error("tests/reliability/kubeconfig-files.test.ts needs root (mknod, chown) and CI=true forbids skipping it");
if (!isRoot) console.warn("SKIPPING kubeconfig file-type tests: they need root (mknod, chown)");
const asRoot = isRoot ? test : test.skip;

/** A uid and gid that are not root's nor the test's, for files "someone else" owns. */
const OTHER = { uid: 4242, gid: 4343 };
const USER = { uid: 1234, gid: 1234 };

let sb: Sandbox;
/** Where the special files live: inside the sandbox, with names the leak check does not read. */
let scratch: string;

beforeEach(() => {
  sb = sandbox();
  writeSignedInConfig(sb.configDir, "https://api.datum.test");
  scratch = join(sb.home, "scratch");
  mkdirSync(scratch);
});
afterEach(() => sb.cleanup());

const read = (p: string) => readFileSync(p, "utf8");
const currentContext = (p: string) => YAML.parse(read(p))["current-context"];

function update(kubeconfig: string, extra: string[] = []): Promise<RunResult> {
  return sb.run(["auth", "update-kubeconfig", "--project", "web", ...extra], { env: { KUBECONFIG: kubeconfig } });
}

async function run(cmd: string[], env: Record<string, string> = sb.env): Promise<RunResult> {
  const p = Bun.spawn(cmd, { env, cwd: sb.home, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { exitCode, stdout, stderr };
}

async function mknod(path: string, type: "c" | "b", major: number, minor: number): Promise<void> {
  const r = await run(["mknod", path, type, String(major), String(minor)]);
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
}

/** Every entry of a directory as it is on disk: type, inode, mode, owner, device, size. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const st = lstatSync(join(dir, name));
    const type = st.isCharacterDevice()
      ? "char"
      : st.isBlockDevice()
        ? "block"
        : st.isFIFO()
          ? "fifo"
          : st.isSocket()
            ? "socket"
            : st.isSymbolicLink()
              ? `link->${readlinkSync(join(dir, name))}`
              : st.isDirectory()
                ? "dir"
                : "file";
    out[name] =
      `${type} ino=${st.ino} mode=${(st.mode & 0o7777).toString(8)} owner=${st.uid}:${st.gid} rdev=${st.rdev} size=${st.isDirectory() ? "-" : st.size}`;
  }
  return out;
}

describe("a character device is written through, as kubectl does", () => {
  asRoot("KUBECONFIG=<char device>: the same device afterwards, nothing created, renamed or chmod-ed beside it", async () => {
    const dev = join(scratch, "null");
    await mknod(dev, "c", 1, 3);
    chmodSync(dev, 0o666);
    const before = listing(scratch);
    const r = await update(dev);
    expect(r.stderr).toStartWith(`Updated ${dev}: context datum-project-web (user datum-ada@example.com@api.test, `);
    expect(r.exitCode).toBe(0);
    expect(listing(scratch)).toEqual(before);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);

    // Through a symlink (as /dev/stdout is one): the link and the device both stay.
    symlinkSync("null", join(scratch, "link"));
    const withLink = listing(scratch);
    const viaLink = await update(join(scratch, "link"));
    expect(viaLink.exitCode).toBe(0);
    expect(listing(scratch)).toEqual(withLink);
  });
});

describe("what is not a file is refused, named, and left as it was", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  const kinds: [string, string, (p: string) => Promise<void>][] = [
    ["a FIFO", "a FIFO (named pipe)", async (p) => void (await run(["mkfifo", p]))],
    [
      "a socket",
      "a socket",
      (p) =>
        new Promise<void>((resolve, reject) => {
          server = createServer();
          server.once("error", reject);
          server.listen(p, () => resolve());
        }),
    ],
    ["a directory", "a directory", async (p) => void mkdirSync(p)],
    ["a block device", "a block device", (p) => mknod(p, "b", 7, 200)],
  ];
  for (const [what, kind, make] of kinds) {
    asRoot(what, async () => {
      const path = join(scratch, "special");
      await make(path);
      const good = join(scratch, "good");
      const goodText = "apiVersion: v1\nkind: Config\ncurrent-context: elsewhere\n";
      writeFileSync(good, goodText, { mode: 0o600 });
      const before = listing(scratch);

      const human = await update(path);
      expect(human.stdout).toBe("");
      expect(human.stderr).toBe(
        `error: ${path} is ${kind}, not a kubeconfig file\nPoint KUBECONFIG or --kubeconfig at a regular file; datumctl neither reads nor replaces ${kind}.\n`,
      );
      expect(human.exitCode).toBe(1);

      const json = await update(path, ["--error-format", "json"]);
      expect(JSON.parse(json.stderr).error).toMatchObject({ code: "INVALID_INPUT", message: `${path} is ${kind}, not a kubeconfig file` });
      // Anywhere in a KUBECONFIG list, too: nothing is written to the other files.
      const listed = await update(`${good}:${path}`);
      expect(listed.stderr).toStartWith(`error: ${path} is ${kind}, not a kubeconfig file\n`);
      expect(listed.exitCode).toBe(1);

      expect(listing(scratch)).toEqual(before);
      expect(read(good)).toBe(goodText);
    });
  }
});

describe("symlinks are followed; the link stays the same link", () => {
  asRoot("the target is written and keeps its mode and owner; a dangling link gets its target created 0600", async () => {
    mkdirSync(join(scratch, "dotfiles"));
    const target = join(scratch, "dotfiles", "config");
    writeFileSync(target, "apiVersion: v1\nkind: Config\n");
    chmodSync(target, 0o640);
    chownSync(target, OTHER.uid, OTHER.gid);
    const link = join(scratch, "config");
    symlinkSync("dotfiles/config", link);
    const r = await update(link);
    expect(r.exitCode).toBe(0);
    expect(readlinkSync(link)).toBe("dotfiles/config");
    expect(currentContext(target)).toBe("datum-project-web");
    const st = statSync(target);
    expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o640, OTHER.uid, OTHER.gid]);

    // kubectl creates the file a dangling link points at; so does datumctl, and the link stays.
    const dangling = join(scratch, "dangling");
    symlinkSync("dotfiles/new-config", dangling);
    const d = await update(dangling);
    expect(d.exitCode).toBe(0);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readlinkSync(dangling)).toBe("dotfiles/new-config");
    const created = join(scratch, "dotfiles", "new-config");
    expect(statSync(created).mode & 0o777).toBe(0o600);
    expect(currentContext(created)).toBe("datum-project-web");
  });
});

describe("modes, owners and hard links", () => {
  asRoot("an existing kubeconfig keeps its inode (so its hard links), mode and owner; a new one is 0600 under umask 000", async () => {
    const kc = join(scratch, "config");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\n");
    chmodSync(kc, 0o644);
    chownSync(kc, OTHER.uid, OTHER.gid);
    const other = join(scratch, "also-config");
    linkSync(kc, other);
    const ino = statSync(kc).ino;
    expect((await update(kc)).exitCode).toBe(0);
    const st = statSync(kc);
    expect([st.ino, st.mode & 0o777, st.uid, st.gid, st.nlink]).toEqual([ino, 0o644, OTHER.uid, OTHER.gid, 2]);
    expect(currentContext(other)).toBe("datum-project-web");

    const fresh = join(scratch, "new", "dir", "config");
    const r = await run(["/bin/sh", "-c", 'umask 000 && exec "$0" auth update-kubeconfig --project web', BINARY], { ...sb.env, KUBECONFIG: fresh });
    expect(r.exitCode).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(statSync(join(scratch, "new")).mode & 0o777).toBe(0o700);
    expect(statSync(join(scratch, "new", "dir")).mode & 0o777).toBe(0o700);
  });

  asRoot("a user who is not root, editing a file another user owns and lets them write: the owner stays", async () => {
    // A home and config dir of USER's own, reachable through the sandbox.
    chmodSync(sb.home, 0o711);
    const home = join(sb.home, "user-home");
    const configDir = join(home, ".datumctl");
    mkdirSync(home, { mode: 0o700 });
    writeSignedInConfig(configDir, "https://api.datum.test");
    for (const p of [home, configDir, join(configDir, "config")]) chownSync(p, USER.uid, USER.gid);
    // A shared directory and a file OTHER owns, both writable by anyone.
    chmodSync(scratch, 0o777);
    const kc = join(scratch, "shared-config");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\n");
    chmodSync(kc, 0o666);
    chownSync(kc, OTHER.uid, OTHER.gid);
    const ino = statSync(kc).ino;

    const env = { PATH: "/usr/bin:/bin", HOME: home, DATUMCTL_CONFIG_DIR: configDir, DATUMCTL_CREDENTIAL_STORE: "file", KUBECONFIG: kc };
    const r = await run(
      ["setpriv", `--reuid=${USER.uid}`, `--regid=${USER.gid}`, "--clear-groups", BINARY, "auth", "update-kubeconfig", "--project", "web"],
      env,
    );
    expect(r.stderr).toStartWith(`Updated ${kc}: `);
    expect(r.exitCode).toBe(0);
    const st = statSync(kc);
    expect([st.ino, st.mode & 0o777, st.uid, st.gid]).toEqual([ino, 0o666, OTHER.uid, OTHER.gid]);
    expect(currentContext(kc)).toBe("datum-project-web");
    // No temp file or lock left behind.
    expect(readdirSync(scratch)).toEqual(["shared-config"]);
  });

  asRoot("a full disk: STORAGE, and the kubeconfig keeps its old text, whether replaced or written in place", async () => {
    const mnt = join(scratch, "full");
    mkdirSync(mnt);
    const mount = await run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]);
    expect(mount.stderr).toBe("");
    try {
      // One page of valid kubeconfig each, so that the new text needs a page more.
      const old = `apiVersion: v1\nkind: Config\n#${"x".repeat(4096 - 30)}\n`;
      const replaced = join(mnt, "config");
      const inPlace = join(mnt, "linked");
      writeFileSync(replaced, old);
      writeFileSync(inPlace, old);
      linkSync(inPlace, join(mnt, "linked-too"));
      try {
        writeFileSync(join(mnt, "filler"), Buffer.alloc(128 * 1024));
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe("ENOSPC");
      }
      const before = listing(mnt);
      for (const kc of [replaced, inPlace]) {
        const r = await update(kc, ["--error-format", "json"]);
        expect(r.exitCode).toBe(1);
        const err = JSON.parse(r.stderr).error;
        expect(err.code).toBe("STORAGE");
        expect(err.message).toMatch(new RegExp(`^no space left on device (writing|replacing) ${kc}$`));
        expect(read(kc)).toBe(old);
      }
      expect(listing(mnt)).toEqual(before);
    } finally {
      const umount = await run(["umount", mnt]);
      expect(umount.stderr).toBe("");
    }
  });
});
