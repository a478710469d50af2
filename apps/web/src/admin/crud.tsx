import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ScrollRegion } from '../components/scroll-region';
import { api, ApiError, errorText } from '../lib/api';

export type Values = Record<string, unknown>;

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** The API's name for it (400s name it so): errors are shown next to the field. */
  name: string;
  label: string;
  kind: 'text' | 'secret' | 'password' | 'number' | 'checkbox' | 'select' | 'multi' | 'textarea';
  options?: Option[];
  required?: boolean;
  help?: string;
  /** Shown only when this holds (the fields of one platform). */
  when?: (values: Values, editing: boolean) => boolean;
  /** Cannot change once created (the platform, an account's id). */
  fixed?: boolean;
}

export interface ResourceSpec<T extends { id: string }> {
  path: string;
  /** How an item is named (in buttons' accessible names). */
  label: (item: T) => string;
  title: string;
  singular: string;
  columns: { label: string; value: (item: T) => ReactNode }[];
  fields: FieldSpec[];
  blank: Values;
  toForm: (item: T) => Values;
  toBody: (values: Values, editing: boolean) => Values;
}

/** A form value as an input shows it. */
function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function Field({
  field,
  values,
  errors,
  editing,
  set,
}: {
  field: FieldSpec;
  values: Values;
  errors: Record<string, string>;
  editing: boolean;
  set: (name: string, value: unknown) => void;
}) {
  const id = `field-${field.name.replace(/\W/g, '-')}`;
  const error = errors[field.name];
  const described = [field.help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
    disabled: editing && field.fixed,
  };
  const value = values[field.name];
  let control: ReactNode;
  switch (field.kind) {
    case 'checkbox':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => set(field.name, e.target.checked)}
        />
      );
      break;
    case 'select':
      control = (
        <select {...common} value={asText(value)} onChange={(e) => set(field.name, e.target.value)}>
          {!field.required && <option value="">—</option>}
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'multi': {
      const chosen = new Set((value as string[] | undefined) ?? []);
      control = (
        <fieldset className="multi" aria-describedby={described || undefined}>
          <legend className="visually-hidden">{field.label}</legend>
          {field.options?.length === 0 && <span className="muted">None to choose from yet.</span>}
          {field.options?.map((o) => (
            <label key={o.value} className="choice">
              <input
                type="checkbox"
                checked={chosen.has(o.value)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(o.value);
                  else next.delete(o.value);
                  set(field.name, [...next]);
                }}
              />
              {o.label}
            </label>
          ))}
        </fieldset>
      );
      break;
    }
    case 'textarea':
      control = (
        <textarea {...common} rows={4} value={asText(value)} onChange={(e) => set(field.name, e.target.value)} />
      );
      break;
    case 'text':
    case 'secret':
    case 'password':
    case 'number':
      control = (
        <input
          {...common}
          type={field.kind === 'number' ? 'number' : field.kind === 'text' ? 'text' : 'password'}
          autoComplete={field.kind === 'secret' || field.kind === 'password' ? 'new-password' : 'off'}
          placeholder={
            editing && (field.kind === 'secret' || field.kind === 'password')
              ? 'unchanged — type to replace'
              : undefined
          }
          required={field.required && !(editing && (field.kind === 'secret' || field.kind === 'password'))}
          value={asText(value)}
          onChange={(e) => set(field.name, e.target.value)}
        />
      );
  }
  return (
    <div className={`field ${field.kind === 'checkbox' ? 'inline' : ''}`}>
      {field.kind === 'multi' ? (
        <span className="label" id={`${id}-label`}>
          {field.label}
        </span>
      ) : (
        <label htmlFor={id}>{field.label}</label>
      )}
      {control}
      {field.help && (
        <span id={`${id}-help`} className="hint">
          {field.help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * One configuration resource: its list, a form to create or edit one (the API's validation errors beside their
 * fields, secrets write-only), and deletion (a 409 says what still uses it).
 */
export function CrudPage<T extends { id: string }>({
  spec,
  aside,
}: {
  spec: ResourceSpec<T>;
  aside?: (items: T[]) => ReactNode;
}) {
  const [items, setItems] = useState<T[]>([]);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [values, setValues] = useState<Values>(spec.blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const reload = useCallback(async () => {
    setItems(await api.get<T[]>(spec.path));
  }, [spec.path]);
  useEffect(() => {
    let current = true;
    api
      .get<T[]>(spec.path)
      .then((found) => current && setItems(found))
      .catch((error: unknown) => current && setProblem(errorText(error)));
    return () => {
      current = false;
    };
  }, [spec.path]);

  function open(item: T | 'new') {
    setEditing(item);
    setValues(item === 'new' ? spec.blank : spec.toForm(item));
    setErrors({});
    setProblem(null);
    setMessage(null);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const isEdit = editing !== 'new' && editing !== null;
    setErrors({});
    setProblem(null);
    try {
      const body = spec.toBody(values, isEdit);
      if (isEdit) await api.patch(`${spec.path}/${editing.id}`, body);
      else await api.post(spec.path, body);
      setMessage(`${spec.singular[0]?.toUpperCase()}${spec.singular.slice(1)} saved.`);
      setEditing(null);
      await reload();
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldErrors() : {};
      setErrors(fields);
      // What no field on the form shows (a field of the body the form does not edit, a clash's detail) is said here.
      const shown = spec.fields.filter((f) => !f.when || f.when(values, isEdit)).map((f) => f.name);
      const unshown = Object.entries(fields)
        .filter(([name]) => !shown.includes(name))
        .map(([name, text]) => `${name}: ${text}`);
      const details = error instanceof ApiError ? error.details.filter((d) => typeof d === 'string') : [];
      const marked = Object.keys(fields).length > unshown.length;
      setProblem(
        [
          marked ? 'Check the fields marked above.' : Object.keys(fields).length === 0 ? errorText(error) : '',
          ...unshown,
          ...details,
        ]
          .filter((part) => part !== '')
          .join(' '),
      );
      // The first field marked takes the focus, so a keyboard user lands where the problem is.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.editor [aria-invalid="true"]')?.focus());
    }
  }

  async function remove(item: T) {
    setProblem(null);
    setMessage(null);
    if (!window.confirm(`Delete this ${spec.singular}?`)) return;
    try {
      await api.delete(`${spec.path}/${item.id}`);
      setMessage(`${spec.singular[0]?.toUpperCase()}${spec.singular.slice(1)} deleted.`);
      await reload();
    } catch (error) {
      const details = error instanceof ApiError ? error.details.filter((d) => typeof d === 'string') : [];
      setProblem(`Cannot delete: ${errorText(error)}${details.length ? ` (${details.join('; ')})` : ''}`);
    }
  }

  const isEdit = editing !== null && editing !== 'new';
  return (
    <section aria-labelledby="resource-title">
      <div className="row spread">
        <h1 id="resource-title">{spec.title}</h1>
        <button type="button" className="button primary" onClick={() => open('new')}>
          New {spec.singular}
        </button>
      </div>
      {message && (
        <p className="notice info" role="status">
          {message}
        </p>
      )}
      {problem && !editing && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {editing && (
        <form className="card editor" onSubmit={(e) => void save(e)} aria-labelledby="editor-title" noValidate>
          <h2 id="editor-title">{isEdit ? `Edit ${spec.singular}` : `New ${spec.singular}`}</h2>
          {spec.fields
            .filter((f) => !f.when || f.when(values, isEdit))
            .map((field) => (
              <Field
                key={field.name}
                field={field}
                values={values}
                errors={errors}
                editing={isEdit}
                set={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
              />
            ))}
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <div className="row">
            <button type="submit" className="button primary">
              Save
            </button>
            <button type="button" className="button subtle" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ScrollRegion label={`${spec.title} table`}>
        <table className="grid">
          <caption className="visually-hidden">{spec.title}</caption>
          <thead>
            <tr>
              {spec.columns.map((c) => (
                <th key={c.label} scope="col">
                  {c.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                {spec.columns.map((c) => (
                  <td key={c.label}>{c.value(item)}</td>
                ))}
                <td className="row-actions">
                  <button type="button" className="button subtle" onClick={() => open(item)}>
                    Edit<span className="visually-hidden"> {spec.label(item)}</span>
                  </button>
                  <button type="button" className="button subtle" onClick={() => void remove(item)}>
                    Delete<span className="visually-hidden"> {spec.label(item)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {items.length === 0 && <p className="muted">None yet.</p>}
      {aside?.(items)}
    </section>
  );
}
