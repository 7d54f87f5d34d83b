// What `datumctl get` was asked for, in its own file so that the watch (watch.ts) and the list
// (index.ts) can both read it without importing each other.
import type { Output } from "../printers/index";

export interface GetOptions {
  args: string[];
  output: Output;
  labelSelector?: string;
  fieldSelector?: string;
  allNamespaces: boolean;
  chunkSize: number;
  sortBy?: string;
  showLabels: boolean;
  labelColumns: string[];
  noHeaders: boolean;
  ignoreNotFound: boolean;
  showKind: boolean;
  showManagedFields: boolean;
  watch: boolean;
  watchOnly: boolean;
  outputWatchEvents: boolean;
}
