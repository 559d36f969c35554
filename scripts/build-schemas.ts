// Compiles the CRDs' OpenAPI schemas into plain JavaScript validators (src/generated/crd-validators.js).
// The Worker runtime forbids eval/new Function, so every check, regex and CEL rule reference is fixed
// here; the runtime side (messages, CEL evaluation) is src/validation/schema/. Identical sub-schemas
// (DestinationRule repeats trafficPolicy, versions share most of their schema) become one function.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { translateRe2 } from "../src/cel/translate-re2.ts";
import { KNOWN_KINDS } from "../src/mesh/kinds.ts";
import { compileNativeRule } from "./compile-native-rule.ts";
import { escapeCelName } from "./escape-cel-name.ts";

export interface Rule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

export interface Schema {
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  pattern?: string;
  minProperties?: number;
  maxProperties?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
  default?: unknown;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-validations"?: Rule[];
}

type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean" | "int-or-string";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CRD_DIRS = ["crds/istio", "crds/gateway-api"];
const OUT_DIR = join(ROOT, "src/generated");

/** Kubernetes accepts these string formats; any other format is dropped (apiextensions validation/formats.go). */
const STRING_FORMATS = new Set(["ipv4", "ipv6", "date-time", "datetime", "byte", "date", "uuid", "hostname", "cidr", "mac"]);

