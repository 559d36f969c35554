import { code, type Dimension, type DimensionKind, type Phrase, prose, type Sample, type Words } from "./authz-probes.ts";

/** `external`: a CUSTOM policy matched, so the extension provider decides (the simulation cannot know its answer). */
export type AccessVerdict = "allow" | "deny" | "external";

export interface Decision {
  readonly verdict: AccessVerdict;
  /** The external authorizer's provider name(s), for `external`. */
  readonly provider?: string;
}

/** A set of requests whose answer changed the same way, in parts a renderer can escape one by one. */
export interface AccessDescription {
  /** Per dimension, the sample indexes it covers (a product of sets). */
  readonly cube: readonly (readonly number[])[];
  readonly who: Phrase;
  readonly verb: string;
  readonly method: Phrase;
  readonly path: Phrase;
  /** Ports, hosts, methods excluded, JWT and `when` attributes; empty when the change holds for all. */
  readonly condition: Phrase;
  /** The whole sentence in order. */
  readonly words: Phrase;
}

/** Sentences read best when the attributes a change does not depend on collapse first: conditions, then who, then what. */
const MERGE_ORDER: readonly DimensionKind[] = ["attribute", "host", "port", "requestPrincipal", "identity", "address", "path", "method"];

/**
 * Merges changed cells into products of sets, one dimension at a time: cells equal on every other
 * dimension join (exact, never over-approximating). Two passes let a later merge unlock an earlier one.
 */
function mergeCells(dims: readonly Dimension[], cells: readonly (readonly number[])[]): number[][][] {
  let cubes = cells.map((c) => c.map((i) => [i]));
  const order = MERGE_ORDER.flatMap((kind) => dims.flatMap((d, i) => (d.kind === kind ? [i] : [])));
  for (let pass = 0; pass < 2; pass++) {
    for (const d of order) {
      const groups = new Map<string, number[][]>();
      for (const cube of cubes) {
        const key = cube.map((s, j) => (j === d ? "" : s.join("."))).join("|");
        const group = groups.get(key);
        if (!group) groups.set(key, cube.map((s) => [...s]));
        else group[d] = [...new Set([...(group[d] ?? []), ...(cube[d] ?? [])])].sort((a, b) => a - b);
      }
      cubes = [...groups.values()];
    }
  }
  return cubes;
}

type Covered = { readonly kind: "any" } | { readonly kind: "only"; readonly samples: readonly Sample[] } | { readonly kind: "except"; readonly samples: readonly Sample[] };

/** All samples, some named ones, or (when the "anything else" class is in) all but some named ones. */
function covered(d: Dimension | undefined, indexes: readonly number[] | undefined): Covered {
  if (!d || !indexes || indexes.length === d.samples.length) return { kind: "any" };
  const inSet = new Set(indexes);
  const samples = d.samples.filter((_, i) => inSet.has(i));
  if (!samples.some((s) => s.other)) return { kind: "only", samples };
  return { kind: "except", samples: d.samples.filter((_, i) => !inSet.has(i)) };
}

/** `a`, `b` or `c`. */
function join(phrases: readonly Phrase[], last: string): Words[] {
  return phrases.flatMap((p, i) => [...(i === 0 ? [] : [prose(i === phrases.length - 1 ? ` ${last} ` : ", ")]), ...p]);
}

const labels = (samples: readonly Sample[]) => samples.map((s) => s.label);

function whoWords(identity: Covered, address: Covered): Words[] {
  const who: Words[] =
    identity.kind === "any"
      ? [prose("any caller")]
      : identity.kind === "only"
        ? join(labels(identity.samples), "or")
        : exceptIdentity(identity.samples);
  if (address.kind === "only") who.push(prose(" from "), ...join(labels(address.samples), "or"));
  if (address.kind === "except") who.push(prose(" from addresses outside "), ...join(labels(address.samples), "and"));
  return who;
}

/** The plaintext class is the one unnamed identity that is not "other": "any mTLS identity" excludes it. */
function exceptIdentity(excluded: readonly Sample[]): Words[] {
  const plaintext = excluded.some((s) => s.value === undefined);
  const named = excluded.filter((s) => s.value !== undefined);
  if (plaintext && named.length === 0) return [prose("any caller with an mTLS identity")];
  return [prose(plaintext ? "any mTLS identity except " : "any caller except "), ...join(labels(named), "and")];
}

