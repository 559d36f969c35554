// Compiles a CRD's `x-kubernetes-validations` rule into a plain JavaScript predicate over the node's
// raw data, for the subset of CEL the Istio and Gateway API CRDs mostly use: has(), field access,
// ?:, !, &&, ||, ==, !=, <, <=, >, >=, + on ints, `in`, size(), contains/startsWith/endsWith,
// duration(), all/exists/exists_one/filter. The predicate answers true or false only when the rule's
// value is certain, and `undefined` whenever cel-js could raise an error or the data has another shape
// than the schema says; the caller then asks cel-js. A test checks both agree over generated data.
import { schemaRuleEnvironment } from "../src/cel/cel-environment.ts";
import { HAS_FIELD_FUNCTION, rewriteHasMacros } from "../src/cel/rewrite-has-macros.ts";
import type { Schema } from "./build-schemas.ts";
import { escapeCelName } from "./escape-cel-name.ts";

/**
 * What a value is in the generated code: CEL ints are JS safe integers (cel-js has BigInts),
 * durations are cel-js's own comparison value (milliseconds as a double), objects, maps and lists
 * are the raw data read the way the schema's converter would (defaults, nulls pruned).
 */
type NativeType =
  | { readonly k: "string" | "int" | "bool" | "duration" | "opaque" }
  | { readonly k: "list"; readonly item: NativeType | "empty" }
  | { readonly k: "object"; readonly schema: Schema }
  | { readonly k: "map"; readonly value: NativeType | "empty"; readonly skipNull: boolean };

/** JavaScript statements (`code`), then an expression (`val`) holding the value or `undefined` (unknown). */
interface Out {
  readonly code: string;
  readonly val: string;
  readonly type: NativeType;
}

interface Ast {
  readonly op: string;
  readonly args: unknown;
}

type Scope = ReadonlyMap<string, { readonly val: string; readonly type: NativeType }>;

/** Hoists a module-level constant (`const K1=expr;`) and returns its name. */
export type DeclareConstant = (prefix: string, expr: string) => string;

class Unsupported extends Error {}

const STRING: NativeType = { k: "string" };
const INT: NativeType = { k: "int" };
const BOOL: NativeType = { k: "bool" };
const DURATION: NativeType = { k: "duration" };
const OPAQUE: NativeType = { k: "opaque" };
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The body of `function(d)` answering `rule` for a node of `schema` given as raw data `d`, or undefined
 * when the rule uses anything outside the subset.
 */
