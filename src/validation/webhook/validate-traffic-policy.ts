import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue } from "../../mesh/json.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkFqdn } from "./dns-names.ts";
import { durationNanos, validateDuration } from "./durations.ts";
import { checkIpAddress, checkPort } from "./ports.ts";
import { boolAt, isSet, listAt, numberAt, objectAt, stringAt } from "./read-spec.ts";
import { validateClientTls } from "./validate-client-tls.ts";
import type { Issues } from "./webhook-issues.ts";

const FAMILY = WEBHOOK_FAMILIES.trafficPolicy;

/** `validateTrafficPolicy`: a DestinationRule's (or a subset's) traffic policy at `path`. */
export function validateTrafficPolicy(out: Issues, value: JsonValue | undefined, path: FieldPath, namespace: string): void {
  const policy = objectAt(value);
  if (!policy) return;
  const fields = ["outlierDetection", "connectionPool", "loadBalancer", "tls", "portLevelSettings", "tunnel", "proxyProtocol"];
  if (!fields.some((f) => f === "portLevelSettings" ? listAt(policy[f]).length > 0 : isSet(policy[f]))) {
    out.error(FAMILY, path, "traffic policy must have at least one field");
    return;
  }
  if (isSet(policy.tunnel) && isSet(policy.proxyProtocol)) {
    out.error(FAMILY, path, "tunnel and proxyProtocol must not be set together");
    return;
  }
  validateOutlierDetection(out, policy.outlierDetection, [...path, "outlierDetection"]);
  validateConnectionPool(out, policy.connectionPool, [...path, "connectionPool"]);
  validateLoadBalancer(out, policy.loadBalancer, [...path, "loadBalancer"], isSet(policy.outlierDetection));
  validateClientTls(out, policy.tls, [...path, "tls"], namespace);
  validatePortLevelSettings(out, policy.portLevelSettings, [...path, "portLevelSettings"], namespace);
  validateTunnel(out, policy.tunnel, [...path, "tunnel"]);
}

function validatePortLevelSettings(out: Issues, value: JsonValue | undefined, path: FieldPath, namespace: string): void {
  for (const [i, item] of listAt(value).entries()) {
    const at = [...path, i];
    if (!isObject(item)) {
      out.error(FAMILY, at, "traffic policy may not be null");
      continue;
    }
    if (!isSet(item.port)) out.error(FAMILY, at, "portTrafficPolicy must have valid port");
    if (!["outlierDetection", "connectionPool", "loadBalancer", "tls"].some((f) => isSet(item[f]))) {
      out.error(FAMILY, at, "port traffic policy must have at least one field");
      continue;
    }
    validateOutlierDetection(out, item.outlierDetection, [...at, "outlierDetection"]);
    validateConnectionPool(out, item.connectionPool, [...at, "connectionPool"]);
    validateLoadBalancer(out, item.loadBalancer, [...at, "loadBalancer"], isSet(item.outlierDetection));
    validateClientTls(out, item.tls, [...at, "tls"], namespace);
  }
}

function validateTunnel(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const tunnel = objectAt(value);
  if (!tunnel) return;
  const protocol = stringAt(tunnel.protocol);
  if (protocol !== "" && protocol !== "CONNECT" && protocol !== "POST") {
    out.error(FAMILY, [...path, "protocol"], `tunnel protocol must be "CONNECT" or "POST"`);
  }
  const host = stringAt(tunnel.targetHost);
  const fqdnErr = checkFqdn(host);
  const ipErr = checkIpAddress(host);
  if (fqdnErr && ipErr) out.error(FAMILY, [...path, "targetHost"], `tunnel target host must be valid FQDN or IP address: ${fqdnErr}; ${ipErr}`);
  const portErr = checkPort(numberAt(tunnel.targetPort));
  if (portErr) out.error(FAMILY, [...path, "targetPort"], `tunnel target port is invalid: ${portErr}`);
}

