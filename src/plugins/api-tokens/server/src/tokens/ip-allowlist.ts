import ipaddr from 'ipaddr.js';

export const MAX_ALLOWED_IPS = 100;

type Address = ipaddr.IPv4 | ipaddr.IPv6;
/** A parsed CIDR range: an IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) is kept as its IPv4 range. */
export type IpRange = [Address, number];

const unmapped = ([address, bits]: IpRange): IpRange =>
  address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96
    ? [(address as ipaddr.IPv6).toIPv4Address(), bits - 96]
    : [address, bits];

/**
 * A CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or a single address (as /32 or /128), or null when it is neither.
 * IPv4 must be four decimal parts: ipaddr.js would otherwise read `10` or `0x0a.1` as addresses.
 */
export const parseRange = (text: string): IpRange | null => {
  const [addressText, bitsText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || !addressText) return null;
  const isV6 = addressText.includes(':');
  if (isV6 ? !ipaddr.IPv6.isValid(addressText) : !ipaddr.IPv4.isValidFourPartDecimal(addressText)) return null;
  const address = ipaddr.parse(addressText);
  const max = isV6 ? 128 : 32;
  if (bitsText === undefined) return unmapped([address, max]);
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) return null;
  return unmapped([address, Number(bitsText)]);
};

/** The canonical text of a range (`10.0.0.0/8`, `2001:db8::/32`), as stored. */
export const showRange = ([address, bits]: IpRange) => `${address.toString()}/${bits}`;

/** Whether the client address `ip` (IPv4, IPv6 or IPv4-mapped IPv6) is in one of `ranges`. */
export const ipInRanges = (ranges: IpRange[], ip: string | undefined | null): boolean => {
  if (!ip || !ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip);
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
};

/** The stored form of a validated allowlist: canonical ranges without repeats, null when empty (any address). */
export const normalizeAllowlist = (texts: string[] | null | undefined): string[] | null =>
  texts && texts.length > 0 ? [...new Set(texts.map((text) => showRange(parseRange(text)!)))] : null;

/** The ranges of a stored allowlist; null (any address) when there is none. */
export const parseAllowlist = (stored: unknown): IpRange[] | null =>
  Array.isArray(stored) && stored.length > 0
    ? stored.map((text) => parseRange(String(text))).filter((range) => range !== null)
    : null;
