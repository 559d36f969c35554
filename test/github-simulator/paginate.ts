import type { ApiResponse } from "./api-response.ts";
import { invalidRequest } from "./api-response.ts";

export interface Page<T> {
  items: T[];
  /** RFC 5988 Link header value, absent when everything fits on one page. */
  link: string | undefined;
}

/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page` (from 1), with a
 * Link header carrying the other query parameters and rel prev/next/first/last.
 */
export function paginate<T>(items: readonly T[], requestUrl: URL, defaultPerPage = 30): Page<T> | ApiResponse {
  const perPageParam = requestUrl.searchParams.get("per_page");
  const pageParam = requestUrl.searchParams.get("page");
  const perPage = perPageParam === null ? defaultPerPage : Math.min(100, Math.max(1, Number.parseInt(perPageParam, 10) || defaultPerPage));
  const page = pageParam === null ? 1 : Number.parseInt(pageParam, 10);
  if (pageParam !== null && (!Number.isFinite(page) || page < 1)) {
    return invalidRequest(`For 'properties/page', ${JSON.stringify(pageParam)} is not a positive integer.`);
  }
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const rels: string[] = [];
  const at = (n: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>`;
  };
  if (page > 1) rels.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) rels.push(`${at(1)}; rel="first"`);
  return { items: slice, link: rels.length === 0 ? undefined : rels.join(", ") };
}

export function isPage<T>(value: Page<T> | ApiResponse): value is Page<T> {
  return "items" in value;
}

/** A paginated 200 answer. */
export function pageResponse<T>(page: Page<T>, body: unknown = page.items): ApiResponse {
  return page.link === undefined ? { status: 200, body } : { status: 200, body, headers: { link: page.link } };
}
