import type { UserState } from "./simulator-state.ts";

export const WEB_URL = "https://github.com";

/** GitHub's `simple-user`; bot logins are percent-encoded in URLs as GitHub does (`app%5Bbot%5D`). */
export function renderUser(user: UserState, api: string) {
  const login = encodeURIComponent(user.login);
  const self = `${api}/users/${login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "BOT" : user.type === "Organization" ? "O" : "U", user.id),
    avatar_url: `https://avatars.githubusercontent.com/${user.type === "Bot" ? "in/" : "u/"}${user.id}?v=4`,
    gravatar_id: "",
    url: self,
    html_url: user.type === "Bot" ? `${WEB_URL}/apps/${encodeURIComponent(user.login.replace(/\[bot\]$/, ""))}` : `${WEB_URL}/${login}`,
    followers_url: `${self}/followers`,
    following_url: `${self}/following{/other_user}`,
    gists_url: `${self}/gists{/gist_id}`,
    starred_url: `${self}/starred{/owner}{/repo}`,
    subscriptions_url: `${self}/subscriptions`,
    organizations_url: `${self}/orgs`,
    repos_url: `${self}/repos`,
    events_url: `${self}/events{/privacy}`,
    received_events_url: `${self}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** GitHub's global node ids are opaque base64; this keeps them unique and stable per object. */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString("base64url")}`;
}
