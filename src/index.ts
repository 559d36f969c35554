import { Hono } from "hono";
import { type AppBindings, configuredSecrets } from "./app/app-bindings.ts";
import { webhookRoute } from "./app/webhook-route.ts";
import { checkApi } from "./http/check-api.ts";
import { VERSION } from "./version.ts";

export { MeshIndexStore } from "./app/mesh-index-store.ts";
export { PullRequestReviewer } from "./app/pull-request-reviewer.ts";

const app = new Hono<{ Bindings: AppBindings }>();
app.get("/healthz", (c) => {
  const secrets = configuredSecrets(c.env);
  return c.json({ ok: true, version: VERSION, secrets, ready: Object.values(secrets).every(Boolean) });
});
app.route("/", webhookRoute);
app.route("/", checkApi);

export default app satisfies ExportedHandler<AppBindings>;
