import { statusName } from "../format.ts";

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge status-${status}`} safe>
      {statusName(status)}
    </span>
  );
}
