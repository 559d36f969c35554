import { addressSamples } from "./authz-address-samples.ts";
import { type AccessProbe, attributeMatches } from "./authz-match.ts";
import type { AuthzAttribute, AuthzPolicy } from "./authz-rules.ts";
import { sampleForPattern } from "./match-authz-value.ts";

/** A run of a sentence: prose, or a name from the repo shown as code. Renderers escape each by its kind. */
export interface Words {
  readonly text: string;
  readonly code?: true;
}
export type Phrase = readonly Words[];

export const prose = (text: string): Words => ({ text });
export const code = (text: string): Words => ({ text, code: true });

/** One class of requests along a dimension, and the value a probe sends for it. */
export interface Sample {
  /** Absent: the attribute is not sent (no mTLS identity, no header). */
  readonly value?: string;
  readonly label: Phrase;
  /** Stands for every value no policy names, rather than for one named value or pattern. */
  readonly other?: true;
}

export type DimensionKind = "identity" | "address" | "requestPrincipal" | "method" | "path" | "port" | "host" | "attribute";

export interface Dimension {
  readonly kind: DimensionKind;
  /** The `when` key of an `attribute` dimension (`request.headers[x-debug]`); the kind otherwise. */
  readonly key: string;
  readonly samples: readonly Sample[];
}

/** The requests asked of one workload on both sides: one per cell of the dimensions' cross product. */
export interface WorkloadProbes {
  readonly dimensions: readonly Dimension[];
  /** Per probe, the index of its sample in each dimension. */
  readonly cells: readonly (readonly number[])[];
  readonly probes: readonly AccessProbe[];
  /** Samples were dropped to stay under MAX_PROBES: some changes may go unreported. */
  readonly capped: boolean;
}

/**
 * The cross product grows with every value the policies name (callers × addresses × methods × paths ×
 * ports × hosts × each `when` key), so it is capped: past this, samples are dropped from the largest
 * dimension (never its "other" class) and the result says `capped`. 4096 probes × a handful of policies
 * stays in the low milliseconds per workload, and only workloads whose policies changed are simulated.
 */
export const MAX_PROBES = 4096;

