import { Composer, CST, type Document, type DocumentOptions, type LineCounter, Parser, type ParseOptions, Scalar, type ScalarTag, type SchemaOptions, type Tags } from "yaml";

type Options = ParseOptions & DocumentOptions & SchemaOptions & { lineCounter: LineCounter };

const BOOL_TAG = "tag:yaml.org,2002:bool";

/** go-yaml v2's booleans (`resolve.go`): YAML 1.1's words, not only YAML 1.2's true/false. */
const GO_YAML_TRUE: ReadonlySet<string> = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const GO_YAML_FALSE: ReadonlySet<string> = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

/**
 * kubectl and istioctl read YAML through sigs.k8s.io/yaml, which decodes with go-yaml v2 into untyped
 * data before any JSON schema sees it: there an unquoted `yes`, `on` or `n` is a boolean, so the API
 * server gets `true` for `x-flag: yes` and rejects a string field. Only the booleans follow YAML 1.1:
 * the rest of the core schema stays (go-yaml v2's octals and sexagesimals differ from the yaml-1.1
 * schema's, and no Istio or Kubernetes field is read through them).
 */
const goYamlBool: ScalarTag = {
  identify: (value) => typeof value === "boolean",
  default: true,
  tag: BOOL_TAG,
  test: /^(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$/,
  resolve: (source) => new Scalar(GO_YAML_TRUE.has(source)),
};

function withGoYamlBool(tags: Tags): Tags {
  return tags.map((tag) => (typeof tag === "object" && tag.tag === BOOL_TAG ? goYamlBool : tag));
}

/** True for a plain scalar that only YAML 1.1 (go-yaml) reads as a boolean, such as `yes` or `off`. */
export function isYaml11Boolean(source: string): boolean {
  return (GO_YAML_TRUE.has(source) || GO_YAML_FALSE.has(source)) && !/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(source);
}

/** A `:` glued to a flow indicator: the only text where YAML 1.2 and go-yaml part ways (below). */
const GLUED_COLON = /:[,\]}]/;

/**
 * `parseAllDocuments`, reading YAML as go-yaml v2 does, since go-yaml is how kubectl, the API server and
 * istioctl read these files: YAML 1.1 booleans (above), `<<` merge keys, and plain scalars in flow
 * collections. YAML 1.2 ends a plain scalar at a `:` followed by a flow
 * indicator, so `[1.2.3.4, 2001:db8::]` holds a mapping `{"2001:db8:": null}`; go-yaml ends it only at
 * `:` followed by a blank, and reads the string `2001:db8::`. Files without such a `:` skip the CST pass.
 */
export function parseYamlDocuments(text: string, options: Options): Document.Parsed[] {
  const tokens = new Parser(options.lineCounter.addNewLine).parse(text);
  const composer = new Composer({ ...options, merge: true, customTags: withGoYamlBool });
  if (!GLUED_COLON.test(text)) return Array.from(composer.compose(tokens));
  const fixed = Array.from(tokens, (token) => {
    if (token.type !== "document") return token;
    CST.visit(token, (item, path) => {
      if (path.length === 0) return; // the document itself
      const parent = CST.visit.parentCollection(token, path);
      if (parent.type === "flow-collection") glueColon(item, parent.start.source === "{");
    });
    return token;
  });
  return Array.from(composer.compose(fixed));
}

type Item = CST.CollectionItem;

/** Rewrites a flow item `a:` (key `a`, an adjacent `:`, nothing after) or a value `a:` into the scalar `a:`. */
function glueColon(item: Item, inMap: boolean): void {
  if (gluedKey(item) && item.key && hasNoValue(item)) {
    const scalar = withColon(item.key as CST.FlowScalar);
    if (inMap) {
      // A flow mapping's lone `a:` is a key without a value, as `{a}` is.
      item.key = scalar;
      item.sep = [];
    } else {
      delete item.key;
      delete item.sep;
      item.value = scalar;
    }
    return;
  }
  // As a flow pair's value, YAML 1.2 reads `a:` as a block mapping, which it then refuses inside flow.
  const value = item.value;
  if (value?.type === "block-map" && value.items.length === 1) {
    const inner = value.items[0] as Item;
    if (gluedKey(inner) && hasNoValue(inner) && inner.key) item.value = withColon(inner.key as CST.FlowScalar);
  }
}

function gluedKey(item: Item): boolean {
  const key = item.key;
  const sep = item.sep;
  return key?.type === "scalar" && sep?.length === 1 && sep[0]?.type === "map-value-ind" && sep[0].offset === key.offset + key.source.length;
}

function hasNoValue(item: Item): boolean {
  return item.value === undefined || (item.value.type === "scalar" && item.value.source === "");
}

function withColon(scalar: CST.FlowScalar): CST.FlowScalar {
  return { ...scalar, source: `${scalar.source}:` };
}
