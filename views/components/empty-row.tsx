// The row a table shows when it has none: one cell across all columns.
export function EmptyRow({ when, columns, text }: { when: boolean; columns: number; text: string }) {
  if (!when) return "";
  return (
    <tr>
      <td colspan={String(columns)} safe>
        {text}
      </td>
    </tr>
  );
}