export function compileNativeRule(rule: string, schema: Schema, constant: DeclareConstant): string | undefined {
  const self = nativeTypeOf(schema);
  if (!self) return undefined;
  let ast: unknown;
  try {
    ast = schemaRuleEnvironment().parse(rule.includes("has") ? rewriteHasMacros(rule) : rule).ast;
  } catch {
    return undefined;
  }
  try {
    const generator = new NativeGenerator(constant);
    const out = generator.expression(ast, new Map([["self", { val: "d", type: self }]]));
    if (out.type.k !== "bool") return undefined;
    return `if(!(${runtimeCheck("d", self)}))return;${out.code}return ${out.val};`;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** The type CEL sees for a schema node, mirroring build-schemas' converter; undefined for dyn values. */
function nativeTypeOf(s: Schema): NativeType | undefined {
  if (s["x-kubernetes-int-or-string"]) return undefined;
  if (s.type === "integer") return INT;
  if (s.type === "string") return STRING;
  if (s.type === "boolean") return BOOL;
  if (s.type === "number") return undefined;
  if (s.type === "array") return { k: "list", item: (s.items && nativeTypeOf(s.items)) ?? OPAQUE };
  if (Object.keys(s.properties ?? {}).length > 0) return { k: "object", schema: s };
  if (typeof s.additionalProperties === "object") {
    return { k: "map", value: nativeTypeOf(s.additionalProperties) ?? OPAQUE, skipNull: !s.additionalProperties.nullable };
  }
  return undefined;
}

/** A JS test that `v` holds a value of type `t` (the converter leaves other shapes as they are). */
function runtimeCheck(v: string, t: NativeType): string {
  switch (t.k) {
    case "string":
      return `typeof ${v}==="string"`;
    case "int":
      return `Number.isSafeInteger(${v})`;
    case "bool":
      return `typeof ${v}==="boolean"`;
    case "list":
      return `Array.isArray(${v})`;
    case "object":
    case "map":
      return `(typeof ${v}==="object"&&${v}!==null&&!Array.isArray(${v}))`;
    default:
      throw new Unsupported();
  }
}

function isAst(value: unknown): value is Ast {
  return typeof value === "object" && value !== null && "op" in value && "args" in value;
}

function ast(value: unknown): Ast {
  if (!isAst(value)) throw new Unsupported();
  return value;
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Unsupported();
  return value;
}

function sameType(a: NativeType | "empty", b: NativeType | "empty"): boolean {
  if (a === "empty" || b === "empty") return a === b;
  if (a.k === "list" && b.k === "list") return sameType(a.item, b.item);
  if (a.k === "map" && b.k === "map") return a.skipNull === b.skipNull && sameType(a.value, b.value);
  if (a.k === "object" && b.k === "object") return a.schema === b.schema;
  return a.k === b.k && a.k !== "opaque";
}

/** The type of `c ? a : b`: equal types, or an empty literal (`[]`, `{}`) beside a typed one. */
function unify(a: NativeType, b: NativeType): NativeType {
  if (a.k === "list" && b.k === "list" && (a.item === "empty" || b.item === "empty")) return a.item === "empty" ? b : a;
  if (a.k === "map" && b.k === "map" && (a.value === "empty" || b.value === "empty")) return a.value === "empty" ? b : a;
  if (!sameType(a, b)) throw new Unsupported();
  return a;
}

class NativeGenerator {
  private count = 0;
  private readonly constant: DeclareConstant;

  constructor(constant: DeclareConstant) {
    this.constant = constant;
  }

  private tmp(): string {
    return `_${this.count++}`;
  }

  expression(node: unknown, scope: Scope): Out {
    const n = ast(node);
    switch (n.op) {
      case "value":
        return this.literal(n.args);
      case "id": {
        const bound = typeof n.args === "string" ? scope.get(n.args) : undefined;
        if (!bound) throw new Unsupported();
        return { code: "", ...bound };
      }
      case ".": {
        const [target, name] = list(n.args);
        if (typeof name !== "string") throw new Unsupported();
        return this.member(this.expression(target, scope), name);
      }
      case "[]":
        return this.index(list(n.args), scope);
      case "call":
        return this.call(list(n.args), scope);
      case "rcall":
        return this.receiverCall(list(n.args), scope);
      case "!_": {
        const a = this.bool(n.args, scope);
        return this.derived(BOOL, a.code, `${a.val}===undefined?undefined:!${a.val}`);
      }
      case "&&":
      case "||":
        return this.logical(n.op, list(n.args), scope);
      case "?:":
        return this.ternary(list(n.args), scope);
      case "==":
      case "!=":
        return this.equality(n.op, list(n.args), scope);
      case "<":
      case "<=":
      case ">":
      case ">=":
        return this.comparison(n.op, list(n.args), scope);
      case "+":
        return this.add(list(n.args), scope);
      case "in":
        return this.membership(list(n.args), scope);
      case "list":
        return this.listLiteral(list(n.args), scope);
      case "map":
        if (list(n.args).length > 0) throw new Unsupported();
        return { code: "", val: "EO", type: { k: "map", value: "empty", skipNull: true } };
      default:
        throw new Unsupported();
    }
  }

  private literal(value: unknown): Out {
    if (typeof value === "string") return { code: "", val: JSON.stringify(value), type: STRING };
    if (typeof value === "boolean") return { code: "", val: String(value), type: BOOL };
    if (typeof value === "bigint" && value <= MAX_SAFE && value >= -MAX_SAFE) return { code: "", val: String(value), type: INT };
    throw new Unsupported();
  }

  /** `let _n=<expr>;` after `code`: an operation's result as a fresh variable. */
  private derived(type: NativeType, code: string, expr: string): Out {
    const r = this.tmp();
    return { code: `${code}let ${r}=${expr};`, val: r, type };
  }

  private typed(node: unknown, scope: Scope, kind: NativeType["k"]): Out {
    const out = this.expression(node, scope);
    if (out.type.k !== kind) throw new Unsupported();
    return out;
  }

  private bool(node: unknown, scope: Scope): Out {
    return this.typed(node, scope, "bool");
  }

  /** `o.f`: the field as the converter would give it; absent, null or mistyped is unknown. */
  private member(target: Out, name: string): Out {
    const x = this.tmp();
    const read = this.read(target, name, x);
    const check = runtimeCheck(x, read.type);
    return this.derived(read.type, `${target.code}let ${x};if(${target.val}!==undefined){${read.code}}`, `${x}!=null&&${check}?${x}:undefined`);
  }

  /** `has(o.f)`: whether the converted object (or map) has the field. */
  private has(target: Out, name: string): Out {
    const x = this.tmp();
    const read = this.read(target, name, x);
    return this.derived(BOOL, `${target.code}let ${x};if(${target.val}!==undefined){${read.code}}`, `${target.val}===undefined?undefined:${read.present}`);
  }

  /** Statements that put field `name` of the (checked) object `target.val` in `x`, as the converter would. */
  private read(target: Out, name: string, x: string): { code: string; present: string; type: NativeType } {
    const o = target.val;
    if (target.type.k === "map") {
      const type = target.type.value;
      if (type === "empty") throw new Unsupported();
      const key = JSON.stringify(name);
      const skip = target.type.skipNull ? `&&${o}[${key}]!==null` : "";
      return { code: `${x}=Object.hasOwn(${o},${key})?${o}[${key}]:undefined;`, present: `(Object.hasOwn(${o},${key})${skip})`, type };
    }
    if (target.type.k !== "object") throw new Unsupported();
    const found = Object.entries(target.type.schema.properties ?? {}).find(([key]) => escapeCelName(key) === name);
    if (!found || found[0] in Object.prototype) throw new Unsupported();
    const [key, prop] = found;
    let code = `${x}=${o}[${JSON.stringify(key)}];`;
    if (prop.default !== undefined) {
      const fallback = this.constant("D", JSON.stringify(prop.default));
      code += prop.nullable ? `if(${x}===undefined)${x}=${fallback};` : `if(${x}==null)${x}=${fallback};`;
    }
    const present = prop.nullable ? `${x}!==undefined` : `${x}!=null`;
    return { code, present, type: nativeTypeOf(prop) ?? OPAQUE };
  }

  private index(args: unknown[], scope: Scope): Out {
    const target = this.expression(args[0], scope);
    if (target.type.k !== "list" || target.type.item === "empty" || target.type.item.k === "opaque") throw new Unsupported();
    const i = this.typed(args[1], scope, "int");
    const item = target.type.item;
    const x = this.tmp();
    const code = `${target.code}${i.code}let ${x};if(${target.val}!==undefined&&${i.val}!==undefined&&${i.val}>=0&&${i.val}<${target.val}.length)${x}=${target.val}[${i.val}];`;
    return this.derived(item, code, `${x}!=null&&${runtimeCheck(x, item)}?${x}:undefined`);
  }

  private call(args: unknown[], scope: Scope): Out {
    const [name, params] = args;
    const [first, second] = list(params);
    if (name === "has") {
      const field = ast(first);
      const [target, fieldName] = field.op === "." ? list(field.args) : [];
      if (typeof fieldName !== "string") throw new Unsupported();
      return this.has(this.expression(target, scope), fieldName);
    }
    if (name === HAS_FIELD_FUNCTION) {
      const fieldName = ast(second);
      if (fieldName.op !== "value" || typeof fieldName.args !== "string") throw new Unsupported();
      return this.has(this.expression(first, scope), fieldName.args);
    }
    if (list(params).length !== 1) throw new Unsupported();
    if (name === "size") return this.size(this.expression(first, scope));
    if (name === "duration") return this.duration(first, scope);
    throw new Unsupported();
  }

  private receiverCall(args: unknown[], scope: Scope): Out {
    const [name, receiver, params] = args;
    const p = list(params);
    if (name === "size" && p.length === 0) return this.size(this.expression(receiver, scope));
    if ((name === "contains" || name === "startsWith" || name === "endsWith") && p.length === 1) {
      const a = this.typed(receiver, scope, "string");
      const b = this.typed(p[0], scope, "string");
      const method = name === "contains" ? "includes" : name;
      return this.derived(BOOL, a.code + b.code, `${a.val}===undefined||${b.val}===undefined?undefined:${a.val}.${method}(${b.val})`);
    }
    if ((name === "all" || name === "exists" || name === "exists_one" || name === "filter") && p.length === 2) {
      const variable = ast(p[0]);
      if (variable.op !== "id" || typeof variable.args !== "string") throw new Unsupported();
      return this.comprehension(name, this.expression(receiver, scope), variable.args, p[1], scope);
    }
    throw new Unsupported();
  }

  private size(a: Out): Out {
    if (a.type.k === "string") return this.derived(INT, a.code, `${a.val}===undefined?undefined:CPN(${a.val})`);
    if (a.type.k === "list") return this.derived(INT, a.code, `${a.val}===undefined?undefined:${a.val}.length`);
    if (a.type.k === "map") return this.derived(INT, a.code, `${a.val}===undefined?undefined:MSZ(${a.val},${a.type.skipNull})`);
    throw new Unsupported();
  }

  private duration(argument: unknown, scope: Scope): Out {
    const a = this.typed(argument, scope, "string");
    if (a.code === "" && a.val.startsWith('"')) return { code: "", val: this.constant("K", `DUR(${a.val})`), type: DURATION };
    return this.derived(DURATION, a.code, `${a.val}===undefined?undefined:DUR(${a.val})`);
  }

  /** CEL's `&&`/`||`: a decisive left side wins alone; otherwise an unknown left side leaves it unknown. */
  private logical(op: string, args: unknown[], scope: Scope): Out {
    const a = this.bool(args[0], scope);
    const b = this.bool(args[1], scope);
    const r = this.tmp();
    const decisive = op === "&&" ? "false" : "true";
    return {
      code: `${a.code}let ${r};if(${a.val}===${decisive})${r}=${decisive};else if(${a.val}!==undefined){${b.code}${r}=${b.val};}`,
      val: r,
      type: BOOL,
    };
  }

  private ternary(args: unknown[], scope: Scope): Out {
    const c = this.bool(args[0], scope);
    const a = this.expression(args[1], scope);
    const b = this.expression(args[2], scope);
    const r = this.tmp();
    return {
      code: `${c.code}let ${r};if(${c.val}===true){${a.code}${r}=${a.val};}else if(${c.val}===false){${b.code}${r}=${b.val};}`,
      val: r,
      type: unify(a.type, b.type),
    };
  }

  private equality(op: string, args: unknown[], scope: Scope): Out {
    const a = this.expression(args[0], scope);
    const b = this.expression(args[1], scope);
    if (a.type.k !== b.type.k || !["string", "int", "bool"].includes(a.type.k)) throw new Unsupported();
    return this.derived(BOOL, a.code + b.code, `${a.val}===undefined||${b.val}===undefined?undefined:${a.val}${op}=${b.val}`);
  }

  private comparison(op: string, args: unknown[], scope: Scope): Out {
    const a = this.expression(args[0], scope);
    const b = this.expression(args[1], scope);
    if (a.type.k !== b.type.k || (a.type.k !== "int" && a.type.k !== "duration")) throw new Unsupported();
    return this.derived(BOOL, a.code + b.code, `${a.val}===undefined||${b.val}===undefined?undefined:${a.val}${op}${b.val}`);
  }

  /** Int addition; a sum beyond the safe integers is left to cel-js (its overflow check is at int64). */
  private add(args: unknown[], scope: Scope): Out {
    const a = this.typed(args[0], scope, "int");
    const b = this.typed(args[1], scope, "int");
    const r = this.tmp();
    return {
      code: `${a.code}${b.code}let ${r}=${a.val}===undefined||${b.val}===undefined?undefined:${a.val}+${b.val};if(!Number.isSafeInteger(${r}))${r}=undefined;`,
      val: r,
      type: INT,
    };
  }

  /** `x in list` for scalars; any element of another type leaves it to cel-js. */
  private membership(args: unknown[], scope: Scope): Out {
    const a = this.expression(args[0], scope);
    const l = this.expression(args[1], scope);
    if (l.type.k !== "list" || !["string", "int", "bool"].includes(a.type.k)) throw new Unsupported();
    if (l.type.item !== "empty" && l.type.item.k !== a.type.k) throw new Unsupported();
    const r = this.tmp();
    const e = this.tmp();
    const loop = `${r}=false;for(let i=0;i<${l.val}.length;i++){const ${e}=${l.val}[i];if(!(${runtimeCheck(e, a.type)})){${r}=undefined;break;}if(${e}===${a.val})${r}=true;}`;
    return { code: `${a.code}${l.code}let ${r};if(${a.val}!==undefined&&${l.val}!==undefined){${loop}}`, val: r, type: BOOL };
  }

  private listLiteral(items: unknown[], scope: Scope): Out {
    if (items.length === 0) return { code: "", val: "EA", type: { k: "list", item: "empty" } };
    const outs = items.map((item) => this.expression(item, scope));
    const first = outs[0] as Out;
    if (!outs.every((o) => sameType(o.type, first.type))) throw new Unsupported();
    const type: NativeType = { k: "list", item: first.type };
    if (outs.every((o) => o.code === "" && /^("|-?\d|true|false)/.test(o.val))) {
      return { code: "", val: this.constant("L", `[${outs.map((o) => o.val).join(",")}]`), type };
    }
    const unknown = outs.map((o) => `${o.val}===undefined`).join("||");
    return this.derived(type, outs.map((o) => o.code).join(""), `${unknown}?undefined:[${outs.map((o) => o.val).join(",")}]`);
  }

  /**
   * all/exists/exists_one/filter over a list's elements or a map's keys. Every element is evaluated; one
   * unknown predicate makes the whole result unknown, so no short-circuit or error order can differ.
   */
  private comprehension(kind: string, target: Out, variable: string, predicate: unknown, scope: Scope): Out {
    const t = target.type;
    let elementType: NativeType;
    if (t.k === "list" && t.item !== "empty" && t.item.k !== "opaque") elementType = t.item;
    else if (t.k === "map") elementType = STRING;
    else throw new Unsupported();
    const e = this.tmp();
    const p = this.bool(predicate, new Map(scope).set(variable, { val: e, type: elementType }));
    const [r, count, seen, unknown, kept] = [this.tmp(), this.tmp(), this.tmp(), this.tmp(), this.tmp()];
    const step = `${seen}++;${p.code}if(${p.val}===undefined){${unknown}=true;break;}if(${p.val}){${count}++;${kind === "filter" ? `${kept}.push(${e});` : ""}}`;
    const loop = t.k === "list"
      ? `for(let i=0;i<${target.val}.length;i++){const ${e}=${target.val}[i];if(!(${runtimeCheck(e, elementType)})){${unknown}=true;break;}${step}}`
      : `for(const ${e} in ${target.val}){${t.skipNull ? `if(${target.val}[${e}]===null)continue;` : ""}${step}}`;
    const result = { all: `${count}===${seen}`, exists: `${count}>0`, exists_one: `${count}===1`, filter: kept }[kind] ?? "undefined";
    return {
      code: `${target.code}let ${r};if(${target.val}!==undefined){let ${count}=0,${seen}=0,${unknown}=false${kind === "filter" ? `,${kept}=[]` : ""};${loop}${r}=${unknown}?undefined:${result};}`,
      val: r,
      type: kind !== "filter" ? BOOL : t.k === "list" ? t : { k: "list", item: STRING },
    };
  }
}