function pathWords(path: Covered): Words[] {
  if (path.kind === "any") return [prose("any path")];
  if (path.kind === "only") return join(labels(path.samples), "or");
  return [prose("any path except "), ...join(labels(path.samples), "and")];
}

/** `when` phrases: `header `x` is `1``, `… is not `1``, `… is not set`. */
function attributeWords(d: Dimension, c: Covered): Words[] {
  if (c.kind === "any") return [];
  const header = /^request\.headers\[(.*)\]$/.exec(d.key);
  const subject = header ? [prose("header "), code(header[1] ?? "")] : [code(d.key)];
  if (c.kind === "only") return [prose(" when "), ...subject, prose(" is "), ...join(labels(c.samples), "or")];
  const set = c.samples.find((s) => s.label.length === 1 && s.label[0]?.text === "set" && !s.label[0].code);
  if (set) {
    const alsoIn = d.samples.filter((s) => !s.other && s !== set && !c.samples.includes(s));
    return [prose(" when "), ...subject, prose(" is not set"), ...(alsoIn.length > 0 ? [prose(" or is "), ...join(labels(alsoIn), "or")] : [])];
  }
  return [prose(" when "), ...subject, prose(c.samples.length > 1 ? " is none of " : " is not "), ...join(labels(c.samples), "or")];
}

function conditionWords(dims: readonly Dimension[], cube: readonly (readonly number[])[], method: Covered): Words[] {
  const out: Words[] = [];
  dims.forEach((d, i) => {
    const c = covered(d, cube[i]);
    if (d.kind === "port" && c.kind !== "any") out.push(prose(c.kind === "only" ? (c.samples.length > 1 ? " (ports " : " (port ") : " (any port except "), ...join(labels(c.samples), c.kind === "only" ? "or" : "and"), prose(")"));
    if (d.kind === "host" && c.kind !== "any") out.push(prose(c.kind === "only" ? (c.samples.length > 1 ? " for hosts " : " for host ") : " for any host except "), ...join(labels(c.samples), c.kind === "only" ? "or" : "and"));
    // JWT labels are whole phrases ("without a request JWT"), so the covered ones are listed as they are.
    if (d.kind === "requestPrincipal" && c.kind !== "any") out.push(prose(" "), ...join(labels(d.samples.filter((_, j) => cube[i]?.includes(j))), "or"));
    if (d.kind === "attribute") out.push(...attributeWords(d, c));
  });
  if (method.kind === "except") out.unshift(prose(" with a method other than "), ...join(labels(method.samples), "or"));
  return out;
}

function state(d: Decision): Words[] {
  if (d.verdict === "external") return [prose("decided by the external authorizer "), code(d.provider ?? "(no provider named)")];
  return [prose(d.verdict === "allow" ? "allowed" : "denied")];
}

/**
 * Sentences for one workload's requests whose answer went from `before` to `after`: "`frontend` in
 * `shop` can no longer POST `/api/orders` on `shop/orders` when header `x-debug` is `1`". A change into
 * or out of `external` says the external authorizer decides, never that it allows or denies.
 */
export function describeAccessChanges(dims: readonly Dimension[], workload: string, before: Decision, after: Decision, cells: readonly (readonly number[])[]): AccessDescription[] {
  const index = (kind: DimensionKind) => dims.findIndex((d) => d.kind === kind);
  return mergeCells(dims, cells).map((cube) => {
    const at = (kind: DimensionKind) => covered(dims[index(kind)], cube[index(kind)]);
    const method = at("method");
    const who = whoWords(at("identity"), at("address"));
    const methodPhrase: Words[] = method.kind === "only" ? join(labels(method.samples), "or") : [prose("call")];
    const path = pathWords(at("path"));
    const condition = conditionWords(dims, cube, method);
    const target = [...methodPhrase, prose(" "), ...path, prose(" on "), code(workload), ...condition];
    if (after.verdict === "external") {
      const verb = "are now decided by the external authorizer";
      const words = [prose("requests from "), ...who, prose(" to "), ...target, prose(` ${verb} `), code(after.provider ?? "(no provider named)"), prose(" (before: "), ...state(before), prose(")")];
      return { cube, who, verb, method: methodPhrase, path, condition, words };
    }
    const verb = after.verdict === "allow" ? "can now" : "can no longer";
    const note = before.verdict === "external" ? [prose(" (before: "), ...state(before), prose(")")] : [];
    return { cube, who, verb, method: methodPhrase, path, condition, words: [...who, prose(` ${verb} `), ...target, ...note] };
  });
}
