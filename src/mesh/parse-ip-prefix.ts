import { type IpAddress, parseIpAddress } from "./parse-ip-address.ts";

export interface IpPrefix {
  readonly address: IpAddress;
  readonly bits: number;
}

/** Parses `address/bits` with Go's `netip.ParsePrefix` rules (no zone, decimal bits without leading zeros). */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!address || address.zone !== "") return undefined;
  if (!/^\d{1,3}$/.test(bitsText) || (bitsText.length > 1 && bitsText.startsWith("0"))) return undefined;
  const bits = Number(bitsText);
  return bits > address.bytes.length * 8 ? undefined : { address, bits };
}
