import { type Document, LineCounter, type Node, type YAMLError } from "yaml";
import { type Finding, type FindingInput, findingInFile } from "../review/finding.ts";
import type { FieldPath } from "./field-path.ts";
import { isObject, type JsonObject, readStringMap } from "./json.ts";
import { kindKeyOf, lookupKind, splitApiVersion } from "./kinds.ts";
import { makeLocator } from "./locate-node.ts";
import { parseYamlDocuments } from "./parse-yaml-documents.ts";
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
}

export interface ParseOptions {
  readonly limits?: Partial<ParseLimits>;
  /** Namespace for namespaced resources that give none ("" keeps them namespace-less). */
  readonly defaultNamespace?: string;
}

const RULE = "meshgate.Parse";
const TEMPLATE = /\{\{[\s\S]*?\}\}/;

function parseFinding(code: string, severity: FindingInput["severity"], message: string): FindingInput {
  return { code, rule: RULE, severity, message };
}

/** Reads one file into resources, turning every problem with the input into a finding with a line. */
export function parseDocuments(file: SourceFile, options: ParseOptions = {}): ParsedFile {
  const limits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const findings: Finding[] = [];
  const text = decodeText(file, limits, findings);
  if (text === undefined) return { resources: [], findings };

  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: only true/false are booleans, so `name: n` or `mode: on` stay the strings typed fields expect.
  const list = parseYamlDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const resources: Resource[] = [];
  let count = 0;
  for (const [index, doc] of list.entries()) {
    const ctx: DocContext = { file: file.path, index, doc, lineCounter, limits, options, findings };
    const before = resources.length;
    readDocument(ctx, text, resources);
    count += Math.max(resources.length - before, 1);
    if (count > limits.maxDocumentsPerFile) {
      resources.length = Math.min(resources.length, limits.maxDocumentsPerFile);
      const pos = lineCounter.linePos(doc.range[0]);
      findings.push(
        findingInFile(file.path, pos.line, pos.col, parseFinding("MG1010", "error",
          `More than ${limits.maxDocumentsPerFile} documents in one file; the rest were not read (raise limits.maxDocumentsPerFile to read them).`)),
      );
      break;
    }
  }
  return { resources, findings };
}

interface DocContext {
  readonly file: string;
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly limits: ParseLimits;
  readonly options: ParseOptions;
  readonly findings: Finding[];
}

function decodeText(file: SourceFile, limits: ParseLimits, findings: Finding[]): string | undefined {
  const size = typeof file.content === "string" ? file.content.length : file.content.byteLength;
  if (size > limits.maxFileBytes) {
    findings.push(findingInFile(file.path, 1, 1, parseFinding("MG1009", "error",
      `File is ${size} bytes, over the ${limits.maxFileBytes}-byte limit; it was not read (raise limits.maxFileBytes to read it).`)));
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

function yamlErrorFinding(ctx: DocContext, error: YAMLError): Finding {
  const pos = ctx.lineCounter.linePos(error.pos[0]);
  const first = error.message.split("\n")[0] ?? error.message;
  const message = first.replace(/ at line \d+, column \d+:?$/, "");
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
  const template = TEMPLATE.exec(docText);
  if (template) {
    const pos = ctx.lineCounter.linePos(doc.range[0] + template.index);
    ctx.findings.push(findingInFile(ctx.file, pos.line, pos.col, parseFinding("MG1006", "error",
      `Unrendered Helm/Go template (\`${template[0].slice(0, 40)}\`): render the chart (helm template, kustomize build) and check its output.`)));
    return;
  }
  if (doc.errors.length > 0) {
    for (const error of doc.errors) ctx.findings.push(yamlErrorFinding(ctx, error));
    return;
  }
  if (doc.contents === null) return; // an empty document, e.g. after a trailing `---`
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: ctx.limits.maxAliasCount });
  } catch (error) {
    const pos = ctx.lineCounter.linePos(doc.range[0]);
    const why = error instanceof Error ? error.message : String(error);
    ctx.findings.push(findingInFile(ctx.file, pos.line, pos.col, parseFinding("MG1011", "error",
      `Document not read: ${why} (more than ${ctx.limits.maxAliasCount} alias expansions; raise limits.maxAliasCount if this is intended).`)));
    return;
  }
  // A document with nothing but comments (or a trailing `---`) is empty; kubectl skips those too.
  if (data === null || data === undefined) return;
  const root = doc.contents as Node;
  if (isObject(data) && data.kind === "List" && Array.isArray(data.items)) {
    for (const [i, item] of data.items.entries()) readObject(ctx, item, root, ["items", i], out);
    return;
  }
  readObject(ctx, data, root, [], out);
}

function readObject(ctx: DocContext, data: unknown, root: Node, prefix: FieldPath, out: Resource[]): void {
  const rootLocate = makeLocator(ctx.doc, root, ctx.lineCounter);
  const locate = prefix.length === 0 ? rootLocate : (path: FieldPath) => rootLocate([...prefix, ...path]);
  const start = locate([]);
  const fail = (code: string, severity: FindingInput["severity"], message: string, at: Position = start) => {
    ctx.findings.push(findingInFile(ctx.file, at.line, at.column, parseFinding(code, severity, message)));
  };
  if (!isObject(data)) {
    fail("MG1004", "error", `A manifest must be a YAML mapping, but this document is ${describe(data)}.`);
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
    fail("MG1007", "info", `${kind} (${apiVersion}) is not a kind meshgate checks; it was skipped.`);
    return;
  }
  if (!info.versions.includes(version)) {
    fail("MG1012", "error", `${kind} is not served as ${apiVersion}; served versions: ${info.versions.map((v) => `${group}/${v}`).join(", ")}.`,
      locate(["apiVersion"]));
    return;
  }
  const givenNs = typeof metadata.namespace === "string" ? metadata.namespace : "";
  const namespace = info.namespaced ? givenNs || (ctx.options.defaultNamespace ?? "") : "";
  const body = info.key === "Secret" ? withoutSecretData(data) : data;
  out.push({
    apiVersion,
    group,
    version,
    kind,
    key: kindKeyOf(group, kind),
    name,
    namespace,
    labels: readStringMap(metadata.labels),
    annotations: readStringMap(metadata.annotations),
    body,
    spec: isObject(body.spec) ? body.spec : {},
    source: { file: ctx.file, document: ctx.index, position: start },
    locate,
    ...(info.key === "Secret" ? { secret: summarizeSecret(data) } : {}),
  });
}

function missingIdentity(data: JsonObject): string[] {
  const missing: string[] = [];
  if (typeof data.apiVersion !== "string" || data.apiVersion === "") missing.push("`apiVersion`");
  if (typeof data.kind !== "string" || data.kind === "") missing.push("`kind`");
  const metadata = data.metadata;
  if (!isObject(metadata) || typeof metadata.name !== "string" || metadata.name === "") missing.push("`metadata.name`");
  return missing;
}

/** Secret values never enter meshgate's data, so no output can ever show them (see summarizeSecret for what is kept). */
function withoutSecretData(data: JsonObject): JsonObject {
  const { data: _data, stringData: _stringData, ...rest } = data;
  return rest;
}

function describe(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
