import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { generateValidatorModule } from "../../scripts/build-schemas.ts";
import { compileCel } from "../../src/cel/cel-environment.ts";
import { CRD_RULES, CRD_VALIDATORS, type CrdValidator, type SchemaIssue } from "../../src/generated/crd-validators.js";
import { KNOWN_KINDS } from "../../src/mesh/kinds.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import type { Finding } from "../../src/review/finding.ts";
import { describeSchemaIssue } from "../../src/validation/schema/describe-schema-issue.ts";
import { validateSchema } from "../../src/validation/schema/validate-schema.ts";

function validate(yaml: string): Finding[] {
  const { resources, findings } = parseDocuments({ path: "x.yaml", content: yaml });
  expect(findings).toEqual([]);
  expect(resources).toHaveLength(1);
  return validateSchema(resources[0] as (typeof resources)[number]);
}

/** Code, line and message of each finding: what a user sees. */
const seen = (findings: Finding[]) => findings.map((f) => [f.code, f.line, f.message]);

describe("validateSchema: OpenAPI checks with the API server's messages", () => {
  it("reports a wrong type on the field's line", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
      weight: "90"
`);
    expect(seen(findings)).toEqual([
      ["MG2002", 9, `spec.http[0].route[0].weight: Invalid value: "string": spec.http[0].route[0].weight in body must be of type integer: "string"`],
    ]);
    expect(findings[0]?.path).toBe("spec.http[0].route[0].weight");
    expect(findings[0]?.rule).toBe("schema.ValidationAnalyzer.VirtualService");
  });

  it("reports null list items but drops null fields, as pruning does", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, creationTimestamp: null}
spec:
  hosts: [reviews]
  gateways: null
  http:
  -
`);
    expect(seen(findings)).toEqual([
      ["MG2002", 8, `spec.http[0]: Invalid value: "null": spec.http[0] in body must be of type object: "null"`],
    ]);
  });

  it("reports a value outside the enum with the supported values", () => {
    const findings = validate(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict}
spec:
  mtls:
    mode: STRICTLY
`);
    expect(seen(findings)).toEqual([
      ["MG2004", 6, `spec.mtls.mode: Unsupported value: "STRICTLY": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"`],
      ["MG2010", 1, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"],
    ]);
  });

  it("reports a missing required field at its parent", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  subsets:
  - name: v1
    labels: {version: v1}
`);
    expect(seen(findings)).toEqual([["MG2003", 4, "spec.host: Required value"]]);
  });

  it("reports range, length and pattern violations", () => {
    const findings = validate(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec:
  jwtRules:
  - issuer: example
    audiences: [""]
    outputClaimToHeaders:
    - {claim: sub, header: ":authority"}
`);
    expect(seen(findings)).toEqual([
      ["MG2005", 7, `spec.jwtRules[0].audiences[0]: Invalid value: "": spec.jwtRules[0].audiences[0] in body should be at least 1 chars long`],
      ["MG2005", 9, `spec.jwtRules[0].outputClaimToHeaders[0].header: Invalid value: ":authority": spec.jwtRules[0].outputClaimToHeaders[0].header in body should match '^[-_A-Za-z0-9]+$'`],
    ]);
    const warmup = validate(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      warmup: {duration: 60s, minimumPercent: 150.0}
`);
    expect(seen(warmup)).toEqual([
      ["MG2005", 8, "spec.trafficPolicy.loadBalancer.warmup.minimumPercent: Invalid value: 150: spec.trafficPolicy.loadBalancer.warmup.minimumPercent in body should be less than or equal to 100"],
    ]);
  });

  it("reports two members of a protobuf oneof (oneOf + not/anyOf in the CRD)", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN, consistentHash: {httpHeaderName: x-user}}
`);
    expect(seen(findings)).toEqual([
      ["MG2009", 7, `spec.trafficPolicy.loadBalancer: Invalid value: "": "spec.trafficPolicy.loadBalancer" must validate one and only one schema (oneOf). Found 2 valid alternatives`],
    ]);
  });

  it("reports duplicates in list-type set and map lists", () => {
    const set = validate(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  rules:
  - filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: {remove: [x-a, x-b, x-a]}
`);
    expect(seen(set)).toEqual([["MG2008", 8, `spec.rules[0].filters[0].requestHeaderModifier.remove[2]: Duplicate value: "x-a"`]]);
    const map = validate(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se}
spec:
  hosts: [example.com]
  ports:
  - {name: http, number: 80}
  - {name: http, number: 8080}
`);
    expect(seen(map)).toEqual([["MG2008", 8, `spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}`]]);
  });

  it("ignores status, which a create resets", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
status:
  anything: [1, 2]
`);
    expect(findings).toEqual([]);
  });

  it("has nothing to say about kinds or versions without a CRD schema", () => {
    expect(validate(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: "not a list"}\n`)).toEqual([]);
  });
});

describe("validateSchema: unknown fields", () => {
  it("reports an unknown field on its key, with the closest declared name", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  lables: {app: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
      wieght: 100
`);
    expect(seen(findings)).toEqual([
      ["MG2001", 5, 'unknown field "metadata.lables", did you mean `labels`?'],
      ["MG2001", 11, 'unknown field "spec.http[0].route[0].wieght", did you mean `weight`?'],
    ]);
    expect(findings[1]?.column).toBe(7);
  });

  it("suggests the camelCase name for a snake_case one, and nothing for an unrelated name", () => {
    const findings = validate(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec:
  jwtRules:
  - issuer: example
    forward_original_token: true
    colour: blue
`);
    expect(seen(findings)).toEqual([
      ["MG2001", 7, 'unknown field "spec.jwtRules[0].forward_original_token", did you mean `forwardOriginalToken`?'],
      ["MG2001", 8, 'unknown field "spec.jwtRules[0].colour"'],
    ]);
  });
});

