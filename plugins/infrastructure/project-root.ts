// The repository's root (the folder holding package.json), the same whether the server runs from its sources or from
// the compiled dist/ (one level deeper): app.yaml and client/dist are found from here.
import { existsSync } from 'node:fs'
import path from 'node:path'

function findRoot (from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const PROJECT_ROOT = findRoot(import.meta.dirname)
