/** A bake or rollout time as a person reads it. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return "immediately";
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
