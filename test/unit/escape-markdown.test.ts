import { describe, expect, it } from "vitest";
import { codeSpan, escapeMarkdown, mermaidLabel } from "../../src/render/escape-markdown.ts";
import { oneLine } from "../../src/render/one-line.ts";

// No CommonMark renderer is installed (and none may be added), so the exact output is asserted. Each
// expectation follows CommonMark: a numeric entity (&#96;) is always literal text, a backslash before
// ASCII punctuation makes it literal, and only \n, \r and \r\n end a line (spec §2.1, §2.4, §2.5).

const AUDIT_NAME = "x`<details>|[a](https:evil)_*y*.yaml";

describe("codeSpan", () => {
  it("turns every Markdown-significant character into an entity, so nothing inside <code> is parsed", () => {
    expect(codeSpan(AUDIT_NAME)).toBe("<code>x&#96;&#60;details&#62;&#124;&#91;a&#93;&#40;https&#58;evil&#41;&#95;&#42;y&#42;.yaml</code>");
  });

  it("leaves nothing between the tags that Markdown, GFM or HTML would act on", () => {
    const all = "`*_[]()~|\\#!<>&\"'@$:";
    const inner = codeSpan(all).slice("<code>".length, -"</code>".length);
    expect(inner).toMatch(/^(&#\d+;)+$/);
    expect(inner.match(/&#\d+;/g)?.map((e) => String.fromCharCode(Number(e.slice(2, -1)))).join("")).toBe(all);
  });

  it("keeps plain names readable", () => {
    expect(codeSpan("reviews.shop.svc.cluster.local/v2")).toBe("<code>reviews.shop.svc.cluster.local/v2</code>");
  });
});

describe("escapeMarkdown", () => {
  it("backslash-escapes Markdown punctuation, HTML-escapes markup, and breaks @-mentions", () => {
    expect(escapeMarkdown(AUDIT_NAME)).toBe("x\\`&lt;details&gt;\\|\\[a\\]\\(https:evil\\)\\_\\*y\\*.yaml");
    expect(escapeMarkdown("@team ~~gone~~ $x$ &amp;")).toBe("@\u200bteam \\~\\~gone\\~\\~ \\$x\\$ &amp;amp;");
  });
});

describe("mermaidLabel", () => {
  it("quotes the label and turns quote, backtick, markup and entity characters into Mermaid #codes", () => {
    expect(mermaidLabel('a"b`c<d>e&f#g')).toBe('"a#34;b#96;c#60;d#62;e#38;f#35;g"');
  });

  it("cannot start a %%{…}%% directive but keeps a lone percent", () => {
    expect(mermaidLabel("50%")).toBe('"50%"');
    expect(mermaidLabel("%%{init: {}}%%")).toBe('"#37;%{init: {}}#37;%"');
  });
});

describe("every escaper, on line breaks and control characters", () => {
  // Each of these ends a line somewhere: \r and \n in CommonMark, U+2028/2029/0085 in browsers and
  // terminals; ESC drives a terminal; U+202E reverses what follows.
  const breaks = ["\r", "\n", "\r\n", "\u2028", "\u2029", "\u0085", "\u001b", "\u0000", "\t", "\u202e"];

  it.each(breaks.map((b) => [JSON.stringify(b), b]))("makes %s a space", (_name, b) => {
    const text = `a${b}\`\`\`${b}# Injected${b}[l](https://evil.example)`;
    for (const out of [oneLine(text), escapeMarkdown(text), codeSpan(text), mermaidLabel(text)]) {
      expect(out).not.toMatch(/[\r\n\u2028\u2029\u0085\u001b\u0000\t\u202e]/);
    }
    expect(oneLine(text)).toBe("a ``` # Injected [l](https://evil.example)");
  });

  it("collapses a run of them to one space", () => {
    expect(oneLine("a\r\n\u2028b")).toBe("a b");
  });

  it("keeps a Mermaid label from ending its fence", () => {
    const label = mermaidLabel("a\r```\r# Injected heading\r[link](https://evil.example)");
    expect(label).toBe('"a #96;#96;#96; #35; Injected heading [link](https://evil.example)"');
  });
});
