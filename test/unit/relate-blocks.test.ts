import { describe, expect, it } from "vitest";
import { gatewayMatchBlock } from "../../src/simulation/gateway-match-block.ts";
import { matchBlockOf } from "../../src/simulation/match-block.ts";
import { coversBlock, disjointBlocks, isCatchAll, mergeDelegateBlock } from "../../src/simulation/relate-blocks.ts";

// Relations between match blocks, from the match semantics (semantics.md §a): conditions in a block are
// ANDed, StringMatch exact/prefix are case-sensitive unless ignoreUriCase, withoutHeaders negates, and
// Gateway API's PathPrefix matches whole path elements ([crds] httproutes `path`).
const vs = matchBlockOf;
const gw = gatewayMatchBlock;

describe("relateBlocks", () => {
  it("knows catch-alls: prefix /, regex .*, nothing to test; not with a header", () => {
    expect([vs({}), vs({ uri: { prefix: "/" } }), vs({ uri: { regex: ".*" } }), gw({}), gw({ path: { type: "PathPrefix", value: "/" } })].map(isCatchAll)).toEqual([true, true, true, true, true]);
    expect([vs({ uri: { prefix: "/" }, headers: { x: { exact: "1" } } }), vs({ uri: { exact: "/" } }), gw({ path: { type: "Exact", value: "/" } })].map(isCatchAll)).toEqual([false, false, false]);
  });

  it("covers a narrower path and not a wider or differently cased one", () => {
    expect(coversBlock(vs({ uri: { prefix: "/api" } }), vs({ uri: { exact: "/api/v2" }, method: { exact: "GET" } }))).toBe(true);
    expect(coversBlock(vs({ uri: { prefix: "/api/v2" } }), vs({ uri: { prefix: "/api" } }))).toBe(false);
    // ignoreUriCase on the wider match: /API/x is within any-case /api.
    expect(coversBlock(vs({ uri: { prefix: "/api" }, ignoreUriCase: true }), vs({ uri: { prefix: "/API/x" } }))).toBe(true);
    // The case-insensitive narrower match also takes /API/x, which case-sensitive /api rejects.
    expect(coversBlock(vs({ uri: { prefix: "/api" } }), vs({ uri: { prefix: "/api/x" }, ignoreUriCase: true }))).toBe(false);
    // Element-wise prefix: /foo covers /foo/bar but not /foobar.
    expect(coversBlock(gw({ path: { value: "/foo" } }), gw({ path: { type: "Exact", value: "/foo/bar" } }))).toBe(true);
    expect(coversBlock(gw({ path: { value: "/foo" } }), gw({ path: { type: "Exact", value: "/foobar" } }))).toBe(false);
  });

  it("tells disjoint blocks: different exact values, a header required and excluded, separate prefixes", () => {
    expect(disjointBlocks(vs({ headers: { user: { exact: "a" } } }), vs({ headers: { user: { exact: "b" } } }))).toBe(true);
    expect(disjointBlocks(vs({ headers: { user: { exact: "a" } } }), vs({ withoutHeaders: { user: {} } }))).toBe(true);
    expect(disjointBlocks(vs({ uri: { prefix: "/a" } }), vs({ uri: { prefix: "/b" } }))).toBe(true);
    expect(disjointBlocks(vs({ uri: { prefix: "/a" } }), vs({ headers: { user: { exact: "b" } } }))).toBe(false);
    expect(disjointBlocks(vs({ uri: { exact: "/a1" } }), vs({ uri: { regex: "/a[0-9]" } }))).toBe(false);
    expect(disjointBlocks(vs({ uri: { exact: "/ax" } }), vs({ uri: { regex: "/a[0-9]" } }))).toBe(true);
  });

  it("merges a delegate's match into its root's only when it lies within it", () => {
    expect(mergeDelegateBlock(vs({ uri: { prefix: "/r" } }), vs({ uri: { prefix: "/r/v2" } }))?.text).toBe("path starts with /r/v2");
    expect(mergeDelegateBlock(vs({ uri: { prefix: "/r" } }), vs({ headers: { x: { exact: "1" } } }))?.text).toBe("path starts with /r and header x = 1");
    expect(mergeDelegateBlock(vs({ uri: { prefix: "/r" } }), vs({ uri: { prefix: "/s" } }))).toBeUndefined();
  });
});
