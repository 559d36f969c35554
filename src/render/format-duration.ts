/** A bake or rollout time as a person reads it, a quantity that fits "bake …" and "in about …" alike. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0 min";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.round(seconds / 60);
  if (m < 60) return `${m} min`;
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** When something is done, from now: "at once" for no wait, else "in about 15 min". */
export function formatTimeTo(seconds: number): string {
  return seconds <= 0 ? "at once" : `in about ${formatDuration(seconds)}`;
}
