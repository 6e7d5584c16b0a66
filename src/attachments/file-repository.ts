// SQL of stored files: the row that names a blob, who uploaded it and what it is.
import type { Knex } from 'knex'

type Db = Knex | Knex.Transaction

export interface FileRow {
  id: string
  sha256: string
  size: number | string
  mime: string
  original_name: string
  storage_key: string
  created_by: string | null
  created_at: Date
}

export function fileRepository(db: Db) {
  return {
    /** Records a stored blob as a file; returns the new row. */
    async insert(file: {
      sha256: string
      size: number
      mime: string
      originalName: string
      storageKey: string
      createdBy: string | null
    }): Promise<FileRow> {
      const [row] = (await db('files')
        .insert({
          sha256: file.sha256,
          size: file.size,
          mime: file.mime,
          original_name: file.originalName,
          storage_key: file.storageKey,
          created_by: file.createdBy,
        })
        .returning('*')) as FileRow[]
      return row!
    },

    async byId(id: string): Promise<FileRow | undefined> {
      return (await db('files').where({ id }).first()) as FileRow | undefined
    },

    /** Who uploaded the file (null: the system), when there is such a file. */
    async uploaderOf(id: string): Promise<Pick<FileRow, 'id' | 'created_by'> | undefined> {
      return (await db('files').where({ id }).first('id', 'created_by')) as
        Pick<FileRow, 'id' | 'created_by'> | undefined
    },
  }
}
