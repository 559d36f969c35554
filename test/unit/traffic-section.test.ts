import { describe, expect, it } from "vitest";
import { trafficSection } from "../../src/render/traffic-section.ts";
import { type ChangeReview, reviewChange } from "../../src/review/review-change.ts";
import type { TrafficChange } from "../../src/simulation/diff-traffic.ts";
import type { RequestClass, TrafficShare } from "../../src/simulation/simulate-traffic.ts";

const source = { kind: "VirtualService", namespace: "shop", name: "web" };
// Without `mirrors`, an outcome as a simulation that does not fill the field gives it (hence the cast).
const outcome = (shares: TrafficShare[], mirrors?: TrafficShare[]): RequestClass =>
  ({ rule: 0, match: "any request", action: "route", shares, ...(mirrors ? { mirrors } : {}), unreachable: false, source, file: "m.yaml", line: 7 }) as unknown as RequestClass;
const review = (traffic: TrafficChange[]): ChangeReview => ({ ...reviewChange([], [], { analyzers: [] }), traffic });
const web = (subset: string, percent: number): TrafficShare => ({ host: "web.shop.svc.cluster.local", subset, percent });
const shadow: TrafficShare = { host: "web-shadow.shop.svc.cluster.local", percent: 5 };

describe("trafficSection", () => {
  it("shows what a class mirrors after its shares, and a dotted edge for it in the diagram", () => {
    const change: TrafficChange = { host: "web", gateway: "mesh", protocol: "http", match: "any request", before: outcome([web("v1", 100)], []), after: outcome([web("v1", 100)], [shadow]), outage: false };
    const [table, diagram] = trafficSection(review([change]));
    expect(table).toContain("| <code>web</code> | <code>mesh</code> | any request | <code>web/v1</code> 100% | <code>web/v1</code> 100% · mirror <code>web-shadow</code> 5% |");
    expect(diagram).toContain('  r0 -.->|"mirror 5%"| m0_0["web-shadow"]');
  });

  it("reads an outcome without the mirrors field as mirroring nothing", () => {
    const change: TrafficChange = { host: "web", gateway: "mesh", protocol: "http", match: "any request", before: outcome([web("v1", 100)]), after: outcome([web("v1", 50), web("v2", 50)]), outage: false };
    const [table, diagram] = trafficSection(review([change]));
    expect(table).toContain("| <code>web/v1</code> 100% | <code>web/v1</code> 50%, <code>web/v2</code> 50% |");
    expect(diagram).not.toContain("mirror");
  });

  it("calls a class that now goes nowhere an outage, and a missing subset by name", () => {
    const gone: TrafficChange = { host: "web", gateway: "mesh", protocol: "http", match: "any request", before: outcome([web("v1", 100)]), after: { ...outcome([]), action: "nowhere" }, outage: true };
    const missing: TrafficChange = { ...gone, after: outcome([{ ...web("v3", 100), problem: "unknown-subset" }]) };
    const [table] = trafficSection(review([gone, missing]));
    expect(table).toContain("| <code>web/v1</code> 100% | **nowhere** 🚨 **outage** |");
    expect(table).toContain("| <code>web/v3</code> 100% ⚠️ subset missing 🚨 **outage** |");
  });
});
