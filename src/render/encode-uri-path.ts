/**
 * A repo path as an RFC 3986 relative reference: each segment percent-encoded (UTF-8), `/` kept. Beyond
 * encodeURIComponent, `! ' ( ) *` are encoded too, so the path can also sit in a Markdown link destination
 * (a `)` would end it). Lone surrogates, which encodeURIComponent refuses, become U+FFFD.
 */
export function encodeUriPath(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment.replace(/\p{Cs}/gu, "\ufffd")).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}
