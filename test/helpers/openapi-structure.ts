// A structural check of an OpenAPI 3.0 document (no validator package is installed): the parts a client generator
// relies on — the version, info, every path a template with its operations, every operation's responses described,
// every parameter placed, path parameters required and named in the template, every $ref resolvable.
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

const Parameter = Type.Object({
  name: Type.String({ minLength: 1 }),
  in: Type.Union(['query', 'header', 'path', 'cookie'].map((p) => Type.Literal(p))),
  required: Type.Optional(Type.Boolean()),
  schema: Type.Optional(Type.Object({}))
})
const Response = Type.Object({ description: Type.String(), content: Type.Optional(Type.Record(Type.String(), Type.Object({}))) })
const Operation = Type.Object({
  responses: Type.Record(Type.String({ pattern: '^([1-5][0-9X]{2}|default)$' }), Response, { minProperties: 1 }),
  parameters: Type.Optional(Type.Array(Parameter)),
  requestBody: Type.Optional(Type.Object({ content: Type.Record(Type.String(), Type.Object({})) }))
})
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
const PathItem = Type.Object(Object.fromEntries(METHODS.map((m) => [m, Type.Optional(Operation)])))
const Document = Type.Object({
  openapi: Type.String({ pattern: '^3\\.0\\.\\d+$' }),
  info: Type.Object({ title: Type.String({ minLength: 1 }), version: Type.String({ minLength: 1 }) }),
  paths: Type.Record(Type.String({ pattern: '^/' }), PathItem),
  components: Type.Optional(Type.Object({ schemas: Type.Optional(Type.Record(Type.String(), Type.Object({}))) }))
})
export type OpenApiDocument = Static<typeof Document>

/** The problems found (empty when the document holds together). */
export function openApiProblems (document: unknown): string[] {
  if (!Value.Check(Document, document)) return [...Value.Errors(Document, document)].map((e) => `${e.path}: ${e.message}`)
  const problems: string[] = []
  const doc: OpenApiDocument = document
  for (const [template, item] of Object.entries(doc.paths)) {
    const named = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      const inPath = (operation.parameters ?? []).filter((p) => p.in === 'path')
      for (const p of inPath) {
        if (!named.includes(p.name)) problems.push(`${method} ${template}: path parameter ${p.name} is not in the template`)
        if (p.required !== true) problems.push(`${method} ${template}: path parameter ${p.name} must be required`)
      }
      for (const name of named) {
        if (!inPath.some((p) => p.name === name)) problems.push(`${method} ${template}: {${name}} has no parameter`)
      }
    }
  }
  for (const ref of JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)) {
    const target = ref[1]!.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document)
    if (target === undefined) problems.push(`unresolved $ref ${ref[1]}`)
  }
  return problems
}