/** ObjectMeta as the API server decodes it: the CRDs leave `metadata` open, but typos there are lost too. */
const OBJECT_META: Schema = {
  type: "object",
  properties: {
    name: { type: "string" },
    generateName: { type: "string" },
    namespace: { type: "string" },
    selfLink: { type: "string" },
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer" },
    creationTimestamp: { type: "string", nullable: true },
    deletionTimestamp: { type: "string", nullable: true },
    deletionGracePeriodSeconds: { type: "integer" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    ownerReferences: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    finalizers: { type: "array", items: { type: "string" } },
    managedFields: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
  },
};

const TYPE_TESTS: Readonly<Record<SchemaType, (v: string) => string>> = {
  object: (v) => `typeof ${v}==="object"&&!Array.isArray(${v})`,
  array: (v) => `Array.isArray(${v})`,
  string: (v) => `typeof ${v}==="string"`,
  integer: (v) => `Number.isInteger(${v})`,
  number: (v) => `typeof ${v}==="number"`,
  boolean: (v) => `typeof ${v}==="boolean"`,
  "int-or-string": (v) => `typeof ${v}==="string"||Number.isInteger(${v})`,
};

/** A failing condition on a value and the statement that reports it. */
type Check = readonly [condition: string, report: string];

const emit = (checks: readonly Check[]): string => checks.map(([condition, report]) => `if(${condition})${report};`).join("");

function schemaType(s: Schema): SchemaType | undefined {
  if (s["x-kubernetes-int-or-string"]) return "int-or-string";
  return s.type as SchemaType | undefined;
}

/** Emits deduplicated declarations: the same text always gets the same name. */
class Declarations {
  private readonly names = new Map<string, string>();
  readonly lines: string[] = [];

  declare(prefix: string, make: (name: string) => string, key: string): string {
    const known = this.names.get(key);
    if (known) return known;
    const name = `${prefix}${this.names.size}`;
    this.names.set(key, name);
    this.lines.push(make(name));
    return name;
  }
}

class Compiler {
  readonly decls = new Declarations();
  readonly rules: Rule[] = [];
  private readonly ruleIndex = new Map<string, number>();
  readonly ruleSets: string[] = [];
  /** The schema node of each rule set, for tests that generate data for it. */
  readonly ruleSetSchemas: Schema[] = [];
  private readonly ruleSetIndex = new Map<string, number>();
  readonly formatsUsed = new Set<string>();
  /** Off: every check through the generic validators and cel-js only (tests compare both builds). */
  readonly fastPaths: boolean;

  constructor(fastPaths = true) {
    this.fastPaths = fastPaths;
  }

  private fn(prefix: string, params: string, body: string): string {
    return this.decls.declare(prefix, (name) => `function ${name}(${params}){${body}}`, `${prefix}(${params}){${body}}`);
  }

  private constant(prefix: string, expr: string): string {
    return this.decls.declare(prefix, (name) => `const ${name}=${expr};`, `${prefix}=${expr}`);
  }

  /** A validator for a structural schema node: types, value checks, unknown fields, list types, CEL. */
  structural(s: Schema): string {
    const t = schemaType(s);
    const enumCheck = this.enumCheck(s);
    const typeName = t === "int-or-string" ? "integer,string" : t;
    let body = s.nullable || !t ? `if(d===null){${enumCheck}return;}` : `if(d===null){T(d,P,E,"${typeName}");${enumCheck}return;}`;
    if (t) body += `if(!(${TYPE_TESTS[t]("d")})){T(d,P,E,"${typeName}");${enumCheck}return;}`;
    body += this.junctors(s, t === "object");
    body += this.stringChecks(s, t) + this.numberChecks(s, t) + this.arrayChecks(s, t, "structural") + enumCheck;
    body += this.objectChecks(s, t) + this.celDeferral(s, t);
    return this.fn("v", "d,P,E,C", body);
  }

  /**
   * A validator for a schema inside oneOf/anyOf/allOf/not. Kubernetes allows only value checks there
   * (no types for pruning, no CEL), and fields they do not name are not unknown.
   */
  private junctor(s: Schema): string {
    const t = schemaType(s);
    const enumCheck = this.enumCheck(s);
    let body = "";
    if (t) {
      const typeName = t === "int-or-string" ? "integer,string" : t;
      body += s.nullable ? `if(d===null){${enumCheck}return;}` : `if(d===null){T(d,P,E,"${typeName}");${enumCheck}return;}`;
      body += `if(!(${TYPE_TESTS[t]("d")})){T(d,P,E,"${typeName}");${enumCheck}return;}`;
    } else body += `if(d===null){${enumCheck}return;}`;
    body += this.junctors(s);
    body += this.stringChecks(s, t) + this.numberChecks(s, t) + this.arrayChecks(s, t, "junctor") + enumCheck;
    const props = Object.entries(s.properties ?? {});
    let object = "";
    for (const [key, prop] of props) {
      object += `{const x=${read(key)};if(x!==undefined&&x!==null){P.push(${JSON.stringify(key)});${this.junctor(prop)}(x,P,E);P.pop();}}`;
    }
    for (const key of s.required ?? []) object += `if(${read(key)}==null)R(P,${JSON.stringify(key)},E);`;
    object += this.propertyCount(s, `let n=0;for(const k in d)if(d[k]!==null)n++;`);
    if (object !== "") body += t === "object" ? object : `if(typeof d==="object"&&!Array.isArray(d)){${object}}`;
    return this.fn("j", "d,P,E", body);
  }

  private enumCheck(s: Schema): string {
    return emit(this.enumChecks(s, "d"));
  }

  private enumChecks(s: Schema, v: string): Check[] {
    if (!s.enum) return [];
    const set = this.constant("S", `new Set(${JSON.stringify(s.enum)})`);
    return [[`!${set}.has(${v})`, `I("enum",${v},P,E,${set})`]];
  }

  /**
   * For a scalar schema with nothing but value checks, a JS test on `v` that holds exactly when its
   * validator reports nothing, so callers skip the call (and the path push) for valid values.
   */
  private leafTest(s: Schema, v: string): string | undefined {
    const t = schemaType(s);
    if (!this.fastPaths || (t !== "string" && t !== "integer" && t !== "number" && t !== "boolean")) return undefined;
    if (s.oneOf || s.anyOf || s.allOf || s.not || s["x-kubernetes-validations"]?.length) return undefined;
    const checks = [...(t === "string" ? this.stringConditions(s, v) : []), ...(t === "integer" || t === "number" ? this.numberConditions(s, v) : []), ...this.enumChecks(s, v)];
    return [TYPE_TESTS[t](v), ...checks.map(([condition]) => `!(${condition})`)].join("&&");
  }

  /**
   * oneOf/anyOf/allOf/not checks. On a node known to be an object, alternatives made only of
   * `required` (Istio's protobuf oneofs) are first decided inline, and the generic junctor, which
   * builds the error report, runs only when the check fails.
   */
  private junctors(s: Schema, isObject = false): string {
    let out = "";
    const list = (prefix: string, alternatives: Schema[]): string =>
      this.constant(prefix, `[${alternatives.map((a) => this.junctor(a)).join(",")}]`);
    const guard = (alternatives: Schema[], passes: (tests: string[]) => string, call: string): string => {
      const tests = isObject && this.fastPaths ? alternatives.map(presenceTest) : [];
      return tests.length > 0 && tests.every((t) => t !== undefined) ? `if(!(${passes(tests as string[])}))${call}` : call;
    };
    if (s.oneOf) out += guard(s.oneOf, exactlyOne, `J1(${list("JO", s.oneOf)},d,P,E);`);
    // Kubernetes requires int-or-string to be spelled as this anyOf; it repeats the type check, so skip it.
    const intOrString = s["x-kubernetes-int-or-string"] && JSON.stringify(s.anyOf) === `[{"type":"integer"},{"type":"string"}]`;
    if (s.anyOf && !intOrString) out += guard(s.anyOf, (t) => t.join("||"), `J2(${list("JA", s.anyOf)},d,P,E);`);
    if (s.allOf) out += guard(s.allOf, (t) => t.join("&&"), `J3(${list("JL", s.allOf)},d,P,E);`);
    if (s.not) out += guard([s.not], (t) => `!${t[0] ?? ""}`, `J4(${this.junctor(s.not)},d,P,E);`);
    return out;
  }

  private stringConditions(s: Schema, v: string): Check[] {
    const out: Check[] = [];
    if (s.minLength !== undefined && s.minLength > 0) out.push([`${v}.length<${2 * s.minLength}&&cp(${v})<${s.minLength}`, `I("minLength",${v},P,E,${s.minLength})`]);
    if (s.maxLength !== undefined) out.push([`${v}.length>${s.maxLength}&&cp(${v})>${s.maxLength}`, `I("maxLength",${v},P,E,${s.maxLength})`]);
    if (s.pattern !== undefined) {
      const regex = this.constant("R", regexLiteral(s.pattern));
      const source = this.constant("Q", JSON.stringify(s.pattern));
      out.push([`!${regex}.test(${v})`, `I("pattern",${v},P,E,${source})`]);
    }
    if (s.format !== undefined && STRING_FORMATS.has(s.format)) {
      const format = s.format === "datetime" ? "date-time" : s.format;
      this.formatsUsed.add(format);
      out.push([`!FMT[${JSON.stringify(format)}](${v})`, `I("format",${v},P,E,${JSON.stringify(s.format)})`]);
    }
    return out;
  }

  private stringChecks(s: Schema, t: SchemaType | undefined): string {
    const out = emit(this.stringConditions(s, "d"));
    if (out === "" || t === "string") return out;
    return t === undefined || t === "int-or-string" ? `if(typeof d==="string"){${out}}` : "";
  }

  private numberConditions(s: Schema, v: string): Check[] {
    const out: Check[] = [];
    if (s.minimum !== undefined) out.push([`${v}${s.exclusiveMinimum ? "<=" : "<"}${s.minimum}`, `I("minimum",${v},P,E,${s.minimum},${Boolean(s.exclusiveMinimum)})`]);
    if (s.maximum !== undefined) out.push([`${v}${s.exclusiveMaximum ? ">=" : ">"}${s.maximum}`, `I("maximum",${v},P,E,${s.maximum},${Boolean(s.exclusiveMaximum)})`]);
    if (s.multipleOf !== undefined) out.push([`${v}%${s.multipleOf}!==0`, `I("multipleOf",${v},P,E,${s.multipleOf})`]);
    return out;
  }

  private numberChecks(s: Schema, t: SchemaType | undefined): string {
    const out = emit(this.numberConditions(s, "d"));
    if (out === "" || t === "integer" || t === "number") return out;
    return t === undefined || t === "int-or-string" ? `if(typeof d==="number"){${out}}` : "";
  }

  private arrayChecks(s: Schema, t: SchemaType | undefined, mode: "structural" | "junctor"): string {
    let out = "";
    if (s.items) {
      const item = mode === "structural" ? this.structural(s.items) : this.junctor(s.items);
      const args = mode === "structural" ? "y,P,E,C" : "y,P,E";
      const test = mode === "structural" ? this.leafTest(s.items, "y") : undefined;
      const call = `P.push(i);${item}(${args});P.pop();`;
      out += `for(let i=0;i<d.length;i++){const y=d[i];${test ? `if(!(${test})){${call}}` : call}}`;
    }
    if (s.minItems !== undefined && s.minItems > 0) out += `if(d.length<${s.minItems})I("minItems",d.length,P,E,${s.minItems});`;
    if (s.maxItems !== undefined) out += `if(d.length>${s.maxItems})I("maxItems",d.length,P,E,${s.maxItems});`;
    if (mode === "structural" && s["x-kubernetes-list-type"] === "set") out += "LS(d,P,E);";
    if (mode === "structural" && s["x-kubernetes-list-type"] === "map") {
      const keys = (s["x-kubernetes-list-map-keys"] ?? []).map((k) => [k, s.items?.properties?.[k]?.default ?? null]);
      out += `LM(d,P,E,${this.constant("K", JSON.stringify(keys))});`;
    }
    if (out === "" || t === "array") return out;
    return t === undefined ? `if(Array.isArray(d)){${out}}` : "";
  }

  private objectChecks(s: Schema, t: SchemaType | undefined): string {
    if (t !== "object" && t !== undefined) return "";
    const props = Object.entries(s.properties ?? {});
    const additional = s.additionalProperties;
    const preserve = s["x-kubernetes-preserve-unknown-fields"] === true || additional === true;
    let out = "";
    if (props.length > 0 || (additional === undefined && !preserve && t === "object")) {
      let cases = "";
      for (const [key, prop] of props) {
        // Non-nullable nulls are pruned before validation (and defaulted when a default exists).
        const nullable = prop.nullable && prop.default === undefined;
        const test = this.leafTest(prop, "x");
        const open = test ? (nullable ? `if(x===null||!(${test})){` : `if(x!==null&&!(${test})){`) : nullable ? "{" : "if(x!==null){";
        cases += `case ${JSON.stringify(key)}:${open}P.push(k);${this.structural(prop)}(x,P,E,C);P.pop();}break;`;
      }
      const names = this.constant("N", JSON.stringify(props.map(([key]) => key)));
      const unknown = preserve ? "" : `default:U(k,P,E,${names});`;
      if (cases !== "" || unknown !== "") out += `for(const k in d){const x=d[k];switch(k){${cases}${unknown}}}`;
    } else if (typeof additional === "object") {
      const open = additional.nullable ? "" : "if(x===null)continue;";
      const test = this.leafTest(additional, "x");
      const call = `P.push([k]);${this.structural(additional)}(x,P,E,C);P.pop();`;
      out += `for(const k in d){const x=d[k];${open}${test ? `if(!(${test})){${call}}` : call}}`;
    }
    for (const key of s.required ?? []) {
      const prop = s.properties?.[key];
      if (prop?.default !== undefined) continue; // defaulting fills it before validation
      out += prop?.nullable ? `if(${read(key)}===undefined)R(P,${JSON.stringify(key)},E);` : `if(${read(key)}==null)R(P,${JSON.stringify(key)},E);`;
    }
    const known = this.constant("N", JSON.stringify(props.map(([key]) => key)));
    const defaulted = props.filter(([, p]) => p.default !== undefined).map(([key]) => `+(${read(key)}==null?1:0)`).join("");
    const counting = props.length > 0
      ? `let n=0${defaulted};for(const k in d)if(d[k]!==null&&${known}.includes(k))n++;`
      : `let n=0;for(const k in d)if(d[k]!==null)n++;`;
    out += this.propertyCount(s, counting);
    if (out === "") return "";
    return t === "object" ? out : `if(typeof d==="object"&&d!==null&&!Array.isArray(d)){${out}}`;
  }

  private propertyCount(s: Schema, counting: string): string {
    if (s.minProperties === undefined && s.maxProperties === undefined) return "";
    let out = `{${counting}`;
    if (s.minProperties !== undefined) out += `if(n<${s.minProperties})I("minProperties",n,P,E,${s.minProperties});`;
    if (s.maxProperties !== undefined) out += `if(n>${s.maxProperties})I("maxProperties",n,P,E,${s.maxProperties});`;
    return `${out}}`;
  }

  /**
   * Records where CEL rules apply; they run after the walk, and only if no blocking error was found.
   * Rules compiled to native predicates (compile-native-rule.ts) are checked here instead: when all of a
   * node's native rules certainly hold, only its other rules are recorded, and often nothing at all.
   */
  private celDeferral(s: Schema, t: SchemaType | undefined): string {
    // Transition rules compare with the stored object; on create the API server skips them.
    const rules = (s["x-kubernetes-validations"] ?? []).filter((r) => !/\boldSelf\b/.test(r.rule) || r.optionalOldSelf);
    if (rules.length === 0) return "";
    const natives = rules.map((r) => {
      const body = !this.fastPaths ? undefined : compileNativeRule(r.rule, s, (prefix, expr) => this.constant(prefix, expr));
      return body === undefined ? undefined : this.fn("n", "d", body);
    });
    const all = this.ruleSet(s, t, rules, natives);
    const checks = natives.filter((n) => n !== undefined).map((n) => `${n}(d)===true`);
    if (checks.length === 0) return `C.push([${all},d,P.slice()]);`;
    const rest = rules.filter((_, i) => natives[i] === undefined);
    // With no rule left, a marker still tells the caller that rules exist (their skipping is reported).
    const passed = rest.length === 0 ? "if(C.length===0)C.push(NP);" : `C.push([${this.ruleSet(s, t, rest, rest.map(() => undefined))},d,P.slice()]);`;
    return `if(${checks.join("&&")}){${passed}}else C.push([${all},d,P.slice()]);`;
  }

  private ruleSet(s: Schema, t: SchemaType | undefined, rules: readonly Rule[], natives: readonly (string | undefined)[]): number {
    const indices = rules.map((r) => this.ruleNumber(r));
    const convert = this.converter(s) ?? "null";
    const typeName = t === "int-or-string" ? "" : (t ?? "");
    const text = `{t:${JSON.stringify(typeName)},c:${convert},r:${JSON.stringify(indices)},n:[${natives.map((n) => n ?? "null").join(",")}]}`;
    let set = this.ruleSetIndex.get(text);
    if (set === undefined) {
      set = this.ruleSets.length;
      this.ruleSets.push(text);
      this.ruleSetSchemas.push(s);
      this.ruleSetIndex.set(text, set);
    }
    return set;
  }

  private ruleNumber(rule: Rule): number {
    const spec: Rule = { rule: rule.rule };
    if (rule.message !== undefined) spec.message = rule.message;
    if (rule.messageExpression !== undefined) spec.messageExpression = rule.messageExpression;
    if (rule.fieldPath !== undefined) spec.fieldPath = rule.fieldPath;
    if (rule.reason !== undefined) spec.reason = rule.reason;
    const key = JSON.stringify(spec);
    let n = this.ruleIndex.get(key);
    if (n === undefined) {
      n = this.rules.length;
      this.rules.push(spec);
      this.ruleIndex.set(key, n);
    }
    return n;
  }

  /**
   * A function turning validated data into the value CEL sees as `self`: defaults applied, nulls and
   * unknown fields pruned, integers as BigInt, property names escaped, maps as Map. `undefined` means
   * the data can be used as it is.
   */
  private converter(s: Schema): string | undefined {
    const t = schemaType(s);
    if (t === "integer" || t === "int-or-string") return "CI";
    if (t === "string" || t === "boolean" || t === "number") return undefined;
    if (t === "array") {
      const item = s.items ? this.converter(s.items) : "DY";
      if (item === undefined) return undefined;
      return this.fn("c", "d", `if(!Array.isArray(d))return d;const o=new Array(d.length);for(let i=0;i<d.length;i++)o[i]=${item}(d[i]);return o;`);
    }
    const props = Object.entries(s.properties ?? {});
    if (props.length > 0) {
      let body = "if(typeof d!==\"object\"||d===null||Array.isArray(d))return d;const o={};let x;";
      for (const [key, prop] of props) {
        const name = escapeCelName(key);
        if (name === undefined) continue;
        const convert = this.converter(prop);
        const value = convert ? `${convert}(x)` : "x";
        body += `x=${read(key)};`;
        if (prop.default !== undefined) {
          const fallback = this.constant("D", JSON.stringify(prop.default));
          body += prop.nullable ? `if(x===undefined)x=${fallback};` : `if(x==null)x=${fallback};`;
        }
        body += prop.nullable ? `if(x!==undefined)o[${JSON.stringify(name)}]=x===null?null:${value};` : `if(x!=null)o[${JSON.stringify(name)}]=${value};`;
      }
      return this.fn("c", "d", `${body}return o;`);
    }
    if (typeof s.additionalProperties === "object") {
      const convert = this.converter(s.additionalProperties) ?? "";
      const skip = s.additionalProperties.nullable ? "" : "if(x===null)continue;";
      return this.fn("c", "d", `if(typeof d!=="object"||d===null||Array.isArray(d))return d;const m=new Map();for(const k in d){const x=d[k];${skip}m.set(k,${convert}(x));}return m;`);
    }
    return "DY";
  }
}

const PRESENCE_KEYWORDS = new Set(["required", "not", "anyOf", "allOf", "oneOf"]);

/**
 * A JS test, on an object `d`, that is true exactly when the junctor of `s` reports nothing, for a
 * schema made only of `required` and junctors of such; undefined for anything else.
 */
function presenceTest(s: Schema): string | undefined {
  if (!Object.keys(s).every((k) => PRESENCE_KEYWORDS.has(k))) return undefined;
  const parts = (s.required ?? []).map((key) => `${read(key)}!=null`);
  const nested = (alternatives: Schema[] | undefined, join: (tests: string[]) => string): boolean => {
    if (!alternatives) return true;
    const tests = alternatives.map(presenceTest);
    if (tests.some((t) => t === undefined)) return false;
    parts.push(`(${join(tests as string[])})`);
    return true;
  };
  const ok = nested(s.oneOf, exactlyOne) && nested(s.anyOf, (t) => t.join("||")) && nested(s.allOf, (t) => t.join("&&")) &&
    nested(s.not ? [s.not] : undefined, (t) => `!${t[0] ?? ""}`);
  if (!ok) return undefined;
  return parts.length === 0 ? "true" : `(${parts.join("&&")})`;
}

function exactlyOne(tests: string[]): string {
  return `${tests.map((t) => `(${t}?1:0)`).join("+")}===1`;
}

/** Property access that is safe for names Object.prototype also has (`constructor`, `toString`). */
function read(key: string): string {
  return key in Object.prototype ? `(Object.hasOwn(d,${JSON.stringify(key)})?d[${JSON.stringify(key)}]:undefined)` : `d[${JSON.stringify(key)}]`;
}

/** A regex literal for an RE2 pattern: with the `u` flag when the pattern allows it, like Go's rune matching. */
function regexLiteral(pattern: string): string {
  const source = translateRe2(pattern);
  for (const flags of ["u", ""]) {
    try {
      return String(new RegExp(source, flags));
    } catch {
      continue;
    }
  }
  throw new Error(`pattern ${JSON.stringify(pattern)} cannot be translated to a JavaScript regex`);
}

/** The version's schema as the API server validates a create: ObjectMeta typed, status dropped. */
function prepareRoot(schema: Schema, hasStatusSubresource: boolean): Schema {
  const properties: Record<string, Schema> = {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    ...schema.properties,
    metadata: OBJECT_META,
  };
  // With the status subresource, a create resets status, so nothing in it is validated.
  if (hasStatusSubresource) properties.status = { "x-kubernetes-preserve-unknown-fields": true };
  return { ...schema, type: "object", properties };
}

/** Drops the keys that never affect validation, so identical checks share one function. */
function stripDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "description" || k === "example" || k === "title" || k === "x-kubernetes-map-type") continue;
    out[k] = k === "default" || k === "enum" ? v : stripDocs(v);
  }
  return out;
}

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: { status?: unknown };
}

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

