import { LineCounter } from "yaml";
import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "../../src/mesh/parse-yaml-documents.ts";

function read(text: string) {
  const lineCounter = new LineCounter();
  return parseYamlDocuments(text, { lineCounter }).map((doc) => ({ value: doc.toJS() as unknown, errors: doc.errors.map((e) => e.code) }));
}

// What go-yaml (sigs.k8s.io/yaml, as the API server and istioctl use it) reads for each text: a `:` ends a
// plain scalar only when a blank follows it, also in flow collections.
describe("parseYamlDocuments reads flow scalars as go-yaml does", () => {
  it.each([
    ["an IPv6 address ending in :: in a flow sequence", "a: [1.2.3.4, 2001:db8::]\n", { a: ["1.2.3.4", "2001:db8::"] }],
    ["a trailing colon before a comma", "a: [x:, z]\n", { a: ["x:", "z"] }],
    ["a flow pair's value ending in a colon", "a: {k: fe80::, j: 1}\n", { a: { k: "fe80::", j: 1 } }],
    ["a flow mapping's lone key ending in a colon", "a: {k:}\n", { a: { "k:": null } }],
  ])("%s", (_, text, want) => {
    expect(read(text)).toEqual([{ value: want, errors: [] }]);
  });

  it.each([
    ["a colon followed by a space", "a: [x: 1]\n", { a: [{ x: 1 }] }],
    ["a colon followed by a line break", "a: [x:\n]\n", { a: [{ x: null }] }],
    ["a quoted scalar", "a: ['x:', \"y:\"]\n", { a: ["x:", "y:"] }],
    ["a colon inside a scalar", "a: [http://h:80/p, {b:1}]\n", { a: ["http://h:80/p", { "b:1": null }] }],
  ])("leaves %s as YAML 1.2 reads it", (_, text, want) => {
    expect(read(text)).toEqual([{ value: want, errors: [] }]);
  });

  it("keeps positions and every document of a stream", () => {
    const lineCounter = new LineCounter();
    const text = "a: 1\n---\nb: [2001:db8::, c]\n";
    const docs = parseYamlDocuments(text, { lineCounter });
    expect(docs.map((d) => d.toJS() as unknown)).toEqual([{ a: 1 }, { b: ["2001:db8::", "c"] }]);
    const glued = docs[1]?.getIn(["b", 0], true) as { range: number[] } | undefined;
    const after = docs[1]?.getIn(["b", 1], true) as { range: number[] } | undefined;
    expect(glued?.range.slice(0, 2)).toEqual([text.indexOf("2001"), text.indexOf(", c")]);
    expect(lineCounter.linePos(after?.range[0] ?? -1)).toEqual({ line: 3, col: 17 });
  });
});

// go-yaml v2's resolve.go: these plain scalars are booleans to kubectl and istioctl (sigs.k8s.io/yaml).
describe("parseYamlDocuments reads booleans as go-yaml v2 does", () => {
  const TRUE = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"];
  const FALSE = ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"];

  it.each([...TRUE.map((w) => [w, true] as const), ...FALSE.map((w) => [w, false] as const)])("%s is %s", (word, value) => {
    expect(read(`a: ${word}\nb: [${word}]\n`)).toEqual([{ value: { a: value, b: [value] }, errors: [] }]);
  });

  it.each(["'yes'", '"on"', "!!str off", "yES", "nope", "ye", "o"])("%s stays a string", (text) => {
    expect(typeof (read(`a: ${text}\n`)[0]?.value as { a: unknown }).a).toBe("string");
  });

  it("reads a key `on` as the key true, as sigs.k8s.io/yaml turns a boolean key into a string", () => {
    expect(read("on: 1\n")).toEqual([{ value: { true: 1 }, errors: [] }]);
  });

  it("merges `<<` keys, an explicit key winning over a merged one", () => {
    expect(read("a: &c {app: r, version: v1}\nb:\n  <<: *c\n  version: v2\n")).toEqual([
      { value: { a: { app: "r", version: "v1" }, b: { app: "r", version: "v2" } }, errors: [] },
    ]);
  });
});
