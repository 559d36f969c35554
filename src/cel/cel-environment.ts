import { Environment } from "@marcbachmann/cel-js";
import { registerKubernetesLibrary } from "./register-kubernetes-library.ts";
import { HAS_FIELD_FUNCTION, rewriteHasMacros } from "./rewrite-has-macros.ts";
import { translateRe2 } from "./translate-re2.ts";

/** A parsed CEL expression, ready to evaluate many times. */
export interface CompiledCel {
  readonly source: string;
  /** Identifiers the expression reads (variables and macro loop variables), e.g. to spot `oldSelf`. */
  readonly references: ReadonlySet<string>;
  readonly evaluate: (variables: Readonly<Record<string, unknown>>) => unknown;
}

/**
 * A CEL environment with the Kubernetes libraries and the given variables (name -> CEL type, usually
 * `dyn`). Creating one costs a registry clone, so callers keep theirs: CRD rules use
 * `schemaRuleEnvironment()`, policies build one for their own inputs.
 */
export function createCelEnvironment(variables: Readonly<Record<string, string>>): Environment {
  const env = baseEnvironment().clone();
  for (const [name, type] of Object.entries(variables)) env.registerVariable(name, type);
  return env;
}

let base: Environment | undefined;

function baseEnvironment(): Environment {
  // Mixed-type literals (`[1, "a"]`) are legal in Kubernetes CEL, so aggregates need not be homogeneous.
  base ??= registerKubernetesLibrary(new Environment({ homogeneousAggregateLiterals: false })).registerFunction(
    `${HAS_FIELD_FUNCTION}(dyn, string): bool`,
    hasField,
  );
  return base;
}

/** `has(e.f)` on an evaluated `e`: presence of a map key or object field; other values have no fields. */
function hasField(target: unknown, name: string): boolean {
  if (target instanceof Map) return target.has(name);
  if (typeof target === "object" && target !== null && !Array.isArray(target)) return Object.hasOwn(target, name);
  throw new Error("no such overload");
}

let schemaRules: Environment | undefined;

/** The environment of `x-kubernetes-validations` rules: `self`, and `oldSelf` for transition rules. */
export function schemaRuleEnvironment(): Environment {
  schemaRules ??= createCelEnvironment({ self: "dyn", oldSelf: "dyn" });
  return schemaRules;
}

const compiled = new WeakMap<Environment, Map<string, CompiledCel>>();

/**
 * Parses an expression once per environment (later calls hit a cache). Throws the cel-js ParseError for
 * invalid syntax. Two cel-js gaps are closed here: RE2 pattern literals given to `matches()` are
 * rewritten to JavaScript syntax (cel-js hands them to `RegExp` as they are), and `has()` on operands
 * other than a field chain is rewritten (see rewrite-has-macros.ts).
 */
export function compileCel(source: string, env: Environment = schemaRuleEnvironment()): CompiledCel {
  let cache = compiled.get(env);
  if (!cache) {
    cache = new Map();
    compiled.set(env, cache);
  }
  const hit = cache.get(source);
  if (hit) return hit;
  const program = env.parse(source.includes("has") ? rewriteHasMacros(source) : source);
  const references = new Set<string>();
  visitAst(program.ast, references);
  const result: CompiledCel = { source, references, evaluate: (variables) => program(variables) };
  cache.set(source, result);
  return result;
}

interface MutableNode {
  op: string;
  args: unknown;
}

function isNode(value: unknown): value is MutableNode {
  return typeof value === "object" && value !== null && "op" in value && "args" in value;
}

function visitAst(node: unknown, references: Set<string>): void {
  if (!isNode(node)) return;
  if (node.op === "id" && typeof node.args === "string") references.add(node.args);
  if (node.op === "rcall" && Array.isArray(node.args) && node.args[0] === "matches") translatePatternLiteral((node.args[2] as unknown[])[0]);
  if (node.op === "call" && Array.isArray(node.args) && node.args[0] === "matches") translatePatternLiteral((node.args[1] as unknown[])[1]);
  visitChildren(node.args, references);
}

function visitChildren(args: unknown, references: Set<string>): void {
  if (!Array.isArray(args)) return visitAst(args, references);
  for (const arg of args) {
    if (Array.isArray(arg)) visitChildren(arg, references);
    else visitAst(arg, references);
  }
}

function translatePatternLiteral(node: unknown): void {
  if (isNode(node) && node.op === "value" && typeof node.args === "string") node.args = translateRe2(node.args);
}