function readCrds(): Crd[] {
  const crds: Crd[] = [];
  for (const dir of CRD_DIRS) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".yaml")).sort()) {
      for (const doc of parseAllDocuments(readFileSync(join(ROOT, dir, file), "utf8"))) {
        const crd = doc.toJSON() as Crd | null;
        if (crd?.kind === "CustomResourceDefinition") crds.push(crd);
      }
    }
  }
  return crds;
}

const PRELUDE = String.raw`// Generated by scripts/build-schemas.ts from crds/: do not edit.
const cp=(s)=>{let n=0;for(let i=0;i<s.length;i++){const c=s.charCodeAt(i);if(c<0xdc00||c>0xdfff)n++;}return n;};
const jt=(d)=>d===null?"null":Array.isArray(d)?"array":typeof d==="number"?(Number.isInteger(d)?"integer":"number"):typeof d;
function T(d,P,E,t){E.push({k:"type",p:P.slice(),v:jt(d),a:t});}
function I(k,d,P,E,a,b){E.push({k,p:P.slice(),v:d,a,b});}
function U(k,P,E,n){const p=P.slice();p.push(k);E.push({k:"unknown",p,a:n});}
function R(P,k,E){const p=P.slice();p.push(k);E.push({k:"required",p});}
// Junctors run each alternative on E itself and cut its errors off again, so passing ones allocate nothing.
function J1(fs,d,P,E){const n=E.length;let ok=0,end=n;for(const f of fs){f(d,P,E);if(E.length===end){ok++;E.length=n;end=n;}else if(ok===0&&end===n)end=E.length;else E.length=end;}if(ok!==1)E.splice(n,0,{k:"oneOf",p:P.slice(),a:ok});}
function J2(fs,d,P,E){const n=E.length;let end=n;for(const f of fs){f(d,P,E);if(E.length===end){E.length=n;return;}if(end===n)end=E.length;else E.length=end;}E.splice(n,0,{k:"anyOf",p:P.slice()});}
function J3(fs,d,P,E){let failed=0;for(const f of fs){const m=E.length;f(d,P,E);if(E.length>m)failed++;}if(failed>0)E.push({k:"allOf",p:P.slice(),a:failed===fs.length});}
function J4(f,d,P,E){const n=E.length;f(d,P,E);const passed=E.length===n;E.length=n;if(passed)E.push({k:"not",p:P.slice()});}
const sk=(x)=>typeof x==="object"&&x!==null?"j"+JSON.stringify(x):typeof x+":"+String(x);
function LS(d,P,E){const seen=new Map();for(let i=0;i<d.length;i++){const key=sk(d[i]);const n=seen.get(key)??0;seen.set(key,n+1);if(n===1){const p=P.slice();p.push(i);E.push({k:"duplicate",p,v:d[i]});}}}
function LM(d,P,E,keys){const seen=new Set();for(let i=0;i<d.length;i++){const x=d[i];if(x===null)continue;if(typeof x!=="object"||Array.isArray(x)){const p=P.slice();p.push(i);E.push({k:"listMapItem",p,v:x});return;}const pairs=[];let key="";for(const [name,dflt] of keys){let v=x[name];if(v===undefined||v===null)v=dflt;if(v===null){key=undefined;break;}pairs.push([name,v]);key+=sk(v)+"\u0000";}if(key===undefined)continue;if(seen.has(key)){const p=P.slice();p.push(i);E.push({k:"duplicate",p,v:pairs,a:"map"});}else seen.add(key);}}
const CI=(d)=>Number.isInteger(d)?BigInt(d):d;
function DY(d){if(Array.isArray(d))return d.map(DY);if(typeof d==="object"&&d!==null){const m=new Map();for(const k in d)m.set(k,DY(d[k]));return m;}return CI(d);}
const EA=Object.freeze([]),EO=Object.freeze({}),NP=Object.freeze([-1,null,EA]);
function CPN(s){let n=0;for(let i=0;i<s.length;i++){const c=s.charCodeAt(i);if(c>=0xd800&&c<=0xdbff&&i+1<s.length){const e=s.charCodeAt(i+1);if(e>=0xdc00&&e<=0xdfff)i++;}n++;}return n;}
function MSZ(o,k){let n=0;for(const x in o)if(!k||o[x]!==null)n++;return n;}
// cel-js's duration(): signed components /(\d*\.?\d*)(ns|us|µs|ms|s|m|h)/ read one after another, fractions cut at 13 digits.
const DUS={ns:[1,1,1e13],us:[1e3,1,1e10],ms:[1e6,1,1e7],s:[1e9,1,1e4],m:[6e10,6,1e3],h:[36e11,36,1e2]};
function DUR(s){const L=s.length;if(L===0)return;const neg=s.charCodeAt(0)===45;let i=neg||s.charCodeAt(0)===43?1:0,t=0;do{let w=0,wd=0,f=0,fd=0;for(let c;i<L&&(c=s.charCodeAt(i)-48)>=0&&c<=9;i++,wd++)w=w*10+c;if(s.charCodeAt(i)===46)for(i++;i<L;i++,fd++){const c=s.charCodeAt(i)-48;if(c<0||c>9)break;if(fd<13)f=f*10+c;}const c=s.charCodeAt(i),n=s.charCodeAt(i+1);let u;if(n===115&&(c===110||c===117||c===181||c===109)){u=c===110?DUS.ns:c===109?DUS.ms:DUS.us;i+=2;}else if(c===115||c===109||c===104){u=c===115?DUS.s:c===109?DUS.m:DUS.h;i++;}else return;if(wd>15)return;t+=w*u[0];if(fd>0){const F=(fd<13?f*10**(13-fd):f)*u[1];t+=(F-F%u[2])/u[2];}if(!Number.isSafeInteger(t))return;}while(i<L);const sec=(t-t%1e9)/1e9,ns=t%1e9;return neg?(0-sec)*1000+(-ns)/1e6:sec*1000+ns/1e6;}
`;

