// When a tree of sources last changed, to tell whether a build is older than what it is built from: the server's
// (scripts/run-built.js) and the client's (scripts/build-client.ts). Plain JavaScript, because run-built.js runs where
// a production install has no TypeScript.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** Folders of build outputs and installs, wherever they are: never sources. */
const OUTPUTS = new Set(['dist', 'node_modules'])

/**
 * The newest modification time (ms) of `entry` and of everything below it but OUTPUTS; 0 when it does not exist.
 * A folder's own time counts too, so a deleted or renamed source is a change.
 * @param {string} entry
 * @returns {number}
 */
export function newestChange (entry) {
  let stat
  try {
    stat = statSync(entry)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(entry).filter((name) => !OUTPUTS.has(name))
    .reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs)
}
