import { STATUS_NAMES } from "../format.ts";

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge status-${status}`} safe>
      {STATUS_NAMES[status] ?? status}
    </span>
  );
}
