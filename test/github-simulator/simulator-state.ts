import type { GitRepository } from "./git-repository.ts";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type AccessLevel = "read" | "write";

export interface SimulatorApp {
  id: number;
  slug: string;
  name: string;
  /** SPKI PEM, to verify the app's JWTs. */
  publicKeyPem: string;
  permissions: Record<string, AccessLevel>;
  events: string[];
  /** Accepted as the JWT `iss` too (GitHub accepts the app id or the client id). */
  clientId?: string;
}

export interface UserState {
  id: number;
  login: string;
  type: "User" | "Bot" | "Organization";
}

export interface PullState {
  number: number;
  id: number;
  title: string;
  body: string | null;
  draft: boolean;
  user: UserState;
  head: string;
  base: string;
  state: "open" | "closed";
  createdAt: string;
  updatedAt: string;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: UserState;
  viaApp: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AnnotationState {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: "notice" | "warning" | "failure";
  title: string | null;
  message: string;
  raw_details: string | null;
}

export interface CheckRunRecord {
  id: number;
  checkSuiteId: number;
  appId: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationState[];
}

export interface DeploymentStatusState {
  id: number;
  state: "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: UserState;
  createdAt: string;
}

export interface DeploymentState {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: UserState;
  viaApp: boolean;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusState[];
}

export interface RepoState {
  id: number;
  owner: UserState;
  name: string;
  fullName: string;
  defaultBranch: string;
  createdAt: string;
  pushedAt: string;
  git: GitRepository;
  /** Issues and pull requests share one number sequence. */
  nextNumber: number;
  pulls: Map<number, PullState>;
  comments: CommentState[];
  checkRuns: CheckRunRecord[];
  /** Check suites: one per app and head SHA. */
  checkSuites: Map<string, number>;
  deployments: DeploymentState[];
  collaborators: Map<string, Permission>;
}

export interface InstallationState {
  id: number;
  account: UserState;
  repositorySelection: "all" | "selected";
  repos: Set<string>;
  createdAt: string;
}

export interface TokenState {
  token: string;
  installationId: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  permissions: Record<string, AccessLevel>;
  /** Lower-cased full names when the token was narrowed to some repositories. */
  repos: Set<string> | null;
}

/** GitHub prints timestamps without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Everything the simulator knows; the routes read and change it. */
export class SimulatorState {
  readonly app: SimulatorApp;
  readonly appOwner: UserState;
  readonly bot: UserState;
  readonly appCreatedAt = isoSeconds(new Date());
  readonly users = new Map<string, UserState>();
  readonly repos = new Map<string, RepoState>();
  readonly installations = new Map<number, InstallationState>();
  readonly tokens = new Map<string, TokenState>();
  apiUrl = "";
  #nextId = 1;

  constructor(app: SimulatorApp) {
    this.app = app;
    this.appOwner = this.user("meshgate-dev", "Organization");
    this.bot = { id: this.nextId(41_000_000), login: `${app.slug}[bot]`, type: "Bot" };
    this.users.set(this.bot.login.toLowerCase(), this.bot);
  }

  /** Ids grow from different bases per kind, as on GitHub, so a comment id is never mistaken for a run id. */
  nextId(base: number): number {
    return base + this.#nextId++;
  }

  user(login: string, type: UserState["type"] = "User"): UserState {
    const key = login.toLowerCase();
    const existing = this.users.get(key);
    if (existing !== undefined) return existing;
    const created: UserState = { id: this.nextId(1_000_000), login, type };
    this.users.set(key, created);
    return created;
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  installationFor(repo: RepoState): InstallationState | undefined {
    for (const installation of this.installations.values()) {
      if (installation.account.id === repo.owner.id && (installation.repositorySelection === "all" || installation.repos.has(repo.fullName.toLowerCase()))) {
        return installation;
      }
    }
    return undefined;
  }
}
