import type { Route } from "./route.ts";
import { read, repoRoute } from "./route.ts";
import { notFound, ok } from "./api-response.ts";
import type { Permission } from "./simulator-state.ts";
import { renderFullRepository } from "./render-repository.ts";
import { renderUser } from "./render-user.ts";

/** The legacy `permission` GitHub reports next to the role: maintain counts as write, triage as read. */
const LEGACY: Record<Permission, string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };
const RANK: Permission[] = ["none", "read", "triage", "write", "maintain", "admin"];

export const repositoryRoutes: Route[] = [
  repoRoute("GET", "", read("metadata"), (ctx) => ok(renderFullRepository(ctx.repo, ctx.state.apiUrl))),
  repoRoute("GET", "/collaborators/(?<username>[^/]+)/permission", read("metadata"), (ctx) => {
    const login = (ctx.params["username"] ?? "");
    const user = ctx.state.users.get(login.toLowerCase());
    if (user === undefined) return notFound();
    const role: Permission = user.id === ctx.repo.owner.id ? "admin" : (ctx.repo.collaborators.get(user.login.toLowerCase()) ?? "none");
    const at = (p: Permission): boolean => RANK.indexOf(role) >= RANK.indexOf(p);
    const permissions = { admin: at("admin"), maintain: at("maintain"), push: at("write"), triage: at("triage"), pull: at("read") };
    return ok({
      permission: LEGACY[role],
      role_name: role,
      user: { ...renderUser(user, ctx.state.apiUrl), permissions, role_name: role },
    });
  }),
];
