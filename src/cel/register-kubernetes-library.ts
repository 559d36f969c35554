import type { Environment } from "@marcbachmann/cel-js";
import { type GoUrl, isGoRequestUri, parseGoUrl } from "./parse-go-url.ts";
import { translateRe2 } from "./translate-re2.ts";

/** A value of the Kubernetes CEL `URL` type (k8s.io/apiserver/pkg/cel/library/urls.go). */
export class KubernetesUrl {
  readonly url: GoUrl;

  constructor(url: GoUrl) {
    this.url = url;
  }
}

/**
 * Adds the Kubernetes CEL libraries that cel-js lacks and CRD rules or policies use: URLs (`url()`,
 * `isURL()`, `getScheme()`, ...), the extended strings (`charAt`, `replace`, `reverse`), lists
 * (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`) and regex (`find`, `findAll`).
 * See https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-cel-libraries.
 */
export function registerKubernetesLibrary(env: Environment): Environment {
  registerUrls(env);
  registerStrings(env);
  registerLists(env);
  registerRegex(env);
  return env;
}

function registerUrls(env: Environment): void {
  env
    .registerType("URL", KubernetesUrl)
    .registerFunction("url(string): URL", (text: string) => {
      try {
        return new KubernetesUrl(parseGoUrl(text));
      } catch (error) {
        throw new Error(`URL parse error during conversion from string: ${(error as Error).message}`, { cause: error });
      }
    })
    .registerFunction("isURL(string): bool", (text: string) => isGoRequestUri(text))
    .registerFunction("URL.getScheme(): string", (u: KubernetesUrl) => u.url.scheme)
    .registerFunction("URL.getHost(): string", (u: KubernetesUrl) => u.url.host)
    .registerFunction("URL.getHostname(): string", (u: KubernetesUrl) => splitHostPort(u.url.host).hostname)
    .registerFunction("URL.getPort(): string", (u: KubernetesUrl) => splitHostPort(u.url.host).port)
    .registerFunction("URL.getEscapedPath(): string", (u: KubernetesUrl) => u.url.escapedPath)
    .registerFunction("URL.getQuery(): map<string, list<string>>", (u: KubernetesUrl) => parseQuery(u.url.rawQuery));
}

/** Go's URL.Hostname()/Port(): the port only when it is all digits; brackets of an IPv6 literal dropped. */
function splitHostPort(hostPort: string): { hostname: string; port: string } {
  let hostname = hostPort;
  let port = "";
  const colon = hostname.lastIndexOf(":");
  if (colon >= 0 && /^:[0-9]*$/.test(hostname.slice(colon))) {
    port = hostname.slice(colon + 1);
    hostname = hostname.slice(0, colon);
  }
  if (hostname.startsWith("[") && hostname.endsWith("]")) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** Go's url.ParseQuery, keeping what it can: pairs with `;` or bad escapes are skipped, as Go does. */
function parseQuery(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of rawQuery.split("&")) {
    if (part === "" || part.includes(";")) continue;
    const eq = part.indexOf("=");
    try {
      const key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replaceAll("+", " "));
      const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replaceAll("+", " "));
      out.set(key, [...(out.get(key) ?? []), value]);
    } catch {
      continue;
    }
  }
  return out;
}

function registerStrings(env: Environment): void {
  env
    .registerFunction("string.charAt(int): string", (s: string, i: bigint) => {
      const chars = [...s];
      const index = Number(i);
      if (index < 0 || index > chars.length) throw new Error(`index out of range: ${index}`);
      return chars[index] ?? "";
    })
    .registerFunction("string.replace(string, string): string", (s: string, from: string, to: string) => s.replaceAll(from, to))
    .registerFunction("string.replace(string, string, int): string", (s: string, from: string, to: string, n: bigint) => replaceN(s, from, to, Number(n)))
    .registerFunction("string.reverse(): string", (s: string) => [...s].reverse().join(""));
}

function replaceN(s: string, from: string, to: string, n: number): string {
  if (n < 0) return s.replaceAll(from, to);
  let out = s;
  let start = 0;
  for (let done = 0; done < n; done++) {
    const at = out.indexOf(from, start);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    start = at + to.length + (from === "" ? 1 : 0);
  }
  return out;
}

type Comparable = bigint | number | string;

function registerLists(env: Environment): void {
  const compare = (a: Comparable, b: Comparable): number => (a < b ? -1 : a > b ? 1 : 0);
  env
    .registerFunction("list.isSorted(): bool", (l: Comparable[]) => l.every((x, i) => i === 0 || compare(l[i - 1] as Comparable, x) <= 0))
    .registerFunction("list.sum(): dyn", (l: (bigint | number)[]) => sumOf(l))
    .registerFunction("list.min(): dyn", (l: Comparable[]) => extreme(l, (a, b) => compare(a, b) < 0))
    .registerFunction("list.max(): dyn", (l: Comparable[]) => extreme(l, (a, b) => compare(a, b) > 0))
    .registerFunction("list.indexOf(dyn): int", (l: unknown[], x: unknown) => BigInt(l.findIndex((y) => y === x)))
    .registerFunction("list.lastIndexOf(dyn): int", (l: unknown[], x: unknown) => BigInt(l.findLastIndex((y) => y === x)));
}

function sumOf(l: readonly (bigint | number)[]): bigint | number {
  if (l.length === 0) return 0n;
  if (l.every((x) => typeof x === "bigint")) return l.reduce<bigint>((a, b) => a + (b as bigint), 0n);
  return l.reduce<number>((a, b) => a + Number(b), 0);
}

function extreme(l: readonly Comparable[], better: (a: Comparable, b: Comparable) => boolean): Comparable {
  if (l.length === 0) throw new Error("min/max of an empty list");
  return l.reduce((best, x) => (better(x, best) ? x : best));
}

function registerRegex(env: Environment): void {
  env
    .registerFunction("string.find(string): string", (s: string, re: string) => new RegExp(translateRe2(re)).exec(s)?.[0] ?? "")
    .registerFunction("string.findAll(string): list<string>", (s: string, re: string) => findAll(s, re, -1))
    .registerFunction("string.findAll(string, int): list<string>", (s: string, re: string, n: bigint) => findAll(s, re, Number(n)));
}

function findAll(s: string, re: string, limit: number): string[] {
  const matches = [...s.matchAll(new RegExp(translateRe2(re), "g"))].map((m) => m[0]);
  return limit < 0 ? matches : matches.slice(0, limit);
}
