import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import type { FindingSummary } from "../review/summarize-findings.ts";

/** `--format json` with `--base`: the findings contract plus the change's simulations as plain data. */
export function renderReviewJson(review: ChangeReview, summary: FindingSummary): string {
  const report = {
    findings: review.findings,
    summary,
    changes: review.changes.map((c) => ({
      type: c.type,
      resource: formatOrigin(c.resource),
      fields: c.fields.map((f) => ({ type: f.type, path: f.path, before: f.before, after: f.after })),
      ...(c.renamedFrom ? { renamedFrom: formatOrigin(c.renamedFrom) } : {}),
      ...(c.renamedTo ? { renamedTo: formatOrigin(c.renamedTo) } : {}),
    })),
    traffic: review.traffic.map((t) => ({
      host: t.host,
      gateway: t.gateway,
      protocol: t.protocol,
      match: t.match,
      before: t.before ? { action: t.before.action, shares: t.before.shares, mirrors: t.before.mirrors ?? [] } : null,
      after: t.after ? { action: t.after.action, shares: t.after.shares, mirrors: t.after.mirrors ?? [] } : null,
      outage: t.outage,
      ...(t.note ? { note: t.note } : {}),
    })),
    mtls: review.mtls.map((m) => ({
      scope: m.scope,
      level: m.level ?? null,
      before: m.before ?? null,
      after: m.after ?? null,
      weakening: m.weakening || m.channel !== undefined,
      ...(m.conflict ? { conflict: m.conflict.message } : {}),
    })),
    access: review.access.map((a) => ({ workload: a.workload, before: a.before, after: a.after, sentence: a.sentence })),
    rollout: {
      rolloutsOn: review.rollout.rolloutsOn,
      routes: review.rollout.routes.map((r) => ({ resource: formatOrigin(r.resource), field: r.field, name: r.name ?? null, rule: r.rule, destinations: r.destinations, from: r.from, to: r.to })),
      steps: review.rollout.steps.map((s) => ({ index: s.index, weights: s.weights, bakeSeconds: s.bakeSeconds })),
      before: review.rollout.before.map(formatOrigin),
      after: review.rollout.after.map(formatOrigin),
      unsteppable: review.rollout.unsteppable.map((u) => ({ resource: formatOrigin(u.resource), reason: u.reason })),
      totalSeconds: review.rollout.totalSeconds,
      rollbackSeconds: review.rollout.rollbackSeconds,
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
