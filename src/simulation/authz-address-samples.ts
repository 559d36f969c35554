import { type IpAddress, parseIpAddress } from "../mesh/parse-ip-address.ts";
import { type IpPrefix, parseIpPrefix } from "../mesh/parse-ip-prefix.ts";

/** Addresses a probe sends from: one inside each named block, and one outside all of them (if any is). */
export interface AddressSamples {
  /** Block text → an address inside it, chosen inside as few other named blocks as possible. */
  readonly inside: ReadonlyMap<string, string>;
  readonly outside?: string;
}

/** Documentation ranges (RFC 5737, RFC 3849) first: they are unlikely to be named by a real policy. */
const OUTSIDE_CANDIDATES = ["192.0.2.1", "198.51.100.1", "203.0.113.1", "100.64.0.1", "2001:db8::1", "fd00::1"];

/** `ipBlocks` entries are a single IP or a CIDR ([api] Source.ipBlocks); a single IP is its own /32 or /128. */
export function parseIpBlock(text: string): IpPrefix | undefined {
  if (text.includes("/")) return parseIpPrefix(text);
  const address = parseIpAddress(text);
  return address ? { address, bits: address.bytes.length * 8 } : undefined;
}

/** Whether an address lies in an IP block (families never mix: an IPv4 address is not in an IPv6 block). */
export function inIpBlock(address: string | undefined, block: string): boolean {
  const a = address === undefined ? undefined : parseIpAddress(address);
  const p = parseIpBlock(block);
  return a !== undefined && p !== undefined && contains(p, a);
}

function contains(prefix: IpPrefix, a: IpAddress): boolean {
  if (a.version !== prefix.address.version) return false;
  for (let bit = 0; bit < prefix.bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((a.bytes[byte] ?? 0) & mask) !== ((prefix.address.bytes[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function format(a: IpAddress): string {
  if (a.version === 4) return a.bytes.join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((a.bytes[i] ?? 0) << 8) | (a.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(":");
}

/** The first, second and last address of a block: one of them usually avoids the blocks nested in it. */
function candidatesInside(p: IpPrefix): IpAddress[] {
  const size = p.address.bytes.length * 8;
  const withHostBits = (ones: boolean, plusOne: boolean): IpAddress => {
    const bytes = p.address.bytes.map((b, i) => {
      let out = b;
      for (let bit = 0; bit < 8; bit++) {
        if (i * 8 + bit < p.bits) continue;
        const mask = 0x80 >> bit;
        out = ones ? out | mask : out & ~mask;
      }
      return out;
    });
    if (plusOne && p.bits < size) bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) | 1;
    return { version: p.address.version, bytes, zone: "" };
  };
  return [withHostBits(false, true), withHostBits(false, false), withHostBits(true, false)];
}

/**
 * Probe addresses for the blocks the policies name: inside each block an address that as few other
 * named blocks contain as possible (so `10.0.0.0/8` and `10.1.0.0/16` get different answers), and an
 * address outside every block, standing for "any other address".
 */
export function addressSamples(blocks: readonly string[]): AddressSamples {
  const parsed = [...new Set(blocks)].flatMap((text) => {
    const p = parseIpBlock(text);
    return p ? [{ text, p }] : [];
  });
  const depth = (a: IpAddress) => parsed.filter(({ p }) => contains(p, a)).length;
  const inside = new Map<string, string>();
  for (const { text, p } of parsed) {
    const [best] = candidatesInside(p).sort((x, y) => depth(x) - depth(y));
    if (best) inside.set(text, format(best));
  }
  const outside = OUTSIDE_CANDIDATES.find((c) => {
    const a = parseIpAddress(c);
    return a !== undefined && depth(a) === 0;
  });
  return outside === undefined ? { inside } : { inside, outside };
}
