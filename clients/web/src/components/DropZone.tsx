import { useRef, useState } from 'react';

/** Where files are dropped (or chosen) for upload. */
export function DropZone({ onFile }: { onFile: (file: File) => void }) {
  const [over, setOver] = useState(false);
  const inputRef = useRef<HTMLInputElement | null>(null);
  return (
    <div
      className={`drop-zone ${over ? 'over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => {
        setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        event.stopPropagation();
        setOver(false);
        const file = event.dataTransfer.files[0];
        if (file) onFile(file);
      }}
    >
      <p>Drop a CSV, Parquet or Arrow file here</p>
      <button type="button" className="secondary" onClick={() => inputRef.current?.click()}>
        or choose a file…
      </button>
      <input
        ref={inputRef}
        type="file"
        hidden
        data-testid="file-input"
        accept=".csv,.txt,.parquet,.pq,.arrow,.arrows,.feather,.ipc,.ndjson,.jsonl"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) onFile(file);
          event.target.value = '';
        }}
      />
    </div>
  );
}
