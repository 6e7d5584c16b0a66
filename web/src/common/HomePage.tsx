import { Link, useNavigate } from 'react-router'
import { useState } from 'react'
import { useLang } from '../i18n.js'
import { useAuth, homeOf } from '../auth.js'
import { PageTitle } from '../ui.js'

export function HomePage() {
  const { tr } = useLang()
  const { user } = useAuth()
  const navigate = useNavigate()
  const [q, setQ] = useState('')
  return (
    <section className="home">
      <PageTitle title={tr('Trang chủ', 'Home')}>
        {tr('Dịch vụ công một cửa điện tử', 'Electronic one-stop public services')}
      </PageTitle>
      <p className="lead">
        {tr(
          'Nộp hồ sơ thủ tục hành chính trực tuyến, theo dõi tiến độ và tra cứu kết quả.',
          'Submit administrative procedure dossiers online, follow their progress and look up results.',
        )}
      </p>
      <form
        role="search"
        className="search-bar"
        onSubmit={(e) => {
          e.preventDefault()
          navigate(`/thu-tuc?q=${encodeURIComponent(q)}`)
        }}
      >
        <label htmlFor="home-search">{tr('Tìm thủ tục hành chính', 'Find an administrative procedure')}</label>
        <div className="row">
          <input
            id="home-search"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={tr('Ví dụ: khai sinh', 'E.g. khai sinh (birth)')}
          />
          <button type="submit">{tr('Tìm kiếm', 'Search')}</button>
        </div>
      </form>
      <div className="cards">
        <Link className="card" to="/thu-tuc">
          <h2>{tr('Thủ tục hành chính', 'Procedures')}</h2>
          <p>
            {tr('Danh mục thủ tục, thành phần hồ sơ, lệ phí, thời hạn.', 'The catalogue: documents, fees, durations.')}
          </p>
        </Link>
        <Link className="card" to="/tra-cuu">
          <h2>{tr('Tra cứu hồ sơ', 'Look up a dossier')}</h2>
          <p>{tr('Bằng mã hồ sơ và số giấy tờ tùy thân.', 'By dossier code and ID number.')}</p>
        </Link>
        <Link className="card" to={user ? homeOf(user) : '/dang-nhap'}>
          <h2>{user ? tr('Không gian làm việc', 'My workspace') : tr('Đăng nhập', 'Log in')}</h2>
          <p>
            {tr(
              'Hồ sơ của tôi, nhiệm vụ, giám sát, thiết kế quy trình.',
              'My dossiers, tasks, supervision, process design.',
            )}
          </p>
        </Link>
      </div>
    </section>
  )
}
