// One component's file input and its upload progress, shared by the citizen's draft and the counter's scan at intake.
import { useState } from 'react'
import { useLang } from '../i18n.js'
import { ProblemAlert, useAction } from '../ui.js'
import { uploadWithProgress } from './upload.js'
import type { Component, Uploaded } from './types.js'

/** Uploads a chosen file to `path` with progress; `onUploaded` gets the server's answer. */
export function useComponentUpload(path: string, onUploaded: (res: Uploaded) => void) {
  const [progress, setProgress] = useState<number | null>(null)
  const upload = useAction(async (f: File) => {
    setProgress(0)
    try {
      onUploaded(await uploadWithProgress<Uploaded>(path, f, setProgress))
    } finally {
      setProgress(null)
    }
  })
  return { upload, progress }
}

/** The labelled file input (the component's name read by screen readers), its progress bar and the refusal. */
export function UploadField({
  inputId,
  label,
  component: c,
  state: { upload, progress },
}: {
  inputId: string
  label: string
  component: Component
  state: ReturnType<typeof useComponentUpload>
}) {
  const { tr } = useLang()
  return (
    <>
      <label htmlFor={inputId}>
        {label}
        <span className="visually-hidden">: {c.name}</span>
      </label>
      <input
        id={inputId}
        type="file"
        accept={c.accept.join(',')}
        disabled={upload.busy}
        onChange={(e) => {
          const f = e.target.files?.[0]
          if (f) void upload.run(f)
          e.target.value = ''
        }}
      />
      {progress !== null && (
        <div className="upload-progress">
          <label htmlFor={`${inputId}-progress`}>{tr('Đang tải lên', 'Uploading')}</label>
          <progress
            id={`${inputId}-progress`}
            max={1}
            value={progress}
            aria-valuetext={`${Math.round(progress * 100)}%`}
          />
          <span>{Math.round(progress * 100)}%</span>
        </div>
      )}
      <ProblemAlert error={upload.error} />
    </>
  )
}
