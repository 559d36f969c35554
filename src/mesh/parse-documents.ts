import { type Document, isPair, isScalar, LineCounter, type Node, Scalar, visit, type YAMLError } from "yaml";
import { type Finding, type FindingInput, findingInFile } from "../review/finding.ts";
import type { FieldPath } from "./field-path.ts";
import { isObject, type JsonObject, readStringMap } from "./json.ts";
import { KNOWN_KINDS, type KindInfo, kindKeyOf, kindsNamed, lookupKind, splitApiVersion } from "./kinds.ts";
import { makeLocator } from "./locate-node.ts";
import { isYaml11Boolean, parseYamlDocuments } from "./parse-yaml-documents.ts";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "./parse-limits.ts";
import type { Position, Resource } from "./resource.ts";
import { summarizeSecret } from "./summarize-secret.ts";

export interface SourceFile {
  readonly path: string;
  /** Text, or raw bytes (checked for binary and non-UTF-8 content). */
  readonly content: string | Uint8Array;
}

export interface ParsedFile {
  readonly resources: Resource[];
  readonly findings: Finding[];
  /**
   * Where a plain `yes`, `no`, `on`, `off`, `y` or `n` was read as a boolean (as kubectl reads it), so a
   * finding on that field can say why a string field got a boolean.
   */
  readonly yaml11Booleans?: readonly Yaml11Boolean[];
}

/** A YAML 1.1 boolean word, at the position findings on its field use (the key, or the list item). */
export interface Yaml11Boolean {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly word: string;
  readonly value: boolean;
}

export interface ParseOptions {
  readonly limits?: Partial<ParseLimits>;
  /** Namespace for namespaced resources that give none ("" keeps them namespace-less). */
  readonly defaultNamespace?: string;
}

