/** An IP address as Go's `net/netip` reads it. */
export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 or 16 bytes. */
  readonly bytes: readonly number[];
  readonly zone: string;
}

/**
 * Parses an IPv4 or IPv6 address with Go's `netip.ParseAddr` rules, which Istio uses for every address
 * field: dotted IPv4 without leading zeros, IPv6 with `::` compression, an embedded IPv4 tail and an
 * optional `%zone`. Returns undefined for anything else (hostnames, CIDRs, ports).
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(":")) return parseIpv6(text);
  const bytes = parseIpv4(text);
  return bytes ? { version: 4, bytes, zone: "" } : undefined;
}

function parseIpv4(text: string): number[] | undefined {
  const fields = text.split(".");
  if (fields.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const field of fields) {
    if (!/^\d{1,3}$/.test(field) || (field.length > 1 && field.startsWith("0"))) return undefined;
    const n = Number(field);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): IpAddress | undefined {
  let body = text;
  let zone = "";
  const percent = text.indexOf("%");
  if (percent >= 0) {
    zone = text.slice(percent + 1);
    body = text.slice(0, percent);
    if (zone === "") return undefined;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? "", true) : [];
  if (!head || !tail) return undefined;
  const missing = 16 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 2) return undefined;
  return { version: 6, bytes: [...head, ...new Array<number>(missing).fill(0), ...tail], zone };
}

/** Hex groups of one side of `::` as bytes; an IPv4 tail is allowed only at the very end. */
function parseGroups(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === "") return [];
  const groups = text.split(":");
  const bytes: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && mayEndWithIpv4 && group.includes(".")) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      bytes.push(...v4);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const n = parseInt(group, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return bytes;
}
