// Filling the birth registration form in the browser by its labels, as a citizen or a counter officer does.
import type { Page } from 'playwright-core'

/** Who applies and where they live, as the form's applicant block asks. */
export interface BirthApplicant {
  name: string
  idNumber: string
  phone: string
  province: string
  commune: string
}

const demoApplicant: BirthApplicant = {
  name: 'Nguyễn Văn An',
  idNumber: '001090000001',
  phone: '0912345678',
  province: 'Tỉnh Demo',
  commune: 'Xã An Bình',
}

/** Fills the birth registration form the way a citizen does: by the labels of each group. */
export async function fillBirthForm(page: Page, who: BirthApplicant = demoApplicant): Promise<void> {
  const child = page.getByRole('group', { name: 'Người được khai sinh' })
  await child.getByLabel('Họ, chữ đệm và tên').fill('Nguyễn Văn Bé')
  await child.getByLabel('Giới tính').selectOption({ label: 'Nam' })
  await child.getByLabel('Ngày, tháng, năm sinh').fill('01/11/2026')
  await child.getByLabel('Nơi sinh').fill('Trạm y tế xã An Bình')
  await child.getByLabel('Dân tộc').fill('Kinh')
  await page
    .getByRole('group', { name: 'Mẹ', exact: false })
    .first()
    .getByLabel('Họ, chữ đệm và tên')
    .fill('Trần Thị Bình')
  const applicant = page.getByRole('group', { name: 'Người yêu cầu' })
  await applicant.getByLabel('Họ, chữ đệm và tên').fill(who.name)
  await applicant.getByLabel('Số định danh cá nhân').fill(who.idNumber)
  await applicant.getByLabel('Số điện thoại').fill(who.phone)
  // The address from the official list: the province, then a commune of it (its options load once it is chosen).
  await applicant.getByLabel('Tỉnh/thành phố').selectOption({ label: who.province })
  await applicant.getByLabel('Xã/phường/đặc khu').selectOption({ label: who.commune })
  await applicant.getByLabel('Số nhà, đường, thôn').fill('Thôn 3')
  await page.getByLabel('Quan hệ với người được khai sinh').selectOption({ label: 'Cha' })
}
