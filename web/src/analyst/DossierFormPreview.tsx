// The dossier form as an applicant sees it: the citizen portal's own rjsf form (x-ui hints, Vietnamese
// messages, the CSP-safe validator), behind a guard so a schema rjsf cannot render shows a message
// instead of taking the editor down while the analyst types.
import { Component, type ReactNode } from 'react'
import { DossierForm } from '../citizen/dossier-form.js'

/** Shows the fallback instead of a child that threw while rendering, until resetKey changes. */
export class RenderGuard extends Component<
  { fallback: (error: Error) => ReactNode; children: ReactNode; resetKey: string },
  { error: Error | null; key: string }
> {
  override state = { error: null as Error | null, key: this.props.resetKey }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey }
  }
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children
  }
}

const noData = {}

export function DossierFormPreview({
  schema,
  fallback,
}: {
  schema: Record<string, unknown>
  fallback: (error: Error) => ReactNode
}) {
  return (
    <RenderGuard fallback={fallback} resetKey={JSON.stringify(schema)}>
      <DossierForm form={schema} formData={noData} idPrefix="preview" />
    </RenderGuard>
  )
}
