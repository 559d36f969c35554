const cache = new Map<string, RegExp>();

/**
 * Matches a path against a `.meshgate.yaml` glob: `**` any number of folders, `*` any characters in
 * one segment, `?` one character; everything else literal. Compiled to a RegExp once per pattern.
 */
export function matchGlob(pattern: string, path: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    let src = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i] as string;
      if (c === "*" && pattern[i + 1] === "*") {
        const slash = pattern[i + 2] === "/";
        src += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else if (c === "*") src += "[^/]*";
      else if (c === "?") src += "[^/]";
      else src += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    re = new RegExp(`^${src}$`);
    cache.set(pattern, re);
  }
  return re.test(path);
}
