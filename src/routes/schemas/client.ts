import { Type } from '@sinclair/typebox'
import { ConfigSchema } from '../../../plugins/infrastructure/config/schema.ts'

/** GET /api/client-config: what the browser needs of the configuration (the `ui` section as configured). */
export const ClientConfigSchema = Type.Object({
  app_name: Type.String(),
  ui: ConfigSchema.properties.ui
})
