// Certificates made for these tests with `openssl req -x509 -newkey ec` (P-256, keys thrown away).
// Only their validity windows matter; the dates are what `openssl x509 -noout -dates` printed.

/** CN=shop.example.com, valid 2026-11-24T21:35:38Z to 2026-12-24T21:35:38Z (UTCTime). */
export const SHOP_CERT = `-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUIZDxxaxMol0yrkncfO6Sw5XXE0QwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAeFw0yNjExMjQyMTM1MzhaFw0y
NjEyMjQyMTM1MzhaMBsxGTAXBgNVBAMMEHNob3AuZXhhbXBsZS5jb20wWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAR1ojmrknB6lyZTbclOYd49If+MBy4IV6NKiVEM
uMBKJ1YUGM6pTVnArqCkjGW4FeNxiZ9xHzw0cr9AQ02aA2MSo1MwUTAdBgNVHQ4E
FgQUQ3HQpKiNGykVNBYa3cuFIaBhXUEwHwYDVR0jBBgwFoAUQ3HQpKiNGykVNBYa
3cuFIaBhXUEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAvP72
bTBnFAbQTqH7u3dbG95fELoQSWdchy7748CRD68CIEUBghFUaSqN3B7ZAS8HVfOH
TKDzojsDOMZMg9G38Whc
-----END CERTIFICATE-----
`;

/** CN=old.example.com, valid 2026-11-24T21:35:38Z to 2026-11-25T21:35:38Z. */
export const OLD_CERT = `-----BEGIN CERTIFICATE-----
MIIBiDCCAS+gAwIBAgIUTOUcyMczewuFQq8MYwhV0VpFOWowCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPb2xkLmV4YW1wbGUuY29tMB4XDTI2MTEyNDIxMzUzOFoXDTI2
MTEyNTIxMzUzOFowGjEYMBYGA1UEAwwPb2xkLmV4YW1wbGUuY29tMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEORfVugEPAqfHRLrFODC7qUnnPDT0VEB3Zjz1sM8M
/uZeitZp6SIQh8SdV3EdBe5M2uB+KcPJlI7j40nNvnE8iqNTMFEwHQYDVR0OBBYE
FMxqCj2CwXpffa91TGJh8ZN7EsaeMB8GA1UdIwQYMBaAFMxqCj2CwXpffa91TGJh
8ZN7EsaeMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgfFYF+YhE
eBgILu7lQYqkwmXKzpclw/cVYili0tuAf+UCIHysWSt4YjGKWhzwVZmtubLyHnwZ
5v5iXDBFBUJcRoY2
-----END CERTIFICATE-----
`;

export const SHOP_VALIDITY = { notBefore: Date.parse("2026-11-24T21:35:38Z"), notAfter: Date.parse("2026-12-24T21:35:38Z") };
export const OLD_VALIDITY = { notBefore: Date.parse("2026-11-24T21:35:38Z"), notAfter: Date.parse("2026-11-25T21:35:38Z") };

/** The DER bytes inside a one-certificate PEM text. */
export function derOf(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64"));
}

/** Standard base64 of text or bytes, as a Secret's `data` holds them. */
export function base64(value: string | Uint8Array): string {
  return Buffer.from(value).toString("base64");
}
