import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', 'client/dist/**', '.data/**', '.tap/**', 'scratch/**', 'bench/out/**', 'dist/**', 'bench/peers/node_modules/**'] }),
  {
    // The @typescript-eslint plugin is only set up for TypeScript files (this file is JavaScript).
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }]
    }
  }
]
