// A labelled input with its error message next to it; the value the person typed is kept.
export interface FieldProps {
  name: string;
  label: string;
  value?: string | number | null;
  error?: string;
  type?: string;
  required?: boolean;
  placeholder?: string;
  hint?: string;
  maxlength?: number;
}

export function Field({ name, label, value, error, type = "text", required, placeholder, hint, maxlength }: FieldProps) {
  const id = `f-${name}`;
  return (
    <label class={error ? "field invalid" : "field"} for={id}>
      <span safe>{label}</span>
      <input
        id={id}
        name={name}
        type={type}
        value={value == null ? "" : String(value)}
        required={required}
        placeholder={placeholder}
        maxlength={maxlength === undefined ? undefined : String(maxlength)}
        aria-invalid={error ? "true" : undefined}
      />
      {hint ? <small class="hint" safe>{hint}</small> : ""}
      {error ? <small class="error" role="alert" safe>{error}</small> : ""}
    </label>
  );
}

export function TextArea(props: Omit<FieldProps, "type"> & { rows?: number }) {
  const id = `f-${props.name}`;
  return (
    <label class={props.error ? "field invalid" : "field"} for={id}>
      <span safe>{props.label}</span>
      <textarea id={id} name={props.name} rows={String(props.rows ?? 4)} required={props.required} maxlength={props.maxlength === undefined ? undefined : String(props.maxlength)} safe>
        {props.value == null ? "" : String(props.value)}
      </textarea>
      {props.hint ? <small class="hint" safe>{props.hint}</small> : ""}
      {props.error ? <small class="error" role="alert" safe>{props.error}</small> : ""}
    </label>
  );
}

export function Select(props: {
  name: string;
  label: string;
  value?: string | null;
  error?: string;
  options: readonly (readonly [value: string, label: string])[];
  empty?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <label class={props.error ? "field invalid" : "field"} for={id}>
      <span safe>{props.label}</span>
      <select id={id} name={props.name}>
        {props.empty !== undefined ? <option value="" safe>{props.empty}</option> : ""}
        {props.options.map(([v, l]) => (
          <option value={v} selected={v === props.value} safe>
            {l}
          </option>
        ))}
      </select>
      {props.error ? <small class="error" role="alert" safe>{props.error}</small> : ""}
    </label>
  );
}

/** The session's CSRF token for plain (non-htmx) forms. */
export function CsrfInput({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}
