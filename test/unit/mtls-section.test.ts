import { describe, expect, it } from "vitest";
import { codeSpan } from "../../src/render/escape-markdown.ts";
import { mtlsSection } from "../../src/render/mtls-section.ts";
import { reviewChange } from "../../src/review/review-change.ts";

const pa = (ns: string, name: string, spec: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: "${ns}"}\nspec:\n${spec}---\n`;
const pod = (ns: string, name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: "${name}", namespace: "${ns}", labels: {app: "${name}"}}\nspec:\n  containers: [{name: app, image: app}, {name: istio-proxy, image: proxyv2}]\n---\n`;
const svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {app: db}\n  ports: [{port: 80, targetPort: 8080}, {port: 5432}]\n---\n";
const section = (base: string, head: string) =>
  mtlsSection(reviewChange([{ path: "mesh/m.yaml", content: base }], [{ path: "mesh/m.yaml", content: head }], { analyzers: [] })).join("\n");

describe("mtlsSection", () => {
  it("puts a conflict on one line per deciding field and workload, naming its ports and where the field is", () => {
    const base = pa("istio-system", "default", "  mtls: {mode: STRICT}\n") + pod("shop", "db") + svc;
    const dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: db, namespace: shop}\nspec:\n  host: db\n  trafficPolicy: {tls: {mode: DISABLE}}\n";
    const md = section(base, base + dr);
    const line = (base + dr).split("\n").findIndex((l) => l.includes("tls: {mode: DISABLE}")) + 1;
    expect(md).toBe(
      [
        "#### mTLS",
        "",
        `- 🚨 DestinationRule shop/db at ${codeSpan(`mesh/m.yaml:${line}`)}: clients send plaintext to shop/db ports 80 \\(target port 8080\\), 5432, which requires Istio mTLS \\(STRICT\\): connections fail`,
      ].join("\n"),
    );
  });

  it("nests port-level changes under their workload", () => {
    const policy = (port: string) => pa("shop", "db", `  selector: {matchLabels: {app: db}}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    8080: {mode: ${port}}\n`);
    const md = section(policy("STRICT") + pod("shop", "db"), policy("DISABLE") + pod("shop", "db"));
    expect(md).toBe(["#### mTLS", "", "- workload <code>shop/db</code>, by port:", "  - ⚠️ **weaker**: port <code>8080</code>: STRICT → DISABLE"].join("\n"));
  });

  it("names the workloads that follow their namespace on its line, escaping repo text", () => {
    const evil = "a*b<i>";
    const rest = pod("shop", "web") + pod("shop", "db") + pod(evil, "x") + pa("legacy", "default", "  mtls: {mode: STRICT}\n") + pod("legacy", "old");
    const md = section(pa("istio-system", "default", "  mtls: {mode: STRICT}\n") + rest, pa("istio-system", "default", "  mtls: {mode: PERMISSIVE}\n") + rest);
    expect(md).toBe(
      [
        "#### mTLS",
        "",
        "- ⚠️ **weaker**: mesh: STRICT → PERMISSIVE",
        "- ⚠️ **weaker**: namespace <code>shop</code>: STRICT → PERMISSIVE, and so its workloads <code>web</code>, <code>db</code>",
        `- ⚠️ **weaker**: namespace ${codeSpan(evil)}: STRICT → PERMISSIVE, and so its workload <code>x</code>`,
      ].join("\n"),
    );
    expect(md).not.toContain("<i>");
  });

  it("names a client-side weakening's clients and rule, and caps the section with a count", () => {
    const base = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: PERMISSIVE}\n") + pod("shop", "db") + svc;
    const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: "db_*", namespace: shop}\nspec:\n  host: db\n  exportTo: ["."]\n  trafficPolicy: {tls: {mode: DISABLE}}\n';
    expect(section(base, base + dr)).toBe(
      [
        "#### mTLS",
        "",
        "- ⚠️ **weaker**: clients in shop → <code>shop/db</code> port 80 \\(target port 8080\\): mTLS → plaintext (clients apply DestinationRule shop/db\\_\\*)",
        "- ⚠️ **weaker**: clients in shop → <code>shop/db</code> port 5432: mTLS → plaintext (clients apply DestinationRule shop/db\\_\\*)",
      ].join("\n"),
    );
    let many = "";
    for (let i = 0; i < 80; i++) many += pod(`ns${i}`, "w");
    const md = section(pa("istio-system", "default", "  mtls: {mode: STRICT}\n") + many, pa("istio-system", "default", "  mtls: {mode: DISABLE}\n") + many);
    expect(md.split("\n").length).toBeLessThanOrEqual(2 + 60 + 1);
    expect(md).toMatch(/\n- … and 21 more mTLS changes not shown$/);
  });
});