const IDENTITY: ReadonlySet<AuthzAttribute> = new Set(["principal", "namespace", "serviceAccount", "trustDomain"]);
const METHOD_CANDIDATES = ["POST", "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
const PATH_CANDIDATES = ["/", "/unnamed", "/unnamed/path"];
const PORT_CANDIDATES = ["80", "8080", "443", "9080", "65000"];
const HOST_CANDIDATES = ["unnamed.example", "unnamed.invalid"];
const IDENTITY_CANDIDATES = ["cluster.local/ns/unnamed/sa/unnamed", "unnamed.domain/ns/unnamed-ns/sa/unnamed-sa"];
const JWT_CANDIDATES = ["unnamed-issuer/unnamed-subject", "x/y"];

function namespaceOf(principal: string | undefined): string | undefined {
  return principal === undefined ? undefined : /\/ns\/([^/]+)\//.exec(principal)?.[1];
}

/** The values each attribute is tested against, over every rule of every policy. */
function namedValues(policies: readonly AuthzPolicy[]): Map<AuthzAttribute, string[]> {
  const out = new Map<AuthzAttribute, Set<string>>();
  for (const p of policies) {
    for (const rule of p.rules) {
      for (const t of [...rule.from.flat(), ...rule.to.flat(), ...rule.when]) {
        let set = out.get(t.attribute);
        if (!set) out.set(t.attribute, (set = new Set()));
        for (const v of t.values) set.add(v);
      }
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** A probe that sends just this one attribute value. */
function probeWith(kind: DimensionKind, key: string, value: string | undefined): AccessProbe {
  if (value === undefined) return { caller: "" };
  switch (kind) {
    case "identity": {
      const namespace = namespaceOf(value);
      return { caller: "", principal: value, ...(namespace !== undefined ? { namespace } : {}) };
    }
    case "address":
      return { caller: "", address: value };
    case "requestPrincipal":
      return { caller: "", requestPrincipal: value };
    case "method":
      return { caller: "", method: value };
    case "path":
      return { caller: "", path: value };
    case "port":
      return { caller: "", port: value };
    case "host":
      return { caller: "", host: value };
    case "attribute":
      return { caller: "", attributes: { [key]: value } };
  }
}

/** The first candidate no named value (other than the match-all `*`) matches: the "anything else" class. */
function unnamed(kind: DimensionKind, key: string, candidates: readonly string[], named: ReadonlyMap<AuthzAttribute, readonly string[]>, attributes: readonly AuthzAttribute[]): string | undefined {
  return candidates.find((c) => {
    const probe = probeWith(kind, key, c);
    return !attributes.some((a) => (named.get(a) ?? []).some((v) => v !== "*" && attributeMatches(a, v, probe)));
  });
}

/** Samples deduplicated by value: the first label wins. */
function unique(samples: readonly Sample[]): Sample[] {
  const seen = new Set<string | undefined>();
  return samples.filter((s) => (seen.has(s.value) ? false : (seen.add(s.value), true)));
}

function principalLabel(principal: string): Phrase {
  const m = /^cluster\.local\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(principal);
  if (m) return [code(m[2] ?? ""), prose(" in "), code(m[1] ?? "")];
  return principal.includes("*") ? [prose("identities matching "), code(principal)] : [code(principal)];
}

function identitySamples(named: ReadonlyMap<AuthzAttribute, readonly string[]>): Sample[] {
  const of = (a: AuthzAttribute) => (named.get(a) ?? []).filter((v) => v !== "*");
  const samples: Sample[] = [{ label: [prose("callers without an mTLS identity")] }];
  for (const p of of("principal")) samples.push({ value: sampleForPattern(p), label: principalLabel(p) });
  for (const s of of("serviceAccount")) {
    const [ns, sa] = s.split("/");
    samples.push({ value: `cluster.local/ns/${ns ?? ""}/sa/${sa ?? ""}`, label: [code(sa ?? ""), prose(" in "), code(ns ?? "")] });
  }
  const named_ = new Set(samples.map((s) => namespaceOf(s.value)));
  for (const n of of("namespace")) {
    const ns = sampleForPattern(n);
    const label = n.includes("*") ? [prose("workloads in namespaces matching "), code(n)] : [prose(named_.has(ns) ? "other workloads in namespace " : "workloads in namespace "), code(n)];
    samples.push({ value: `cluster.local/ns/${ns}/sa/default`, label });
  }
  for (const td of of("trustDomain")) samples.push({ value: `${sampleForPattern(td)}/ns/default/sa/default`, label: [prose("identities of trust domain "), code(td)] });
  const other = unnamed("identity", "identity", IDENTITY_CANDIDATES, named, [...IDENTITY]);
  if (other !== undefined) samples.push({ value: other, label: [prose("any other mTLS identity")], other: true });
  return unique(samples);
}

function plainSamples(kind: DimensionKind, attribute: AuthzAttribute, candidates: readonly string[], named: ReadonlyMap<AuthzAttribute, readonly string[]>): Sample[] {
  const label = (v: string): Phrase => (kind === "method" && /^[A-Z]+$/.test(v) ? [prose(v)] : [code(v)]);
  const samples: Sample[] = (named.get(attribute) ?? []).filter((v) => v !== "*").map((v) => ({ value: sampleForPattern(v), label: label(v) }));
  const other = unnamed(kind, kind, candidates, named, [attribute]);
  if (other !== undefined) samples.push({ value: other, label: [prose(`other ${kind}s`)], other: true });
  return unique(samples);
}

function jwtSamples(named: ReadonlyMap<AuthzAttribute, readonly string[]>): Sample[] {
  const samples: Sample[] = [{ label: [prose("without a request JWT")] }];
  for (const v of (named.get("requestPrincipal") ?? []).filter((x) => x !== "*")) samples.push({ value: sampleForPattern(v), label: [prose("with JWT principal "), code(v)] });
  const other = unnamed("requestPrincipal", "requestPrincipal", JWT_CANDIDATES, named, ["requestPrincipal"]);
  if (other !== undefined) samples.push({ value: other, label: [prose("with another JWT principal")], other: true });
  return unique(samples);
}

function addressDimension(named: ReadonlyMap<AuthzAttribute, readonly string[]>): Sample[] {
  const blocks = named.get("address") ?? [];
  const { inside, outside } = addressSamples(blocks);
  const samples: Sample[] = [...inside].map(([block, value]) => ({ value, label: [code(block)] }));
  if (outside !== undefined) samples.push({ value: outside, label: [prose("other addresses")], other: true });
  return unique(samples);
}

/** A `when` key: absent (standing for every value not named) and a value per named pattern. */
function attributeSamples(values: readonly string[]): Sample[] {
  return unique([{ label: [prose("not set")], other: true }, ...values.map((v): Sample => ({ value: sampleForPattern(v), label: v === "*" ? [prose("set")] : [code(v)] }))]);
}

function dimensions(policies: readonly AuthzPolicy[]): Dimension[] {
  const named = namedValues(policies);
  const dims: Dimension[] = [];
  const add = (kind: DimensionKind, key: string, samples: Sample[]) => {
    if (samples.length > 1) dims.push({ kind, key, samples });
  };
  if ([...IDENTITY].some((a) => named.has(a))) add("identity", "identity", identitySamples(named));
  if (named.has("address")) add("address", "address", addressDimension(named));
  if (named.has("requestPrincipal")) add("requestPrincipal", "requestPrincipal", jwtSamples(named));
  if (named.has("method")) add("method", "method", plainSamples("method", "method", METHOD_CANDIDATES, named));
  if (named.has("path")) add("path", "path", plainSamples("path", "path", PATH_CANDIDATES, named));
  if (named.has("port")) add("port", "port", plainSamples("port", "port", PORT_CANDIDATES, named));
  if (named.has("host")) add("host", "host", plainSamples("host", "host", HOST_CANDIDATES, named));
  for (const [attribute, values] of [...named].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (attribute.startsWith("attr:")) add("attribute", attribute.slice("attr:".length), attributeSamples(values));
  }
  return dims;
}

/** Drops named samples from the largest dimension until the product fits (see MAX_PROBES). */
function cap(dims: Dimension[]): { dims: Dimension[]; capped: boolean } {
  let capped = false;
  const size = () => dims.reduce((n, d) => n * d.samples.length, 1);
  while (size() > MAX_PROBES) {
    const largest = dims.reduce((a, b) => (b.samples.length > a.samples.length ? b : a));
    const drop = largest.samples.findLastIndex((s) => !s.other);
    if (drop < 0 || largest.samples.length <= 2) break;
    dims = dims.map((d) => (d === largest ? { ...d, samples: d.samples.filter((_, i) => i !== drop) } : d));
    capped = true;
  }
  return { dims, capped };
}

function text(phrase: Phrase): string {
  return phrase.map((w) => w.text).join("");
}

function probeOf(dims: readonly Dimension[], cell: readonly number[]): AccessProbe {
  let probe: AccessProbe = { caller: "any caller" };
  const attributes: Record<string, string> = {};
  let who = "";
  let from = "";
  dims.forEach((d, i) => {
    const s = d.samples[cell[i] ?? 0];
    if (!s) return;
    if (d.kind === "identity") who = text(s.label);
    if (d.kind === "address") from = ` from ${text(s.label)}`;
    if (s.value === undefined) return;
    if (d.kind === "attribute") attributes[d.key] = s.value;
    else probe = { ...probe, ...probeWith(d.kind, d.key, s.value), caller: "" };
  });
  const caller = `${who || "any caller"}${from}`;
  return Object.keys(attributes).length > 0 ? { ...probe, caller, attributes } : { ...probe, caller };
}

/**
 * The requests to ask a workload's policies (both sides' policies, so both sides are asked the same):
 * per attribute the policies test, a sample inside each named value or pattern and one for "anything
 * else" (a caller without mTLS identity, an address outside every block, a method no policy names, an
 * absent header), crossed. An attribute no policy tests is not varied: it cannot change an answer.
 */
export function authzProbes(policies: readonly AuthzPolicy[]): WorkloadProbes {
  const { dims, capped } = cap(dimensions(policies));
  let cells: number[][] = [[]];
  for (const d of dims) cells = cells.flatMap((c) => d.samples.map((_, i) => [...c, i]));
  return { dimensions: dims, cells, probes: cells.map((c) => probeOf(dims, c)), capped };
}
