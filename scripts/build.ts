// Build-time code generation: everything the Worker and the CLI need that must not be made at run time.
// A thin list of steps; each step is its own module.
import { buildPolicies } from "./build-policies.ts";
import { buildSchemas } from "./build-schemas.ts";

const steps: ReadonlyArray<readonly [string, () => string]> = [
  ["schema validators", () => {
    const { file, bytes, validators } = buildSchemas();
    return `${validators} validators, ${(bytes / 1024).toFixed(0)} KiB -> ${file}`;
  }],
  ["built-in policies", () => {
    const { file, count } = buildPolicies();
    return `${count} policies -> ${file}`;
  }],
];

for (const [name, run] of steps) {
  const started = performance.now();
  const summary = run();
  console.log(`build: ${name}: ${summary} (${(performance.now() - started).toFixed(0)} ms)`);
}
