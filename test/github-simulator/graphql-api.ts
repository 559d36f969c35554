// GitHub's GraphQL endpoint for the simulator: every request is parsed and validated against GitHub's real
// schema (@octokit/graphql-schema), so a query GitHub would reject is rejected here too (as an `errors`
// array with HTTP 200, as GitHub answers). Only what a review reads is resolved; every other field is an
// explicit "not implemented in the simulator" error, never invented data.
// Validation messages are graphql-js's wording; GitHub (graphql-ruby) words them differently
// ("Field 'x' doesn't exist on type 'Y'"), but rejects the same queries.
import { readFileSync } from "node:fs";
import {
  buildSchema,
  defaultFieldResolver,
  execute,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
} from "graphql";
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLFieldResolver,
  GraphQLNamedType,
  GraphQLSchema,
  SelectionSetNode,
  ValueNode,
} from "graphql";

export interface GraphqlObjectSource {
  readObject(
    owner: string,
    repo: string,
    expression: string,
  ):
    | { type: "blob"; oid: string; bytes: Uint8Array }
    | { type: "commit"; oid: string }
    | { type: "tree"; oid: string; entries: { name: string; type: "blob" | "tree"; oid: string; mode: number }[] }
    | null;
  repositoryExists(owner: string, repo: string): boolean;
  /** The GraphQL rate limit of the caller (without it, `rateLimit` is not implemented). */
  rateLimit?(): { limit: number; used: number; remaining: number; resetAt: string };
}

type ReadObject = NonNullable<ReturnType<GraphqlObjectSource["readObject"]>>;

// Assumption: GitHub does not document where Blob.text is cut off; 512 KiB is what this simulator uses.
const TRUNCATED_TEXT_BYTES = 512 * 1024;
// Git's own test for binary content (buffer_is_binary): a NUL byte in the first 8000 bytes.
const BINARY_SNIFF_BYTES = 8000;

const SCHEMA_URL = new URL("../../node_modules/@octokit/graphql-schema/schema.graphql", import.meta.url);
let schema: GraphQLSchema | undefined;

interface Context {
  readonly source: GraphqlObjectSource;
  readonly cost: QueryCost;
}

interface QueryCost {
  readonly cost: number;
  readonly nodeCount: number;
}

/** An error GitHub reports with a top-level `type` (NOT_FOUND, ...). */
class GitHubGraphqlError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.name = "GitHubGraphqlError";
    this.type = type;
  }
}

export async function executeGitHubGraphql(
  body: { query: string; variables?: Record<string, unknown> },
  source: GraphqlObjectSource,
): Promise<{ data?: unknown; errors?: unknown[] }> {
  // Callers pass parsed JSON: the types say string, the wire may say otherwise.
  if (typeof (body.query as unknown) !== "string") {
    return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  }
  const gitHubSchema = loadSchema();
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return { errors: [formatError(error instanceof GraphQLError ? error : new GraphQLError(String(error)))] };
  }
  const invalid = validate(gitHubSchema, document);
  if (invalid.length > 0) return { errors: invalid.map(formatError) };
  const variables = body.variables ?? {};
  // GitHub also takes the operation to run from the body, when a document holds several.
  const requested = (body as { operationName?: unknown }).operationName;
  const operationName = typeof requested === "string" ? requested : undefined;
  const contextValue: Context = { source, cost: measureQuery(gitHubSchema, document, operationName, variables) };
  const result = await execute({
    schema: gitHubSchema,
    document,
    operationName,
    variableValues: variables,
    rootValue: rootResolvers(),
    contextValue,
    fieldResolver: resolveField,
  });
  return result.errors ? { data: result.data ?? null, errors: result.errors.map(formatError) } : { data: result.data };
}

function loadSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync(SCHEMA_URL, "utf8"), { assumeValidSDL: true });
  return schema;
}

function formatError(error: GraphQLError): Record<string, unknown> {
  const json: Record<string, unknown> = { ...error.toJSON() };
  if (error.originalError instanceof GitHubGraphqlError) {
    delete json["extensions"];
    return { type: error.originalError.type, ...json };
  }
  return json;
}

// Fields resolve from the plain objects below; a field they do not carry is not implemented.
const resolveField: GraphQLFieldResolver<unknown, Context> = (value, args, context, info) => {
  if (typeof value === "object" && value !== null && info.fieldName in value) {
    return defaultFieldResolver(value, args, context, info);
  }
  throw new Error(`${info.parentType.name}.${info.fieldName} is not implemented in the simulator`);
};

