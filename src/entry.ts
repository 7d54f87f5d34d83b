// Entry point of the compiled binary. Kept tiny: everything else is a lazily loaded chunk,
// so a command pays only for its own code. kubectl runs `datumctl auth get-token` before
// every request, so that one is served on a lean path of its own.
const argv = process.argv.slice(2);
let code: number | undefined;
if (argv[0] === "auth" && argv[1] === "get-token") {
  code = await (await import("./fast-get-token")).fastGetToken(argv.slice(2));
}
if (code === undefined) {
  const { main } = await import("./main");
  code = await main(argv, { signals: true });
}
process.exitCode = code;
export {};
