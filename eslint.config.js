import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', 'client/dist/**', '.data/**', '.tap/**', 'scratch/**', 'bench/out/**'] })
]
