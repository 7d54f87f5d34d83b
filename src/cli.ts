// Entry point of the compiled binary. Kept tiny: everything else is a lazily loaded chunk,
// so a command pays only for its own code. (`auth get-token` will get its own lean path here.)
const { main } = await import("./main");
process.exitCode = await main(process.argv.slice(2), { signals: true });
export {};
