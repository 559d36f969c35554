// The local demo: the Worker in workerd, GitHub simulated (real git, real HTTP, signed webhooks).
// A pull request on the example repo shifts the reviews canary and weakens mTLS; meshgate reviews it.
import { exampleRepoFiles, shiftCanary, weakenMtls } from "../test/support/example-repo.ts";
import { startAppHarness } from "../test/support/start-app-harness.ts";

const OWNER = "acme";
const REPO = "mesh";

console.log("Starting the GitHub simulator and the meshgate Worker (wrangler dev, workerd)…");
const app = await startAppHarness();
try {
  const files = await exampleRepoFiles("examples/bookinfo");
  await app.github.createRepository(OWNER, REPO, files);
  await app.github.installApp(OWNER, [REPO]);
  const head = await app.github.commit(
    OWNER,
    REPO,
    "canary-and-mtls",
    { "mesh/reviews.yaml": shiftCanary(files["mesh/reviews.yaml"] ?? ""), "mesh/security.yaml": weakenMtls(files["mesh/security.yaml"] ?? "") },
    "Shift reviews to 40% v2; mesh-wide mTLS permissive",
  );
  const mark = app.github.requests.length;
  const started = Date.now();
  const { number, delivery } = await app.github.openPullRequest(OWNER, REPO, { head: "canary-and-mtls", title: "Shift the reviews canary, relax mTLS" });
  console.log(`Opened ${OWNER}/${REPO}#${number} (head ${head.slice(0, 7)}); the webhook was answered ${delivery.status} in ${delivery.durationMs} ms.`);
  const { run, comment, calls } = await app.reviewed(OWNER, REPO, number, head, mark);
  const latency = Date.now() - started;
  console.log("\n──────── the comment meshgate posted ────────\n");
  console.log(comment.body);
  console.log("──────── the check run ────────\n");
  console.log(`meshgate: ${run.conclusion} — ${run.output.title}`);
  for (const a of run.annotations) console.log(`  ${a.path}:${a.start_line} [${a.annotation_level}] ${a.title}: ${a.message}`);
  console.log(`\nWebhook to comment: ${latency} ms. GitHub API calls for this pull request: ${calls.length} (${calls.map((c) => `${c.method} ${c.path}`).join(", ")}).`);
} finally {
  await app.stop();
}
