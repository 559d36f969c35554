import type { InstallationState, SimulatorState } from "./simulator-state.ts";
import { renderUser, nodeId, WEB_URL } from "./render-user.ts";

/** GitHub's `integration` object for the simulated app. */
export function renderApp(state: SimulatorState) {
  const app = state.app;
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("A", app.id),
    client_id: app.clientId ?? `Iv23li${app.id}`,
    owner: renderUser(state.appOwner, state.apiUrl),
    name: app.name,
    description: null,
    external_url: `${WEB_URL}/apps/${app.slug}`,
    html_url: `${WEB_URL}/apps/${app.slug}`,
    created_at: state.appCreatedAt,
    updated_at: state.appCreatedAt,
    permissions: { metadata: "read", ...app.permissions },
    events: app.events,
    installations_count: state.installations.size,
  };
}

/** GitHub's `installation` object. */
export function renderInstallation(state: SimulatorState, installation: InstallationState) {
  const api = state.apiUrl;
  return {
    id: installation.id,
    account: renderUser(installation.account, api),
    repository_selection: installation.repositorySelection,
    access_tokens_url: `${api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${api}/installation/repositories`,
    html_url: `${WEB_URL}/settings/installations/${installation.id}`,
    app_id: state.app.id,
    app_slug: state.app.slug,
    target_id: installation.account.id,
    target_type: installation.account.type === "Organization" ? "Organization" : "User",
    permissions: { metadata: "read", ...state.app.permissions },
    events: state.app.events,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [] as string[],
    suspended_by: null,
    suspended_at: null,
  };
}
