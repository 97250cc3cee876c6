// A percent sign not starting an escape, any character outside printable ASCII (spaces, CR, LF,
// other controls, non-ASCII: whole code points, thanks to the u flag), and the ASCII characters a
// URL may not carry raw. `#`, `[`, `]`, `?`, `/` and the other delimiters stay as written.
const unsafe = /%(?![0-9A-Fa-f]{2})|[^\x21-\x7e]|["<>\\^`{|}]/gu
// An absolute (`https://…`) or scheme-relative (`//…`) target whose host has non-ASCII characters.
const nonAsciiHost = /^(?:[A-Za-z][A-Za-z\d+.-]*:)?\/\/[^/?#]*[^\x00-\x7f]/

const escape = (ch: string): string => {
  try {
    return encodeURIComponent(ch)
  } catch {
    return '%EF%BF%BD' // a lone surrogate: U+FFFD, as the URL standard writes it
  }
}

/**
 * A redirect target made safe for the `Location` header: whatever a URL may not
 * carry raw is percent-encoded as UTF-8 (so `café` becomes `caf%C3%A9`, a CR or
 * LF becomes `%0D`/`%0A` and can never split the header), an escape already
 * there (`%20`) is kept as is, and a non-ASCII host name takes its `xn--` form.
 * Never throws.
 *
 * @example
 * encodeLocation('/café?q=ü')              // '/caf%C3%A9?q=%C3%BC'
 * encodeLocation('/a%20b?next=%2Fhome')     // unchanged
 * encodeLocation('https://bücher.example/') // 'https://xn--bcher-kva.example/'
 */
export function encodeLocation(location: string): string {
  const encoded = location.replace(unsafe, escape)
  if (!nonAsciiHost.test(location)) return encoded
  try {
    // The URL parser decodes the host's escapes and applies IDNA; the rest is already encoded.
    if (encoded.startsWith('//')) return new URL(encoded, 'http://base.invalid').href.slice('http:'.length)
    return new URL(encoded).href
  } catch {
    return encoded
  }
}