function checkPercent(value: JsonValue | undefined): string | undefined {
  const v = numberAt(value);
  return v < 0 || v > 100 ? `percentage ${v} is not in range 0..100` : undefined;
}

/** `validateOutlierDetection`. */
function validateOutlierDetection(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const outlier = objectAt(value);
  if (!outlier) return;
  validateDuration(out, outlier.baseEjectionTime, [...path, "baseEjectionTime"]);
  if (numberAt(outlier.consecutiveErrors) !== 0) {
    out.warn(FAMILY, [...path, "consecutiveErrors"],
      "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead");
  }
  if (!boolAt(outlier.splitExternalLocalOriginErrors) && numberAt(outlier.consecutiveLocalOriginFailures) > 0) {
    out.error(FAMILY, [...path, "consecutiveLocalOriginFailures"],
      "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false");
  }
  validateDuration(out, outlier.interval, [...path, "interval"]);
  for (const field of ["maxEjectionPercent", "minHealthPercent"] as const) {
    const err = checkPercent(outlier[field]);
    if (err) out.error(FAMILY, [...path, field], err);
  }
}

/** `validateConnectionPool` (also used for Sidecar inbound pools). */
export function validateConnectionPool(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const pool = objectAt(value);
  if (!pool) return;
  const http = objectAt(pool.http);
  const tcp = objectAt(pool.tcp);
  if (!http && !tcp) {
    out.error(FAMILY, path, "connection pool must have at least one field");
    return;
  }
  if (http) validateHttpPool(out, http, [...path, "http"]);
  if (tcp) validateTcpPool(out, tcp, [...path, "tcp"]);
}

