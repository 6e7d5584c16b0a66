// Packages a start does not need, loaded on first use: the spreadsheet, PDF, QR code and mail libraries cost about
// 0.6 s of CPU to import (measured in docs/benchmarks.md, "Start-up"), and a server may never export a workbook or
// print a receipt. Node caches a module after its first import, so every later call costs a lookup.
import type ExcelJS from 'exceljs'
import type PDFDocumentType from 'pdfkit'
import type QRCodeType from 'qrcode'
import type Nodemailer from 'nodemailer'

/** A new, empty exceljs workbook. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs')
  return new excel.Workbook()
}

export async function pdfkit(): Promise<typeof PDFDocumentType> {
  return (await import('pdfkit')).default
}

export async function qrcode(): Promise<typeof QRCodeType> {
  return (await import('qrcode')).default
}

export async function nodemailer(): Promise<typeof Nodemailer> {
  return (await import('nodemailer')).default
}
