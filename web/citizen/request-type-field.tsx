import { SelectField } from '../shared/fields.tsx';
import { REQUEST_TYPES, type RequestType, TYPE_LABELS } from '../shared/labels.ts';

/** «Тип обращения»: the request type, the same select on both citizen forms (it drives routing). */
export function RequestTypeField({ value, onChange, error }: { value: RequestType | ''; onChange: (type: RequestType) => void; error: string | undefined }) {
  return (
    <SelectField
      id="type"
      label="Тип обращения"
      value={value}
      placeholder="Выберите тип"
      options={REQUEST_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
      onChange={onChange}
      error={error}
      required
    />
  );
}
