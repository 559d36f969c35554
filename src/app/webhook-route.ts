import { Hono } from "hono";
import { verifyWebhookSignature } from "../github/verify-webhook-signature.ts";
import type { AppBindings } from "./app-bindings.ts";
import { AppConfigError, gitHubApp } from "./github-app.ts";
import { type PullTarget, pullRequestKey } from "./jobs.ts";
import { errorMessage, log } from "./log.ts";
import { routeEvent } from "./route-event.ts";

function reviewer(env: AppBindings, target: PullTarget) {
  return env.PULL_REQUESTS.get(env.PULL_REQUESTS.idFromName(pullRequestKey(target)));
}

/**
 * `POST /webhooks/github`: the signature is checked over the raw bytes before anything parses them;
 * the work is handed to the pull request's Durable Object and the answer (202) goes back at once.
 */
export const webhookRoute = new Hono<{ Bindings: AppBindings }>().post("/webhooks/github", async (c) => {
  const event = c.req.header("x-github-event") ?? "";
  const delivery = c.req.header("x-github-delivery") ?? "";
  const secret = c.env.GITHUB_WEBHOOK_SECRET;
  if (!secret) {
    log("webhook.unconfigured", { event, delivery });
    return c.json({ error: "GITHUB_WEBHOOK_SECRET is not set" }, 503);
  }
  const body = await c.req.arrayBuffer();
  if (!(await verifyWebhookSignature(secret, body, c.req.header("x-hub-signature-256")))) {
    log("webhook.rejected", { event, delivery, reason: c.req.header("x-hub-signature-256") ? "signature mismatch" : "no signature" });
    return c.json({ error: "invalid signature" }, 401);
  }
  if (!event || !delivery) return c.json({ error: "X-GitHub-Event and X-GitHub-Delivery are required" }, 400);
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(body));
  } catch {
    log("webhook.malformed", { event, delivery });
    return c.json({ error: "payload is not JSON" }, 400);
  }
  try {
    const app = gitHubApp(c.env);
    const decision = routeEvent(event, delivery, payload, app.appId);
    if (decision.action === "ignore") {
      log("webhook.ignored", { event, delivery, reason: decision.reason });
      return c.json({ ignored: decision.reason }, 202);
    }
    if (decision.action === "enqueue") {
      const status = await reviewer(c.env, decision.target).enqueue(decision.target, decision.job);
      log("webhook.accepted", { event, delivery, pr: pullRequestKey(decision.target), job: decision.job.type, status });
      return c.json({ status }, 202);
    }
    // A fork's check suite names no pull request: finding it costs a GitHub call, made after answering.
    const { installationId, owner, repo, headSha } = decision;
    c.executionCtx.waitUntil(
      (async () => {
        try {
          const gh = await app.repository(installationId, owner, repo);
          for (const number of await gh.pullRequestsForCommit(headSha)) {
            const target = { installationId, owner, repo, number };
            await reviewer(c.env, target).enqueue(target, { type: "review", deliveryId: `${delivery}:${number}`, reason: "check suite re-requested", force: true });
          }
        } catch (error) {
          log("webhook.lookup-failed", { event, delivery, error: errorMessage(error) });
        }
      })(),
    );
    return c.json({ status: "looking up pull requests" }, 202);
  } catch (error) {
    log("webhook.error", { event, delivery, error: errorMessage(error) });
    const message = error instanceof AppConfigError ? error.message : "internal error";
    return c.json({ error: message }, error instanceof AppConfigError ? 503 : 500);
  }
});
