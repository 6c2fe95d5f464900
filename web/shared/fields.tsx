import type { ComponentChildren, JSX } from 'preact';

/**
 * Labelled form fields: the label names the field (what a screen reader and the tests find it
 * by), an error sentence sits right below it and is tied to it (`aria-describedby`), and
 * `aria-invalid` marks it.
 */
interface Common {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
}

function described(id: string, error: string | undefined, hint: string | undefined) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': error ? true : undefined };
}

function Around({ id, label, error, hint, children }: Common & { children: ComponentChildren }) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = Common & { value: string; onInput: (value: string) => void } & Omit<JSX.IntrinsicElements['input'], 'value' | 'onInput' | 'id' | 'label'>;

export function TextField({ id, label, error, hint, value, onInput, ...rest }: InputProps) {
  return (
    <Around id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      <input id={id} name={id} value={value} onInput={(e) => onInput(e.currentTarget.value)} {...described(id, error, hint)} {...rest} />
    </Around>
  );
}

type AreaProps = Common & { value: string; onInput: (value: string) => void } & Omit<JSX.IntrinsicElements['textarea'], 'value' | 'onInput' | 'id' | 'label'>;

export function TextArea({ id, label, error, hint, value, onInput, ...rest }: AreaProps) {
  return (
    <Around id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      <textarea id={id} name={id} value={value} onInput={(e) => onInput(e.currentTarget.value)} rows={5} {...described(id, error, hint)} {...rest} />
    </Around>
  );
}

export function SelectField<T extends string>(props: Common & { value: T | ''; options: { value: T; label: string }[]; onChange: (value: T) => void; placeholder?: string; required?: boolean }) {
  const { id, label, error, hint, value, options, onChange, placeholder, required } = props;
  return (
    <Around id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      <select id={id} name={id} value={value} required={required} onChange={(e) => onChange(e.currentTarget.value as T)} {...described(id, error, hint)}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Around>
  );
}

/** The answer's own sentence, announced when it appears. */
export function FormMessage({ message, kind = 'error' }: { message: string | undefined; kind?: 'error' | 'ok' }) {
  if (!message) return null;
  return (
    <p class={kind === 'error' ? 'form-error' : 'form-ok'} role={kind === 'error' ? 'alert' : 'status'}>
      {message}
    </p>
  );
}
