import { useEffect, useRef, useState } from 'react';

export interface FilterInputProps {
  column: string;
  value: string;
  placeholder: string;
  error: string | undefined;
  help: string;
  onCommit: (text: string) => void;
}

/** A column's filter box: applies on Enter, on leaving the box, or after a pause in typing. */
export function FilterInput({ column, value, placeholder, error, help, onCommit }: FilterInputProps) {
  const [text, setText] = useState(value);
  const [shownValue, setShownValue] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A new value from outside (cleared filters, the URL) replaces what is typed.
  if (value !== shownValue) {
    setShownValue(value);
    setText(value);
  }

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const commit = (next: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (next !== value) onCommit(next);
  };

  return (
    <span className={`filter-input ${error ? 'invalid' : ''} ${value ? 'active' : ''}`}>
      <input
        type="text"
        aria-label={`Filter ${column}`}
        data-filter={column}
        value={text}
        placeholder={placeholder}
        title={error ?? help}
        spellCheck={false}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => {
            commit(next);
          }, 700);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit(text);
          if (event.key === 'Escape') {
            setText('');
            commit('');
          }
        }}
        onBlur={() => {
          commit(text);
        }}
      />
      {text ? (
        <button
          type="button"
          className="filter-clear"
          aria-label={`Clear filter ${column}`}
          onClick={() => {
            setText('');
            commit('');
          }}
        >
          ×
        </button>
      ) : null}
    </span>
  );
}
