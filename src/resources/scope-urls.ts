// Where each Datum control plane lives under the API host (as the Go datumctl and Milo lay them out). Every scope
// path is built here, and an ID that is not an object name is refused here.
import { checkScopeId } from "../scope/ids";
import { checkSubject } from "./names";

export type ScopeRef = { kind: "user"; subject: string } | { kind: "organization"; id: string } | { kind: "project"; id: string } | { kind: "platform" };

export function controlPlanePath(scope: ScopeRef): string {
  switch (scope.kind) {
    case "user":
      checkSubject(scope.subject);
      return `/apis/iam.miloapis.com/v1alpha1/users/${encodeURIComponent(scope.subject)}/control-plane`;
    case "organization":
      checkScopeId("organization", scope.id);
      return `/apis/resourcemanager.miloapis.com/v1alpha1/organizations/${encodeURIComponent(scope.id)}/control-plane`;
    case "project":
      checkScopeId("project", scope.id);
      return `/apis/resourcemanager.miloapis.com/v1alpha1/projects/${encodeURIComponent(scope.id)}/control-plane`;
    case "platform":
      return "";
  }
}