// Format checks: the subset of Kubernetes' string formats (kube-openapi strfmt) the CRDs can use.
const FORMATS: Readonly<Record<string, string>> = {
  ipv4: String.raw`(s)=>/^(?:(?:0*(?:25[0-5]|2[0-4]\d|1?\d?\d))\.){3}0*(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(s)`,
  ipv6: String.raw`(s)=>s.includes(":")&&/^(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,7}:|(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,5}(?::[0-9a-fA-F]{1,4}){1,2}|(?:[0-9a-fA-F]{1,4}:){1,4}(?::[0-9a-fA-F]{1,4}){1,3}|(?:[0-9a-fA-F]{1,4}:){1,3}(?::[0-9a-fA-F]{1,4}){1,4}|(?:[0-9a-fA-F]{1,4}:){1,2}(?::[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:(?::[0-9a-fA-F]{1,4}){1,6}|:(?:(?::[0-9a-fA-F]{1,4}){1,7}|:)|(?:[0-9a-fA-F]{1,4}:){6}(?:\d{1,3}\.){3}\d{1,3}|::(?:[fF]{4}:)?(?:\d{1,3}\.){3}\d{1,3})$/.test(s)`,
  "date-time": String.raw`(s)=>/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(s)`,
  date: String.raw`(s)=>/^\d{4}-\d{2}-\d{2}$/.test(s)`,
  byte: String.raw`(s)=>/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)`,
  uuid: String.raw`(s)=>/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(s)`,
  hostname: String.raw`(s)=>s.length<=255&&/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/.test(s)`,
  cidr: String.raw`(s)=>{const i=s.lastIndexOf("/");if(i<0)return false;const a=s.slice(0,i),m=s.slice(i+1);if(!/^\d+$/.test(m))return false;return FMT.ipv4(a)?Number(m)<=32:FMT.ipv6(a)&&Number(m)<=128;}`,
  mac: String.raw`(s)=>/^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(s)`,
};

