// The command registry: every command's name, help line and group, and how to load it.
// Nothing here imports a command; each is loaded only when it runs.
import { type CommandEntry, commandGroup, defineCommand, runtime } from "../cli/command";
import { EXIT } from "../errors";

export const ROOT_DESCRIPTION = "datumctl manages Datum Cloud: sign in, choose an organization or project, and work with its resources.";

const commands: CommandEntry[] = [
  { name: "login", description: "Sign in to Datum Cloud", group: "Authentication", load: () => import("./login") },
  { name: "logout", description: "Sign out and remove stored credentials", group: "Authentication", load: () => import("./logout") },
  { name: "whoami", description: "Show the signed-in user, session and context", group: "Authentication", load: () => import("./whoami") },
  { name: "auth", description: "Manage sessions and tokens", group: "Authentication", load: () => import("./auth/index") },
  { name: "ctx", aliases: ["context"], description: "List and choose organizations and projects", group: "Context", load: () => import("./ctx/index") },
  { name: "get", description: "Display resources", group: "Resource Management", load: () => import("./get") },
  { name: "describe", description: "Show the details of resources, with their events", group: "Resource Management", load: () => import("./describe") },
  { name: "create", description: "Create resources from manifests; fails if one already exists", group: "Resource Management", load: () => import("./create") },
  {
    name: "apply",
    description: "Create or update resources from manifests (declarative, idempotent)",
    group: "Resource Management",
    load: () => import("./apply"),
  },
  { name: "delete", description: "Delete resources by name, file, label selector or --all", group: "Resource Management", load: () => import("./delete") },
  {
    name: "diff",
    description: "Show what applying manifests would change, as a unified diff",
    group: "Resource Management",
    load: () => import("./diff"),
    errorExitCode: EXIT.DIFF_ERROR,
  },
  { name: "edit", description: "Edit a resource in your editor and apply the change", group: "Resource Management", load: () => import("./edit") },
  {
    name: "version",
    description: "Print the client and server version information",
    group: "Other Commands",
    load: () => import("./version"),
  },
  { name: "api-resources", description: "Print the supported API resources on the server", group: "Other Commands", load: () => import("./api-resources") },
  {
    name: "api-versions",
    description: 'Print the supported API versions on the server, in the form of "group/version"',
    group: "Other Commands",
    load: () => import("./api-versions"),
  },
  { name: "explain", description: "Get documentation for a resource type and its fields", group: "Other Commands", load: () => import("./explain") },
  {
    name: "completion",
    description: "Print a shell completion script (bash, zsh, fish, powershell)",
    group: "Other Commands",
    load: () => import("./completion"),
  },
  {
    // Called back by the completion scripts: `datumctl complete -- <words>`.
    name: "complete",
    description: "Answer a shell completion request",
    hidden: true,
    load: () => import("./complete"),
  },
];

export const root = commandGroup(
  defineCommand({
    meta: {
      name: "datumctl",
      description: ROOT_DESCRIPTION,
      examples: {
        "See who you are and what commands act on, or how to start": "datumctl",
        "Act on the project web of the organization acme": "datumctl ctx use acme/web",
        "List its DNS zones": "datumctl get dnszones",
      },
    },
    // `datumctl` alone: who you are and where you are, or how to start.
    run: async (ctx) => (await import("./landing")).landing(runtime(ctx)),
  }),
  commands,
);
