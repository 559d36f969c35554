import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createAppJwt } from "../../src/github/create-app-jwt.ts";
import { PrivateKeyError, readPrivateKey } from "../../src/github/read-private-key.ts";
import { verifyWebhookSignature } from "../../src/github/verify-webhook-signature.ts";

const vars = env as unknown as Record<string, string>;
const SECRET = vars.GITHUB_WEBHOOK_SECRET as string;
const encoder = new TextEncoder();

async function sign(body: string, secret = SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function pemDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function base64urlJson(part: string): Record<string, unknown> {
  return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
}

async function deliver(event: string, payload: unknown, options: { delivery?: string; signature?: string | null; raw?: string } = {}) {
  const body = options.raw ?? JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": options.delivery ?? crypto.randomUUID() };
  const signature = options.signature === undefined ? await sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return exports.default.fetch("http://meshgate.test/webhooks/github", { method: "POST", body, headers });
}

const repository = { id: 1, name: "mesh", full_name: "acme/mesh", owner: { login: "acme" } };
function pullRequestOpened(sha: string) {
  const side = (ref: string, s: string) => ({ ref, sha: s, repo: repository, label: `acme:${ref}` });
  return {
    action: "opened",
    number: 7,
    installation: { id: 99, node_id: "I" },
    repository,
    sender: { login: "dev" },
    pull_request: { number: 7, state: "open", draft: false, html_url: "https://github.com/acme/mesh/pull/7", head: side("canary", sha), base: side("main", "b".repeat(40)) },
  };
}

describe("webhook signatures", () => {
  it("accepts GitHub's documented test vector and nothing else", async () => {
    const body = encoder.encode("Hello, World!").buffer as ArrayBuffer;
    const good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verifyWebhookSignature("It's a Secret to Everybody", body, good)).toBe(true);
    expect(await verifyWebhookSignature("It's a Secret to Everybody", body, good.replace(/7$/, "8"))).toBe(false);
    expect(await verifyWebhookSignature("another secret", body, good)).toBe(false);
    expect(await verifyWebhookSignature("It's a Secret to Everybody", body, good.slice(0, -2))).toBe(false);
    expect(await verifyWebhookSignature("It's a Secret to Everybody", body, null)).toBe(false);
    expect(await verifyWebhookSignature("It's a Secret to Everybody", body, good.replace("sha256=", "sha1="))).toBe(false);
  });
});

describe("App authentication on WebCrypto", () => {
  it("converts GitHub's PKCS#1 key and signs an RS256 JWT GitHub's rules accept", async () => {
    expect(vars.GITHUB_PRIVATE_KEY).toContain("BEGIN RSA PRIVATE KEY");
    const key = await readPrivateKey(vars.GITHUB_PRIVATE_KEY as string);
    const jwt = await createAppJwt("4242", key, 1_700_000_000);
    const [header, payload, signature] = jwt.split(".") as [string, string, string];
    expect(base64urlJson(header)).toEqual({ alg: "RS256", typ: "JWT" });
    const claims = base64urlJson(payload);
    expect(claims).toEqual({ iss: 4242, iat: 1_700_000_000 - 60, exp: 1_700_000_000 + 540 });
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(600);
    const pub = await crypto.subtle.importKey("spki", pemDer(vars.TEST_APP_PUBLIC_KEY as string), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    const sig = Uint8Array.from(atob(signature.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    expect(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", pub, sig, encoder.encode(`${header}.${payload}`))).toBe(true);
  });

  it("takes a key pasted on one line with escaped newlines", async () => {
    await expect(readPrivateKey((vars.GITHUB_PRIVATE_KEY as string).replace(/\n/g, "\\n"))).resolves.toBeTruthy();
  });

  it("refuses other keys with the command that fixes them, never echoing the key", async () => {
    const ec = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBsecretmaterial\n-----END EC PRIVATE KEY-----";
    const error = await readPrivateKey(ec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrivateKeyError);
    expect((error as Error).message).toContain('"EC PRIVATE KEY"');
    expect((error as Error).message).not.toContain("secretmaterial");
    const garbage = await readPrivateKey("not a key").catch((e: unknown) => e);
    expect((garbage as Error).message).toContain("openssl pkcs8 -topk8");
    const corrupt = await readPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").catch((e: unknown) => e);
    expect((corrupt as Error).message).toMatch(/could not be imported.*openssl pkcs8/);
  });
});

describe("POST /webhooks/github", () => {
  it("answers 401 to a missing or wrong signature, before reading the payload", async () => {
    expect((await deliver("pull_request", pullRequestOpened("a".repeat(40)), { signature: null })).status).toBe(401);
    expect((await deliver("pull_request", pullRequestOpened("a".repeat(40)), { signature: await sign("{}", "wrong") })).status).toBe(401);
    // Not JSON at all, yet unsigned: still 401, proving nothing was parsed first.
    expect((await deliver("pull_request", null, { raw: "{not json", signature: null })).status).toBe(401);
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    expect((await deliver("pull_request", null, { raw: "{not json" })).status).toBe(400);
  });

  it("ignores events it does not act on, with a reason", async () => {
    const res = await deliver("star", { action: "created", repository, sender: { login: "x" } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ignored: "star.created is not an event meshgate acts on" });
    expect((await (await deliver("pull_request", { ...pullRequestOpened("a".repeat(40)), action: "labeled" })).json())).toEqual({ ignored: "pull_request.labeled needs no review" });
  });

  it("queues a pull request once per delivery: a redelivery is a duplicate", async () => {
    const delivery = crypto.randomUUID();
    const payload = pullRequestOpened("c".repeat(40));
    const first = await deliver("pull_request", payload, { delivery });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: "queued" });
    const again = await deliver("pull_request", payload, { delivery });
    expect(await again.json()).toEqual({ status: "duplicate" });
  });
});

describe("GET /healthz", () => {
  it("says which secrets are set, never their values", async () => {
    const res = await exports.default.fetch("http://meshgate.test/healthz");
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ ok: true, ready: true, secrets: { GITHUB_APP_ID: true, GITHUB_PRIVATE_KEY: true, GITHUB_WEBHOOK_SECRET: true } });
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("PRIVATE KEY");
  });
});