function rootResolvers(): Record<string, unknown> {
  return {
    repository(args: { owner: string; name: string }, context: Context) {
      if (!context.source.repositoryExists(args.owner, args.name)) {
        throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      }
      return repositoryValue(args.owner, args.name);
    },
    // dryRun (cost without evaluation) is not distinguished: the cost is the same either way.
    rateLimit(_args: unknown, context: Context) {
      const limit = context.source.rateLimit?.();
      if (!limit) throw new Error("Query.rateLimit is not implemented in the simulator (the object source reports no rate limit)");
      return { ...limit, cost: context.cost.cost, nodeCount: context.cost.nodeCount };
    },
  };
}

function repositoryValue(owner: string, repo: string): Record<string, unknown> {
  return {
    object(args: { expression?: string | null; oid?: string | null }, context: Context) {
      const expression = args.oid ?? args.expression;
      if (typeof expression !== "string") throw new Error("Repository.object needs an expression or an oid");
      const found = context.source.readObject(owner, repo, expression);
      // Only a `rev:path` expression says where a tree sits; an oid alone does not.
      const directory = args.oid == null && expression.includes(":") ? expression.slice(expression.indexOf(":") + 1) : undefined;
      return found && gitObjectValue(found, directory);
    },
  };
}

function gitObjectValue(found: ReadObject, directory: string | undefined): Record<string, unknown> {
  switch (found.type) {
    case "blob":
      return blobValue(found.oid, found.bytes);
    case "commit":
      return { __typename: "Commit", oid: found.oid };
    case "tree":
      return {
        __typename: "Tree",
        oid: found.oid,
        entries: found.entries.map((entry) => ({
          ...entry,
          path: directory === undefined ? null : [directory.replace(/^\/+|\/+$/g, ""), entry.name].filter(Boolean).join("/"),
        })),
      };
  }
}

function blobValue(oid: string, bytes: Uint8Array): Record<string, unknown> {
  const isBinary = bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
  const isTruncated = bytes.byteLength > TRUNCATED_TEXT_BYTES;
  // stream: true leaves out a UTF-8 sequence cut in half by the truncation instead of a replacement character.
  const text = isBinary ? null : new TextDecoder().decode(bytes.subarray(0, TRUNCATED_TEXT_BYTES), { stream: isTruncated });
  return { __typename: "Blob", oid, byteSize: bytes.byteLength, isBinary, isTruncated, text };
}

/**
 * GitHub's documented cost of a query: every connection is fetched once per node of the connections around
 * it, up to its first/last; cost = those requests / 100, rounded, at least 1; nodeCount = the nodes that
 * many requests may return (docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api).
 */
function measureQuery(
  gitHubSchema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const totals = { requests: 0, nodes: 0 };
  const visit = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, multiplier: number): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? gitHubSchema.getType(selection.typeCondition.name.value) : parent;
        visit(selection.selectionSet, type ?? undefined, multiplier);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, gitHubSchema.getType(fragment.typeCondition.name.value) ?? undefined, multiplier);
      } else if (selection.selectionSet && parent && (isObjectType(parent) || isInterfaceType(parent))) {
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const type = getNamedType(field.type);
        let inner = multiplier;
        if (type.name.endsWith("Connection") && field.args.some((a) => a.name === "first" || a.name === "last")) {
          const size = readPageSize(selection.arguments ?? [], variables);
          totals.requests += multiplier;
          totals.nodes += multiplier * size;
          inner = multiplier * size;
        }
        visit(selection.selectionSet, type, inner);
      }
    }
  };
  const operation = getOperationAST(document, operationName);
  const root = operation && gitHubSchema.getRootType(operation.operation);
  if (operation && root) visit(operation.selectionSet, root, 1);
  return { cost: Math.max(1, Math.round(totals.requests / 100)), nodeCount: totals.nodes };
}

function readPageSize(args: readonly { name: { value: string }; value: ValueNode }[], variables: Record<string, unknown>): number {
  for (const arg of args) {
    if (arg.name.value !== "first" && arg.name.value !== "last") continue;
    if (arg.value.kind === Kind.INT) return Number(arg.value.value);
    if (arg.value.kind === Kind.VARIABLE) {
      const value = variables[arg.value.name.value];
      if (typeof value === "number") return value;
    }
  }
  // GitHub refuses a connection without first/last; the page size it would have fetched is unknown.
  return 0;
}
