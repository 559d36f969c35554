import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";

const post = (body: unknown) =>
  exports.default.fetch("http://meshgate.test/api/check", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("the engine inside workerd", () => {
  it("finds exactly what the CLI finds on the example repo", async () => {
    const res = await post({ files: inject("exampleFiles") });
    expect(res.status).toBe(200);
    const cli = JSON.parse(inject("exampleCliReport")) as { findings: { code: string }[] };
    // The example repo has deliberate mistakes across every layer, so this comparison is not vacuous.
    expect(new Set(cli.findings.map((f) => f.code.slice(0, 3)))).toEqual(new Set(["IST", "MG2", "MG4", "MG5"]));
    expect(await res.json()).toEqual(cli);
  });

  it("reports bad YAML as a finding with its line, not a failure", async () => {
    const res = await post({ files: [{ path: "bad.yaml", content: "apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n" }] });
    const report = (await res.json()) as { findings: { code: string; file: string; line: number }[] };
    expect(report.findings).toEqual([expect.objectContaining({ code: "MG1001", file: "bad.yaml", line: 5 })]);
  });

  it("refuses a body that is not a set of files", async () => {
    expect((await post({ files: [{ path: 1 }] })).status).toBe(400);
    const res = await exports.default.fetch("http://meshgate.test/api/check", { method: "POST", body: "{" });
    expect(res.status).toBe(400);
  });

  it("reports its version on /healthz", async () => {
    const res = await exports.default.fetch("http://meshgate.test/healthz");
    expect(await res.json()).toMatchObject({ ok: true, version: inject("packageVersion") });
  });
});

describe("the check API switch", () => {
  it("is off unless CHECK_API=on", async () => {
    const { default: app } = await import("../../src/index.ts");
    const res = await app.fetch(new Request("http://meshgate.test/api/check", { method: "POST", body: "{}" }), {});
    expect(res.status).toBe(404);
  });
});