describe("validateSchema: x-kubernetes-validations (CEL)", () => {
  it("reports a rule that is false with its message, at the rule's node", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se}
spec:
  hosts:
  - "*"
  resolution: DNS
`);
    expect(seen(findings)).toEqual([["MG2006", 6, `spec.hosts[0]: Invalid value: "string": hostname cannot be wildcard`]]);
  });

  it("prints map entries the way field.Path does: labels[key]", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se}
spec:
  hosts: [example.com]
  workloadSelector:
    labels: {app: "*"}
`);
    expect(seen(findings)).toEqual([["MG2006", 7, `spec.workloadSelector.labels[app]: Invalid value: "string": wildcard is not supported in selector`]]);
  });

  it("reports a rule that cannot be evaluated with cel-go's error text", () => {
    const findings = validate(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec:
  jwtRules:
  - issuer: example
    timeout: soon
`);
    expect(seen(findings)).toEqual([
      ["MG2007", 7, `spec.jwtRules[0].timeout: Invalid value: "string": type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: must be a valid duration greater than 1ms`],
    ]);
  });

  it("skips rules when a blocking error exists, as the API server does, and says so", () => {
    const findings = validate(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se}
spec:
  hosts: ["*"]
  resolution: SOMETIMES
`);
    // hosts: ["*"] breaks a rule, but the enum error blocks all rules.
    expect(seen(findings)).toEqual([
      ["MG2004", 6, `spec.resolution: Unsupported value: "SOMETIMES": supported values: "NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"`],
      ["MG2010", 1, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"],
    ]);
    expect(findings[1]?.severity).toBe("info");
  });

  it("applies CRD defaults before rules (Gateway API rules read defaulted fields)", () => {
    // The HTTPRoute rule limiting matches reads self[0].matches, which exists only through its default.
    const valid = validate(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: web, port: 80, weight: 90}, {name: web-canary, port: 80, weight: 10}]
  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-debug, value: "1"}]}]
    filters:
    - type: URLRewrite
      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
    backendRefs: [{name: api, port: 8080}]
`);
    expect(valid).toEqual([]);
    const invalid = validate(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  rules:
  - matches:
    - path: {type: Exact, value: api}
`);
    expect(seen(invalid)).toEqual([
      ["MG2006", 7, `spec.rules[0].matches[0].path: Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`],
    ]);
  });

  it("accepts typical Gateway API objects", () => {
    expect(validate(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls: {mode: Terminate, certificateRefs: [{name: wildcard-cert}]}
`)).toEqual([]);
    expect(validate(`apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{method: {service: helloworld.Greeter, method: SayHello}}]
    backendRefs: [{name: greeter, port: 50051}]
`)).toEqual([]);
  });
});

describe("the generated validators", () => {
  const generated = readFileSync(new URL("../../src/generated/crd-validators.js", import.meta.url), "utf8");

  it("contain no eval, no Function constructor and no imports (workerd refuses code generation)", () => {
    expect(generated).not.toMatch(/new Function|\bFunction\(|\beval\(|\brequire\(|^import /m);
  });

  it("cover every served version of every Istio and Gateway API kind", () => {
    const missing = KNOWN_KINDS.filter((k) => k.family !== "inventory")
      .flatMap((k) => k.versions.map((v) => `${k.group}/${v}/${k.kind}`))
      .filter((key) => !(key in CRD_VALIDATORS));
    expect(missing).toEqual([]);
  });

  it("have every CRD rule parse in the CEL environment", () => {
    const failures = CRD_RULES.flatMap((r) => {
      try {
        compileCel(r.rule);
        return [];
      } catch (error) {
        return [`${r.rule}: ${(error as Error).message}`];
      }
    });
    expect(CRD_RULES.length).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it("check x-kubernetes-int-or-string and nullable like kube-openapi", async () => {
    const code = generateValidatorModule({
      probe: {
        type: "object",
        properties: {
          port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }], pattern: "^[a-z]+$" },
          note: { type: "string", nullable: true },
        },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "meshgate-schema-"));
    writeFileSync(join(dir, "probe.js"), code);
    const mod = (await import(pathToFileURL(join(dir, "probe.js")).href)) as { CRD_VALIDATORS: Record<string, CrdValidator> };
    const run = (data: unknown): string[] => {
      const issues: SchemaIssue[] = [];
      mod.CRD_VALIDATORS.probe?.(data, [], issues, []);
      return issues.map((i) => describeSchemaIssue(i).message);
    };
    expect(run({ port: 8080, note: null })).toEqual([]);
    expect(run({ port: "http" })).toEqual([]);
    expect(run({ port: "HTTP" })).toEqual([`port: Invalid value: "HTTP": port in body should match '^[a-z]+$'`]);
    expect(run({ port: true })).toEqual([`port: Invalid value: "boolean": port in body must be of type integer,string: "boolean"`]);
    expect(run({ port: 1.5 })).toEqual([`port: Invalid value: "number": port in body must be of type integer,string: "number"`]);
  });
});
