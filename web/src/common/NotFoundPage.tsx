import { Link } from 'react-router'
import { useLang } from '../i18n.js'
import { PageTitle } from '../ui.js'

export function NotFoundPage() {
  const { tr } = useLang()
  return (
    <section className="narrow">
      <PageTitle title={tr('Không tìm thấy trang', 'Page not found')}>
        {tr('Không tìm thấy trang', 'Page not found')}
      </PageTitle>
      <p>
        <Link to="/">{tr('Về trang chủ', 'Back to the home page')}</Link>
      </p>
    </section>
  )
}
