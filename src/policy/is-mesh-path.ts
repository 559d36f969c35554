import { matchGlob } from "./match-glob.ts";

/** The repository configuration, at the repository root: rules, never mesh config. */
export const CONFIG_FILE = ".meshgate.yaml";
const YAML = /\.ya?ml$/i;

/**
 * Whether a file is mesh configuration: a YAML file that `.meshgate.yaml` `paths` select, by its path
 * from the repository root, and not `.meshgate.yaml` itself. The App and the CLI pick files with this.
 */
export function isMeshPath(path: string, globs: readonly string[]): boolean {
  return path !== CONFIG_FILE && YAML.test(path) && globs.some((g) => matchGlob(g, path));
}
