import { isIPv6 } from 'node:net'

// RFC 3986 §3.2.2 reg-name, without pct-encoded: a URL parser decodes those
// and then refuses most of what they decode to (`%2F`), and no client sends them.
const regName = /^[A-Za-z0-9\-._~!$&'()*+,;=]+$/
const decOctet = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
const ipv4 = new RegExp(`^${decOctet}(?:\\.${decOctet}){3}$`)
// What the WHATWG URL parser reads as a number, making the whole name an IPv4 address.
const numericLabel = /^(?:[0-9]+|0[xX][0-9a-fA-F]*)$/
const punycodeLabel = /(?:^|\.)xn--/i

/**
 * Whether a Host header value (or an `X-Forwarded-Host`, or the authority of
 * an absolute-form request target) is `host [":" port]` as RFC 3986 §3.2.2–3
 * defines it, so that it can go into the request's URL without changing its
 * path or query:
 *
 * - `host` is a bracketed IPv6 address (`[::1]`, no zone), a dotted-decimal
 *   IPv4 address (`192.0.2.7`), or a name of letters, digits and
 *   `-._~!$&'()*+,;=`;
 * - a name whose last label is a number must be a dotted-decimal IPv4 address
 *   (URL parsers read `1.2.3` or `example.123` as a malformed one);
 * - `xn--` labels must be valid punycode (checked with the URL parser);
 * - `port`, if present, is at most five digits and at most 65535.
 *
 * Refused: empty, `/ ? # @ \ %`, spaces, control characters, non-ASCII,
 * user info (`a@b`), IPvFuture, unbracketed IPv6. Server adapters answer 400.
 *
 * @example
 * isValidHost('example.com:8080') // true
 * isValidHost('[2001:db8::1]:443') // true
 * isValidHost('example.com/admin?') // false
 */
export function isValidHost(value: string): boolean {
  let host: string
  let port: string | undefined
  if (value.charCodeAt(0) === 0x5b /* [ */) {
    const close = value.indexOf(']')
    if (close < 0) return false
    const address = value.slice(1, close)
    // isIPv6 accepts a zone (`fe80::1%eth0`), which URL parsers refuse.
    if (address.includes('%') || !isIPv6(address)) return false
    const rest = value.slice(close + 1)
    if (rest !== '' && rest.charCodeAt(0) !== 0x3a /* : */) return false
    port = rest === '' ? undefined : rest.slice(1)
    host = value.slice(0, close + 1)
  } else {
    const colon = value.indexOf(':')
    host = colon < 0 ? value : value.slice(0, colon)
    port = colon < 0 ? undefined : value.slice(colon + 1)
    if (!regName.test(host)) return false
    const labels = host.split('.')
    if (labels.length > 1 && labels[labels.length - 1] === '') labels.pop()
    if (numericLabel.test(labels[labels.length - 1]!) && !ipv4.test(host)) return false
    if (punycodeLabel.test(host) && !URL.canParse(`http://${host}/`)) return false
  }
  return port === undefined || (/^[0-9]{0,5}$/.test(port) && Number(port) <= 65535)
}
