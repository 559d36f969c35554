import type { Analyzer } from "../analyzer.ts";

/** Every `istioctl analyze` analyzer meshgate implements, in Istio's registration order. */
export const ISTIO_ANALYZERS: readonly Analyzer[] = [];
