import { Hono } from "hono";
import { checkApi, type CheckApiBindings } from "./http/check-api.ts";
import { VERSION } from "./version.ts";

const app = new Hono<{ Bindings: CheckApiBindings }>();
app.get("/healthz", (c) => c.json({ ok: true, version: VERSION }));
app.route("/", checkApi);

export default app satisfies ExportedHandler<CheckApiBindings>;