const RULE = "meshgate.Parse";
const TEMPLATE = /\{\{[\s\S]*?\}\}/g;
/** Names only Helm gives a template: `.Values`, `.Release`, ... and its functions `include`, `toYaml`, `tpl`. */
const HELM_NAMES = /(?:^|[^\w$])\.(?:Values|Release|Chart|Capabilities|Files)\b|\b(?:include|toYaml|tpl)\b/;
/** Go template actions that only make sense as lines of a template: conditionals, loops, ends, comments. */
const CONTROL_ACTION = /^\{\{-?\s*(?:(?:if|else|end|range|with|define|block|template|include|break|continue)\b|\/\*)/;
/** `kind: Secret` anywhere in a document (block, flow or JSON style; also inside a `kind: List`). */
const SECRET_KIND = /\bkind["']?\s*:\s*["']?Secret\b/;
const LITERAL_KIND = /^kind\s*:\s*["']?[A-Za-z]/m;
const TEMPLATED_KIND = /\bkind["']?\s*:\s*["']?\{\{/;
/** A plain scalar that may be a YAML 1.1 boolean word; only documents with one are walked for them. */
const YAML11_WORD = /(?:^|[\s[{,:-])(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)[ \t]*(?:$|[,\]}]|[ \t]#)/m;

function parseFinding(code: string, severity: FindingInput["severity"], message: string): FindingInput {
  return { code, rule: RULE, severity, message };
}

/** How a user raises a limit: the CLI flag, or the repository's `.meshgate.yaml`. */
function raise(flag: string, key: keyof ParseLimits): string {
  return `raise it with \`${flag}\` or \`limits.${key}\` in .meshgate.yaml`;
}

/** Reads one file into resources, turning every problem with the input into a finding with a line. */
export function parseDocuments(file: SourceFile, options: ParseOptions = {}): ParsedFile {
  const limits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const findings: Finding[] = [];
  const text = decodeText(file, limits, findings);
  if (text === undefined) return { resources: [], findings };

  const lineCounter = new LineCounter();
  // Read as kubectl reads it (go-yaml v2, see parseYamlDocuments): `x-flag: yes` is a boolean there too.
  const list = parseYamlDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const resources: Resource[] = [];
  const yaml11Booleans: Yaml11Boolean[] = [];
  let count = 0;
  for (const [index, doc] of list.entries()) {
    const ctx: DocContext = { file: file.path, index, doc, lineCounter, limits, options, findings, yaml11Booleans };
    const before = resources.length;
    readDocument(ctx, text, resources);
    count += Math.max(resources.length - before, 1);
    if (count > limits.maxDocumentsPerFile) {
      resources.length = Math.min(resources.length, limits.maxDocumentsPerFile);
      const pos = lineCounter.linePos(doc.range[0]);
      findings.push(
        findingInFile(file.path, pos.line, pos.col, parseFinding("MG1010", "error",
          `More than ${limits.maxDocumentsPerFile} documents in one file; the rest were not read (${raise("--max-documents", "maxDocumentsPerFile")} to read them).`)),
      );
      break;
    }
  }
  return { resources, findings, yaml11Booleans };
}

interface DocContext {
  readonly file: string;
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly limits: ParseLimits;
  readonly options: ParseOptions;
  readonly findings: Finding[];
  readonly yaml11Booleans: Yaml11Boolean[];
}

function decodeText(file: SourceFile, limits: ParseLimits, findings: Finding[]): string | undefined {
  const size = typeof file.content === "string" ? file.content.length : file.content.byteLength;
  if (size > limits.maxFileBytes) {
    findings.push(findingInFile(file.path, 1, 1, parseFinding("MG1009", "error",
      `File is ${size} bytes, over the ${limits.maxFileBytes}-byte limit; it was not read (${raise("--max-file-bytes", "maxFileBytes")} to read it).`)));
    return undefined;
  }
  let text: string;
  if (typeof file.content === "string") text = file.content;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(file.content);
    } catch {
      findings.push(findingInFile(file.path, 1, 1, parseFinding("MG1008", "error", "File is not valid UTF-8 text; it was not read.")));
      return undefined;
    }
  }
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    findings.push(findingInFile(file.path, 1, 1, parseFinding("MG1008", "error", "File looks binary (it contains NUL bytes); it was not read.")));
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function yamlErrorFinding(ctx: DocContext, error: YAMLError, secret: boolean): Finding {
  const pos = ctx.lineCounter.linePos(error.pos[0]);
  const first = error.message.split("\n")[0] ?? error.message;
  // Some of the yaml package's messages quote the input (an escape sequence, a block scalar header):
  // in a Secret that may be part of a value, so only the kind of error is named there.
  const message = secret && error.code !== "DUPLICATE_KEY"
    ? `${error.code.toLowerCase().replaceAll("_", " ")} (the text is not shown: this document is a Secret)`
    : first.replace(/ at line \d+, column \d+:?$/, "");
  const input =
    error.code === "DUPLICATE_KEY"
      ? parseFinding("MG1002", "error", `${message}: the API server would keep only one of them.`)
      : error.code === "TAB_AS_INDENT"
        ? parseFinding("MG1003", "error", "Tabs are not allowed as indentation in YAML.")
        : parseFinding("MG1001", "error", `YAML syntax error: ${message}.`);
  return findingInFile(ctx.file, pos.line, pos.col, input);
}

function readDocument(ctx: DocContext, text: string, out: Resource[]): void {
  const { doc } = ctx;
  const docText = text.slice(doc.range[0], doc.range[2]);
  const secret = SECRET_KIND.test(docText);
  const template = findUnrenderedTemplate(doc, text, docText);
  if (template) {
    const pos = ctx.lineCounter.linePos(template.offset);
    // Never quote what may be a Secret's text: the template may stand where a value does.
    const shown = secret || !LITERAL_KIND.test(docText) || TEMPLATED_KIND.test(docText) ? "" : ` (\`${template.text.slice(0, 40)}\`)`;
    const severity = template.inString ? "warning" : "error";
    ctx.findings.push(findingInFile(ctx.file, pos.line, pos.col, parseFinding("MG1006", severity,
      `Unrendered Helm/Go template${shown}: render the chart (helm template, kustomize build) and check its output${template.inString ? "; until then the text is read as a literal string, as kubectl would" : ""}.`)));
    if (!template.inString) return;
  }
  if (doc.errors.length > 0) {
    for (const error of doc.errors) ctx.findings.push(yamlErrorFinding(ctx, error, secret));
    return;
  }
  if (doc.contents === null) return; // an empty document, e.g. after a trailing `---`
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: ctx.limits.maxAliasCount });
  } catch (error) {
    const pos = ctx.lineCounter.linePos(doc.range[0]);
    const why = error instanceof Error ? error.message : String(error);
    // The yaml package throws for an alias bomb, and for an alias or merge key it cannot resolve (whose
    // message names the anchor, which in a Secret may be anything).
    const finding = why.startsWith("Excessive alias count")
      ? parseFinding("MG1011", "error", `Document not read: more than ${ctx.limits.maxAliasCount} alias expansions (${raise("--max-aliases", "maxAliasCount")} if this is intended).`)
      : parseFinding("MG1001", "error", `YAML error: ${secret ? "an alias or merge key cannot be resolved (the text is not shown: this document is a Secret)" : why}.`);
    ctx.findings.push(findingInFile(ctx.file, pos.line, pos.col, finding));
    return;
  }
  // A document with nothing but comments (or a trailing `---`) is empty; kubectl skips those too.
  if (data === null || data === undefined) return;
  if (!secret && YAML11_WORD.test(docText)) collectYaml11Booleans(ctx);
  const root = doc.contents as Node;
  if (isObject(data) && data.kind === "List" && Array.isArray(data.items)) {
    for (const [i, item] of data.items.entries()) readObject(ctx, item, root, ["items", i], out, secret);
    return;
  }
  readObject(ctx, data, root, [], out, secret);
}

interface Template {
  readonly offset: number;
  readonly text: string;
  /**
   * Only inside quoted or block strings: the document still reads as the API server would read it (the
   * template as literal text), so it is kept and checked, with a warning, as istioctl would load it.
   */
  readonly inString: boolean;
}

/**
 * The first Helm/Go template in a document that was never rendered. `{{ … }}` alone proves nothing:
 * PrometheusRule annotations (`{{ $labels.pod }}`), Alertmanager templates in a ConfigMap and plain
 * header values hold template text that kubectl and istioctl accept as a string. So a template counts
 * only where it cannot be content:
 * - it uses Helm's own names (`.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files`, `include`,
 *   `toYaml`, `tpl`): only an unrendered chart has those, wherever they stand (quoted, in a comment);
 * - YAML reads it as structure: an unquoted `{{` opens a flow mapping (`name: {{ .name }}`, a key
 *   `{{ .k }}: v`, a line `{{- if … }}`), which a rendered manifest never has there;
 * - it is a control action (`if`, `else`, `end`, `range`, `with`, `define`, `template`, `include`, a
 *   Go template comment) alone on its line outside a quoted or block scalar, i.e. a template line that
 *   YAML happened to fold into a plain scalar.
 * Template text inside a string value otherwise is content, not an error.
 */
function findUnrenderedTemplate(doc: Document.Parsed, text: string, docText: string): Template | undefined {
  if (!docText.includes("{{")) return undefined;
  const flowMaps = new Set<number>();
  const strings: (readonly [number, number])[] = [];
  visit(doc, {
    Map: (_key, node) => {
      if (node.flow && node.range) flowMaps.add(node.range[0]);
    },
    Scalar: (_key, node) => {
      if (node.range && node.type !== Scalar.PLAIN) strings.push([node.range[0], node.range[1]]);
    },
  });
  let quoted: Template | undefined;
  for (const match of docText.matchAll(TEMPLATE)) {
    const offset = doc.range[0] + match.index;
    const action = match[0];
    const inString = strings.some(([a, b]) => offset >= a && offset < b);
    if (flowMaps.has(offset)) return { offset, text: action, inString: false };
    if (HELM_NAMES.test(action) && !inString) return { offset, text: action, inString: false };
    if (HELM_NAMES.test(action)) quoted ??= { offset, text: action, inString: true };
    if (CONTROL_ACTION.test(action) && aloneOnLine(text, offset, action.length) && !inString) return { offset, text: action, inString: false };
  }
  return quoted;
}

function aloneOnLine(text: string, offset: number, length: number): boolean {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset + length);
  return text.slice(start, offset).trim() === "" && text.slice(offset + length, end < 0 ? undefined : end).trim() === "";
}

/** Records each plain scalar go-yaml reads as a boolean but YAML 1.2 would not (`yes`, `off`, `n`). */
function collectYaml11Booleans(ctx: DocContext): void {
  visit(ctx.doc, {
    Scalar: (key, node, path) => {
      if (node.type !== Scalar.PLAIN || typeof node.value !== "boolean" || !node.source || !isYaml11Boolean(node.source)) return;
      // Findings on a map value sit on its key (see makeLocator); on a list item, on the item.
      const parent = path[path.length - 1];
      const at = key === "value" && isPair(parent) && isScalar(parent.key) && parent.key.range ? parent.key.range[0] : node.range?.[0];
      if (at === undefined) return;
      const { line, col } = ctx.lineCounter.linePos(at);
      ctx.yaml11Booleans.push({ file: ctx.file, line, column: col, word: node.source, value: node.value });
    },
  });
}

function readObject(ctx: DocContext, data: unknown, root: Node, prefix: FieldPath, out: Resource[], secret: boolean): void {
  const rootLocate = makeLocator(ctx.doc, root, ctx.lineCounter);
  const locate = prefix.length === 0 ? rootLocate : (path: FieldPath) => rootLocate([...prefix, ...path]);
  const start = locate([]);
  const fail = (code: string, severity: FindingInput["severity"], message: string, at: Position = start) => {
    ctx.findings.push(findingInFile(ctx.file, at.line, at.column, parseFinding(code, severity, message)));
  };
  if (!isObject(data)) {
    fail("MG1004", "error", `A manifest must be a YAML mapping, but this document is ${secret ? "not one" : describe(data)}.`);
    return;
  }
  const missing = missingIdentity(data);
  if (missing.length > 0) {
    fail("MG1005", "error", `Manifest has no ${missing.join(", ")}: Kubernetes cannot apply it.`);
    return;
  }
  const apiVersion = data.apiVersion as string;
  const kind = data.kind as string;
  const { group, version } = splitApiVersion(apiVersion);
  const info = lookupKind(group, kind);
  const metadata = data.metadata as JsonObject;
  const name = metadata.name as string;
  if (!info) {
    const meant = misplacedKind(group, version, kind);
    if (meant) fail("MG1012", "error", meant, locate(["apiVersion"]));
    else fail("MG1007", "info", `${kind} (${apiVersion}) is not a kind meshgate checks; it was skipped.`);
    return;
  }
  if (!info.versions.includes(version)) {
    fail("MG1012", "error", `${kind} is not served as ${apiVersion}; served versions: ${info.versions.map((v) => apiVersionOf(info, v)).join(", ")}.`,
      locate(["apiVersion"]));
    return;
  }
  const givenNs = typeof metadata.namespace === "string" ? metadata.namespace : "";
  const namespace = info.namespaced ? givenNs || (ctx.options.defaultNamespace ?? "") : "";
  const body = info.key === "Secret" ? withoutSecretData(data) : data;
  const bodyMetadata = body.metadata as JsonObject;
  out.push({
    apiVersion,
    group,
    version,
    kind,
    key: kindKeyOf(group, kind),
    name,
    namespace,
    labels: readStringMap(metadata.labels),
    annotations: readStringMap(bodyMetadata.annotations),
    body,
    spec: isObject(body.spec) ? body.spec : {},
    source: { file: ctx.file, document: ctx.index, position: start },
    locate,
    ...(info.key === "Secret" ? { secret: summarizeSecret(data) } : {}),
  });
}

function missingIdentity(data: JsonObject): string[] {
  const metadata = isObject(data.metadata) ? data.metadata : {};
  const fields: [string, unknown][] = [["apiVersion", data.apiVersion], ["kind", data.kind], ["metadata.name", metadata.name]];
  return fields.filter(([, value]) => typeof value !== "string" || value === "").map(([field, value]) => describeIdentity(field, value));
}

/** `name: n` or `kind: on` are booleans to kubectl (YAML 1.1), so say what the field holds instead. */
function describeIdentity(field: string, value: unknown): string {
  if (value === undefined || value === null || value === "") return `\`${field}\``;
  return `string \`${field}\` (it is a ${typeof value}${typeof value === "boolean" ? ": an unquoted y, n, yes, no, on or off is one to kubectl" : ""})`;
}

/** Groups whose kinds meshgate knows well enough to say that a kind it knows is not one of theirs. */
function isWellKnownGroup(group: string): boolean {
  return lookupGroups.has(group) || group.endsWith(".istio.io") || group === "extensions" || group === "networking.k8s.io";
}

const lookupGroups: ReadonlySet<string> = new Set(KNOWN_KINDS.map((k) => k.group));

/**
 * A kind meshgate knows, given with another group (`PeerAuthentication` in `networking.istio.io`), or
 * with the wrong case: the API server answers "no matches for kind", so this is an error, with the
 * apiVersion(s) meant. Kinds of other projects that share a name (Knative's `Service`) stay unknown.
 */
function misplacedKind(group: string, version: string, kind: string): string | undefined {
  if (!isWellKnownGroup(group)) return undefined;
  const where = group === "" ? "the core API group" : group;
  const sameName = kindsNamed(kind);
  if (sameName.length > 0) {
    const meant = sameName.map((k) => apiVersionOf(k, version)).join(" or ");
    return `${kind} is not a kind of ${where} (the API server answers "no matches for kind"): did you mean apiVersion ${meant}?`;
  }
  const otherCase = KNOWN_KINDS.filter((k) => k.kind.toLowerCase() === kind.toLowerCase());
  if (otherCase.length === 0) return undefined;
  const meant = otherCase.map((k) => `${k.kind} (${apiVersionOf(k, version)})`).join(" or ");
  return `There is no kind ${kind} in ${where}; kind names are case-sensitive: did you mean ${meant}?`;
}

/** The apiVersion to suggest: the version given, when that group serves it, else its `v1`, else its first. */
function apiVersionOf(info: KindInfo, version: string): string {
  const served = info.versions.includes(version) ? version : info.versions.includes("v1") ? "v1" : (info.versions[0] ?? version);
  return info.group === "" ? served : `${info.group}/${served}`;
}

/**
 * Secret values never enter meshgate's data, so no output can ever show them (see summarizeSecret for
 * what is kept). kubectl's last-applied-configuration annotation holds a copy of them, so it goes too.
 */
function withoutSecretData(data: JsonObject): JsonObject {
  const { data: _data, stringData: _stringData, ...rest } = data;
  const metadata = rest.metadata;
  if (!isObject(metadata) || !isObject(metadata.annotations) || !(LAST_APPLIED in metadata.annotations)) return rest;
  const { [LAST_APPLIED]: _copy, ...annotations } = metadata.annotations;
  return { ...rest, metadata: { ...metadata, annotations } };
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function describe(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
