import type { Analyzer } from "../analyzer.ts";

/** Kiali's validations that go beyond istioctl, each with its own MG code. */
export const KIALI_CHECKS: readonly Analyzer[] = [];
