import { createHmac, randomBytes, randomUUID } from "node:crypto";

export interface Delivery {
  /** The `X-GitHub-Delivery` GUID; a redelivery repeats it. */
  id: string;
  event: string;
  action: string | null;
  /** The receiver's HTTP status; 0 when there is no webhook URL, or it could not be reached or did not answer within 10 s. */
  status: number;
  durationMs: number;
  responseBody: string;
  redelivery: boolean;
  payload: unknown;
  error?: string;
}

/** "Your server should respond with a 2XX response within 10 seconds" (GitHub webhook best practices). */
const DELIVERY_TIMEOUT_MS = 10_000;
/** Events every app receives whatever it subscribed to. */
const ALWAYS_DELIVERED = new Set(["installation", "installation_repositories", "github_app_authorization"]);

export interface WebhookTarget {
  secret: string;
  appId: number;
  events: readonly string[];
  url: string | undefined;
  /** Also deliver the events the app's own API calls cause (its comments, its check runs), as GitHub does. */
  ownEvents: boolean;
}

/** Sends signed deliveries the way GitHub's Hookshot does, and keeps them for redelivery and assertions. */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  readonly #target: WebhookTarget;
  readonly #hookId = String(500_000_000 + Math.floor(Math.random() * 1_000_000));
  readonly #agent = `GitHub-Hookshot/${randomBytes(4).toString("hex").slice(0, 7)}`;
  readonly #bodies = new Map<string, { event: string; body: Buffer; payload: unknown }>();

  constructor(target: WebhookTarget) {
    this.#target = target;
  }

  get url(): string | undefined {
    return this.#target.url;
  }

  setUrl(url: string): void {
    this.#target.url = url;
  }

  /** Whether the app would receive `event` at all. */
  subscribed(event: string): boolean {
    return ALWAYS_DELIVERED.has(event) || this.#target.events.includes(event);
  }

  /**
   * An event the app's own API call caused (GitHub sends an app `issue_comment.created` for its own
   * comment, `check_run.created` for its own run): built now, sent after the API answer, when enabled.
   */
  notify(event: string, buildPayload: () => object): void {
    if (!this.#target.ownEvents || !this.subscribed(event)) return;
    const payload = buildPayload();
    setImmediate(() => void this.send(event, payload).catch(() => undefined));
  }

  async send(event: string, payload: object): Promise<Delivery> {
    if (!this.subscribed(event)) throw new Error(`the app is not subscribed to "${event}" events; GitHub would not deliver it`);
    const id = randomUUID();
    const body = Buffer.from(JSON.stringify(payload));
    this.#bodies.set(id, { event, body, payload });
    return this.#post(id, event, body, payload, false);
  }

  /** "If you request a redelivery, the X-GitHub-Delivery header will be the same as in the original delivery." */
  async redeliver(id: string): Promise<Delivery> {
    const original = this.#bodies.get(id);
    if (original === undefined) throw new Error(`no delivery ${id}`);
    return this.#post(id, original.event, original.body, original.payload, true);
  }

  async #post(id: string, event: string, body: Buffer, payload: unknown, redelivery: boolean): Promise<Delivery> {
    const url = this.#target.url;
    const action = typeof payload === "object" && payload !== null && "action" in payload && typeof payload.action === "string" ? payload.action : null;
    const started = performance.now();
    const delivery: Delivery = { id, event, action, status: 0, durationMs: 0, responseBody: "", redelivery, payload };
    if (url === undefined) {
      // Like an app without a webhook URL: nothing is sent, and the delivery can be redelivered once one is set.
      delivery.error = "no webhook URL is set (setWebhookUrl)";
      this.deliveries.push(delivery);
      return delivery;
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": this.#agent,
          "x-github-event": event,
          "x-github-delivery": id,
          "x-github-hook-id": this.#hookId,
          "x-github-hook-installation-target-id": String(this.#target.appId),
          "x-github-hook-installation-target-type": "integration",
          "x-hub-signature": `sha1=${createHmac("sha1", this.#target.secret).update(body).digest("hex")}`,
          "x-hub-signature-256": `sha256=${createHmac("sha256", this.#target.secret).update(body).digest("hex")}`,
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      delivery.status = response.status;
      delivery.responseBody = await response.text();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    delivery.durationMs = performance.now() - started;
    this.deliveries.push(delivery);
    return delivery;
  }
}