const DECLARATION = `// Generated by scripts/build-schemas.ts from crds/: do not edit.
/** A step of a field path: a property name, a list index, or a map key (as a one-element array). */
export type PathSegment = string | number | readonly [string];

/** A schema violation as the generated validators report it; messages are made in src/validation/schema. */
export interface SchemaIssue {
  readonly k: string;
  readonly p: PathSegment[];
  readonly v?: unknown;
  readonly a?: unknown;
  readonly b?: unknown;
}

/** Where CEL rules apply: [rule set index, the node's data, its path]; index -1: rules that all held natively. */
export type RuleSite = [number, unknown, PathSegment[]];

export interface CrdRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
}

export interface CrdRuleSet {
  /** The node's OpenAPI type ("" for int-or-string and untyped nodes), as the API server prints it. */
  readonly t: string;
  /** Turns the node's data into CEL's \`self\`; null when the data is already fit. */
  readonly c: ((data: unknown) => unknown) | null;
  readonly r: readonly number[];
  /**
   * Per rule of \`r\`, its native predicate over the node's raw data (before \`c\`), or null: true or
   * false when that is certainly the rule's result, undefined when only CEL can tell.
   */
  readonly n: readonly (((data: unknown) => boolean | undefined) | null)[];
}

export type CrdValidator = (data: unknown, path: PathSegment[], issues: SchemaIssue[], sites: RuleSite[]) => void;

/** Keyed by \`group/version/Kind\`. */
export declare const CRD_VALIDATORS: Readonly<Record<string, CrdValidator>>;
export declare const CRD_RULES: readonly CrdRule[];
export declare const CRD_RULE_SETS: readonly CrdRuleSet[];
`;

