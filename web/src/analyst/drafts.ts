// Creating a draft from a published version, shared by the procedure page and the editor.
import { useNavigate } from 'react-router'
import { useAction } from '../ui.js'
import { catalogue } from './catalogue.js'

export function useCreateDraft() {
  const navigate = useNavigate()
  return useAction(async (slug: string, from: number) => {
    const created = await catalogue.draftFrom(slug, from)
    navigate(`/thiet-ke/${slug}/${created.version}`)
  })
}