function validateHttpPool(out: Issues, http: JsonObject, at: FieldPath): void {
  const nonNegative: [string, string][] = [
    ["http1MaxPendingRequests", "http1 max pending requests must be non-negative"],
    ["http2MaxRequests", "http2 max requests must be non-negative"],
    ["maxRequestsPerConnection", "max requests per connection must be non-negative"],
    ["maxRetries", "max retries must be non-negative"],
    ["maxConcurrentStreams", "max concurrent streams must be non-negative"],
  ];
  for (const [field, message] of nonNegative) if (numberAt(http[field]) < 0) out.error(FAMILY, [...at, field], message);
  validateDuration(out, http.idleTimeout, [...at, "idleTimeout"]);
  if (http.h2UpgradePolicy === "UPGRADE" && boolAt(http.useClientProtocol)) {
    out.error(FAMILY, [...at, "useClientProtocol"], "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
  }
  const keepAlive = objectAt(http.http2KeepAlive);
  if (keepAlive) {
    const kaAt = [...at, "http2KeepAlive"];
    if (!isSet(keepAlive.interval)) out.error(FAMILY, kaAt, "http2 keepalive interval is required");
    if (!isSet(keepAlive.timeout)) out.error(FAMILY, kaAt, "http2 keepalive timeout is required");
    validateDuration(out, keepAlive.interval, [...kaAt, "interval"]);
    validateDuration(out, keepAlive.timeout, [...kaAt, "timeout"]);
  }
}

function validateTcpPool(out: Issues, tcp: JsonObject, at: FieldPath): void {
  if (numberAt(tcp.maxConnections) < 0) out.error(FAMILY, [...at, "maxConnections"], "max connections must be non-negative");
  validateDuration(out, tcp.connectTimeout, [...at, "connectTimeout"]);
  validateDuration(out, tcp.maxConnectionDuration, [...at, "maxConnectionDuration"]);
  // An idle timeout under 1ms (`0s`) turns the timeout off, so it is allowed.
  const idle = durationNanos(tcp.idleTimeout);
  if (idle === undefined || idle / 1_000_000n !== 0n) validateDuration(out, tcp.idleTimeout, [...at, "idleTimeout"]);
  const keepalive = objectAt(tcp.tcpKeepalive);
  if (keepalive) {
    validateDuration(out, keepalive.time, [...at, "tcpKeepalive", "time"]);
    validateDuration(out, keepalive.interval, [...at, "tcpKeepalive", "interval"]);
  }
}

const MAGLEV_MAX = 5000011;

/** Envoy's primality test for maglev table sizes. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

/** `validateLoadBalancer`. */
function validateLoadBalancer(out: Issues, value: JsonValue | undefined, path: FieldPath, hasOutlierDetection: boolean): void {
  const lb = objectAt(value);
  if (!lb) return;
  const hash = objectAt(lb.consistentHash);
  if (hash) validateConsistentHash(out, hash, [...path, "consistentHash"]);
  if (isSet(lb.localityLbSetting) && isSet(lb.zoneAwareLbSetting)) {
    out.error(FAMILY, path, "only one of localityLbSetting and zoneAwareLbSetting can be set");
  }
  validateLocalityLbSetting(out, lb.localityLbSetting, [...path, "localityLbSetting"], hasOutlierDetection);
  validateDuration(out, lb.warmupDurationSecs, [...path, "warmupDurationSecs"]);
  const warmup = objectAt(lb.warmup);
  if (warmup) {
    const at = [...path, "warmup"];
    if (!isSet(warmup.duration)) out.error(FAMILY, at, "duration is required");
    else validateDuration(out, warmup.duration, [...at, "duration"]);
    if (numberAt(warmup.minimumPercent) > 100) {
      out.error(FAMILY, [...at, "minimumPercent"], "minimumPercent value should be less than or equal to 100");
    }
    if (isSet(warmup.aggression) && numberAt(warmup.aggression) <= 0) {
      out.error(FAMILY, [...at, "aggression"], "aggression should be greater than 0");
    }
  }
}

function validateConsistentHash(out: Issues, hash: JsonObject, at: FieldPath): void {
  const cookie = objectAt(hash.httpCookie);
  if (cookie) {
    if (stringAt(cookie.name) === "") out.error(FAMILY, [...at, "httpCookie"], "name required for HttpCookie");
    const names = new Set<string>();
    for (const [i, attr] of listAt(cookie.attributes).entries()) {
      const name = stringAt(objectAt(attr)?.name);
      if (name === "") out.error(FAMILY, [...at, "httpCookie", "attributes", i], "cookie attribute name cannot be empty");
      else if (names.has(name)) out.error(FAMILY, [...at, "httpCookie", "attributes", i], `duplicate cookie attribute name: ${name}`);
      names.add(name);
    }
  }
  const ringSize = numberAt(hash.minimumRingSize);
  if (ringSize !== 0) {
    out.warn(FAMILY, [...at, "minimumRingSize"], "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
    if (isSet(hash.maglev) || isSet(hash.ringHash)) {
      out.error(FAMILY, [...at, "minimumRingSize"], "only one of MinimumRingSize or Maglev/Ringhash can be specified");
    }
  }
  const maglev = objectAt(hash.maglev);
  if (maglev) {
    const size = numberAt(maglev.tableSize);
    const sizeAt = [...at, "maglev", "tableSize"];
    if (size === 0) out.error(FAMILY, sizeAt, "tableSize must be set for maglev");
    if (size >= MAGLEV_MAX) out.error(FAMILY, sizeAt, "tableSize must be less than 5000011 for maglev");
    if (!isPrime(size)) out.error(FAMILY, sizeAt, "tableSize must be a prime number for maglev");
  }
}

const TOPOLOGY_LABELS = new Set(["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"]);

/** `agent.ValidateLocalityLbSetting`: Istio stops at the first structural problem. */
function validateLocalityLbSetting(out: Issues, value: JsonValue | undefined, path: FieldPath, hasOutlierDetection: boolean): void {
  const lb = objectAt(value);
  if (!lb) return;
  const distribute = listAt(lb.distribute);
  const failover = listAt(lb.failover);
  const priority = listAt(lb.failoverPriority);
  if (distribute.length > 0 && failover.length > 0) {
    out.error(FAMILY, path, "can not simultaneously specify 'distribute' and 'failover'");
    return;
  }
  if (failover.length > 0) {
    const label = priority.find((p) => typeof p === "string" && TOPOLOGY_LABELS.has(p));
    if (typeof label === "string") {
      out.error(FAMILY, [...path, "failoverPriority"], `can not simultaneously set 'failover' and topology label '${label}' in 'failover_priority'`);
      return;
    }
  }
  const sources: string[] = [];
  for (const [i, item] of distribute.entries()) {
    const entry = objectAt(item) ?? {};
    sources.push(stringAt(entry.from));
    const weights = Object.entries(objectAt(entry.to) ?? {});
    let total = 0;
    for (const [, w] of weights) {
      const weight = numberAt(w);
      if (weight <= 0 || weight > 100) {
        out.error(FAMILY, [...path, "distribute", i, "to"], "locality weight must be in range [1, 100]");
        return;
      }
      total += weight;
    }
    if (total !== 100) {
      out.error(FAMILY, [...path, "distribute", i, "to"], `total locality weight ${total} != 100`);
      return;
    }
    const err = checkLocalities(weights.map(([loc]) => loc));
    if (err) out.error(FAMILY, [...path, "distribute", i, "to"], err);
  }
  const sourceErr = checkLocalities(sources);
  if (sourceErr) out.error(FAMILY, [...path, "distribute"], sourceErr);
  if ((failover.length > 0 || priority.length > 0) && !hasOutlierDetection) {
    out.warn(FAMILY, path, "outlier detection policy must be provided for failover");
  }
  for (const [i, item] of failover.entries()) {
    const from = stringAt(objectAt(item)?.from);
    const to = stringAt(objectAt(item)?.to);
    const at = [...path, "failover", i];
    if (from === to) out.error(FAMILY, at, "locality lb failover settings must specify different regions");
    if (from.includes("/") || to.includes("/")) out.error(FAMILY, at, "locality lb failover only specify region");
    if (from.includes("*") || to.includes("*")) out.error(FAMILY, at, "locality lb failover region should not contain '*' wildcard");
  }
}

/** `validateLocalities`: `region/zone/subzone` entries, a wildcard only at the end, no overlaps. */
function checkLocalities(localities: readonly string[]): string | undefined {
  const regions = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const stars = locality.split("*").length - 1;
    if (stars > 1 || (stars === 1 && !locality.endsWith("*"))) {
      return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
    }
    const overlap = `locality ${locality} overlap with previous specified ones`;
    if (regions.has("*")) return overlap;
    const items = splitN(locality, "/", 3);
    if (items.some((item) => item === "")) return `locality ${locality} must not contain empty region/zone/subzone info`;
    const [region = "", zone = "", subZone = ""] = items;
    const zones = regions.get(region);
    if (items.length === 1) {
      if (zones) return overlap;
      regions.set(region, new Map([["*", new Set(["*"])]]));
    } else if (items.length === 2) {
      if (zones?.has("*") || zones?.has(zone)) return overlap;
      if (zones) zones.set(zone, new Set(["*"]));
      else regions.set(region, new Map([[zone, new Set(["*"])]]));
    } else {
      if (zones?.has("*")) return overlap;
      const subZones = zones?.get(zone);
      if (subZones?.has("*") || subZones?.has(subZone)) return overlap;
      if (subZones) subZones.add(subZone);
      else if (zones) zones.set(zone, new Set([subZone]));
      else regions.set(region, new Map([[zone, new Set([subZone])]]));
    }
  }
  return undefined;
}

/** Go's `strings.SplitN`. */
function splitN(text: string, sep: string, n: number): string[] {
  const parts = text.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}
