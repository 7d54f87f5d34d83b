import { type CommandEntry, commandGroup, defineCommand } from "../../cli/command";

const entries: CommandEntry[] = [
  { name: "list", aliases: ["ls"], description: "List signed-in sessions", load: () => import("./list") },
  { name: "switch", description: "Make another session the active one", load: () => import("./switch") },
  { name: "get-token", description: "Print an access token (kubectl runs this as a credential plugin)", load: () => import("./get-token") },
  {
    name: "update-kubeconfig",
    description: "Add an organization's or project's control plane to your kubeconfig (--organization or --project)",
    load: () => import("./update-kubeconfig"),
  },
  { name: "whoami", description: "Ask the API server who you are (user, groups)", load: () => import("./whoami") },
  { name: "can-i", description: "Check whether an action is allowed", load: () => import("./can-i") },
  { name: "doctor", description: "Check credential storage, sessions, kubeconfig entries and connectivity", load: () => import("./doctor") },
  { name: "login", description: "Moved to 'datumctl login'", hidden: true, load: () => import("./moved") },
  { name: "logout", description: "Moved to 'datumctl logout'", hidden: true, load: () => import("./moved") },
];

export default commandGroup(
  defineCommand({
    meta: {
      examples: {
        "List your sessions": "datumctl auth list",
        "Let kubectl use the project web": "datumctl auth update-kubeconfig --project web",
        "Check whether you may create DNS zones": "datumctl auth can-i create dnszones",
      },
      seeAlso: ["datumctl login", "datumctl logout"],
    },
  }),
  entries,
);
