// Version facts stamped in by scripts/build.ts (--define); a source run reports a dev build.
import pkg from "../package.json" with { type: "json" };

declare const DATUMCTL_VERSION: string | undefined;
declare const DATUMCTL_COMMIT: string | undefined;
declare const DATUMCTL_BUILD_DATE: string | undefined;

const GO_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386" };

export const buildInfo = {
  version: typeof DATUMCTL_VERSION === "string" ? DATUMCTL_VERSION : `v${pkg.version}-dev`,
  commit: typeof DATUMCTL_COMMIT === "string" ? DATUMCTL_COMMIT : "unknown",
  buildDate: typeof DATUMCTL_BUILD_DATE === "string" ? DATUMCTL_BUILD_DATE : "unknown",
  /** kubectl's spelling: linux/amd64, darwin/arm64, windows/amd64. */
  platform: `${process.platform === "win32" ? "windows" : process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
};