/**
 * The JavaScript module validating each root schema (keyed as callers look them up): plain ESM with no
 * imports, no eval, regexes as literals. Exposed for tests of the generator itself.
 */
export function generateValidatorModule(roots: Readonly<Record<string, Schema>>, options: { fastPaths?: boolean } = {}): string {
  const compiler = new Compiler(options.fastPaths ?? true);
  const entries = Object.entries(roots).map(([key, schema]) => `${JSON.stringify(key)}:${compiler.structural(stripDocs(schema) as Schema)}`);
  const formats = [...compiler.formatsUsed].map((f) => `${JSON.stringify(f)}:${FORMATS[f] ?? "()=>true"}`);
  return [
    PRELUDE,
    `const FMT={${formats.join(",")}};`,
    ...compiler.decls.lines,
    `export const CRD_RULES=${JSON.stringify(compiler.rules)};`,
    `export const CRD_RULE_SETS=[${compiler.ruleSets.join(",")}];`,
    `export const CRD_VALIDATORS={${entries.join(",")}};`,
    "",
  ].join("\n");
}

/** The root schema of every served version of the kinds meshgate models, keyed `group/version/Kind`. */
export function readRoots(): Record<string, Schema> {
  const wanted = new Set<string>(KNOWN_KINDS.filter((k) => k.family !== "inventory").map((k) => `${k.group}/${k.kind}`));
  const roots: Record<string, Schema> = {};
  for (const crd of readCrds()) {
    const { group, names, versions } = crd.spec;
    if (!wanted.has(`${group}/${names.kind}`)) continue;
    for (const version of versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!version.served || !schema) continue;
      roots[`${group}/${version.name}/${names.kind}`] = prepareRoot(schema, version.subresources?.status !== undefined);
    }
  }
  return roots;
}

/** The schema node of each entry of the built CRD_RULE_SETS, in the same order (for tests that generate data). */
export function ruleSetSchemas(): Schema[] {
  const compiler = new Compiler();
  for (const schema of Object.values(readRoots())) compiler.structural(stripDocs(schema) as Schema);
  return compiler.ruleSetSchemas;
}

/** Reads the CRDs, compiles every served version of the kinds meshgate models, writes src/generated/. */
export function buildSchemas(): { file: string; bytes: number; validators: number } {
  const roots = readRoots();
  const code = generateValidatorModule(roots);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, "crd-validators.js");
  writeFileSync(file, code);
  writeFileSync(join(OUT_DIR, "crd-validators.d.ts"), DECLARATION);
  return { file, bytes: Buffer.byteLength(code), validators: Object.keys(roots).length };
}
