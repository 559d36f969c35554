import { describe, expect, it } from "vitest";
import { compileCel, createCelEnvironment } from "../../src/cel/cel-environment.ts";
import { describeCelError } from "../../src/cel/describe-cel-error.ts";
import { parseGoUrl } from "../../src/cel/parse-go-url.ts";
import { quoteGo } from "../../src/cel/quote-go.ts";
import { rewriteHasMacros } from "../../src/cel/rewrite-has-macros.ts";
import { translateRe2 } from "../../src/cel/translate-re2.ts";

const run = (expression: string, self: unknown = null): unknown => compileCel(expression).evaluate({ self });

function errorOf(expression: string, self: unknown = null): string {
  try {
    run(expression, self);
  } catch (error) {
    return describeCelError(error);
  }
  throw new Error(`${expression} did not fail`);
}

describe("the Kubernetes CEL URL library", () => {
  it("splits URLs like Go's net/url", () => {
    const u = "url('https://user@Example.com:8443/a%20b/c?x=1&x=2&y=#frag')";
    expect(run(`${u}.getScheme()`)).toBe("https");
    expect(run(`${u}.getHost()`)).toBe("Example.com:8443");
    expect(run(`${u}.getHostname()`)).toBe("Example.com");
    expect(run(`${u}.getPort()`)).toBe("8443");
    expect(run(`${u}.getEscapedPath()`)).toBe("/a%20b/c");
    expect(run(`${u}.getQuery()`)).toEqual(new Map([["x", ["1", "2"]], ["y", [""]]]));
    expect(run("url('HTTP://[::1]:80/').getScheme()")).toBe("http");
    expect(run("url('https://[::1]:80/').getHostname()")).toBe("::1");
  });

  it("accepts what url.ParseRequestURI accepts, and reports Go's error otherwise", () => {
    expect(run("isURL('https://example.com/.well-known/jwks.json')")).toBe(true);
    expect(run("isURL('/relative/path')")).toBe(true);
    expect(run("isURL('example.com')")).toBe(false);
    expect(run("isURL('http://host:port')")).toBe(false);
    expect(errorOf("url(self)", "example.com")).toBe('URL parse error during conversion from string: parse "example.com": invalid URI for request');
    expect(errorOf("url(self)", "hTPp\\\blah")).toBe('URL parse error during conversion from string: parse "hTPp\\\\\\blah": net/url: invalid control character in URL');
    expect(() => parseGoUrl("http://a b.com/")).toThrow('parse "http://a b.com/": invalid character " " in host name');
  });
});

describe("CEL as Kubernetes evaluates CRD rules", () => {
  it("treats RE2 syntax in matches() as Go does", () => {
    const rule = String.raw`self.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$""")`;
    expect(run(rule, "helloworld.Greeter")).toBe(true);
    expect(run(rule, "9greeter")).toBe(false);
    expect(translateRe2("(?i)ab[c-d]")).toBe("[aA][bB][c-dC-D]");
    expect(translateRe2("(?P<name>x)\\z")).toBe("(?<name>x)(?![\\s\\S])");
    expect(translateRe2("a.b")).toBe("a[^\\n]b");
  });

  it("evaluates has() on any operand, not only a field chain", () => {
    const rule = "size(self.matches) != 1 || !has(self.matches[0].path)";
    expect(run(rule, new Map([["matches", [new Map()]]]))).toBe(true);
    expect(run(rule, { matches: [{ path: {} }] })).toBe(false);
    expect(rewriteHasMacros("has(a.b) && has(self.m[0].p) && 'has(x[0].y)' == s")).toBe(
      `has(a.b) && __meshgate_has(self.m[0], "p") && 'has(x[0].y)' == s`,
    );
  });

  it("gives cel-go's error texts, which the API server embeds in its messages", () => {
    expect(errorOf("self.all(k, int(k) > 0)", new Map([["acd", 1n]]))).toBe("type conversion error from 'string' to 'int'");
    expect(errorOf("duration(self) >= duration('1ms')", "apple")).toBe("type conversion error from 'string' to 'google.protobuf.Duration'");
    expect(errorOf("self.x == 1", {})).toBe("no such key: x");
  });

  it("knows which rules are transition rules", () => {
    expect(compileCel("self == oldSelf").references.has("oldSelf")).toBe(true);
    expect(compileCel("self.size() > 0").references.has("oldSelf")).toBe(false);
  });

  it("builds environments with other variables for policies", () => {
    const env = createCelEnvironment({ object: "dyn" });
    expect(compileCel("object.spec.hosts.exists(h, h.endsWith('.local'))", env).evaluate({ object: { spec: { hosts: ["a.local"] } } })).toBe(true);
    expect(compileCel("[3, 1, 2].sum() == 6 && [1, 2].isSorted() && 'abc'.charAt(1) == 'b'", env).evaluate({})).toBe(true);
  });
});

describe("quoteGo", () => {
  it("quotes like strconv.Quote", () => {
    expect(quoteGo('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteGo("tab\there\u0001\u007f")).toBe('"tab\\there\\x01\\x7f"');
    expect(quoteGo("héllo ✓")).toBe('"héllo ✓"');
    expect(quoteGo("\u200b")).toBe('"\\u200b"');
  });
});
