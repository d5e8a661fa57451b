// The one configuration schema: app.yaml, APP_CONFIG and the environment are validated against it at start-up.
import { Type, type Static } from '@sinclair/typebox'
import type { ProfileField } from '../../../db/types.ts'

const strict = { additionalProperties: false } as const

/**
 * The most completion tokens one reply may cost (llm.max_tokens cannot be set above it). Visitors never choose it; the
 * cap bounds what a single turn can spend even if the configuration is wrong. 8192 leaves room for a reasoning model.
 */
export const LLM_MAX_TOKENS_CAP = 8192

const PositiveInt = (def: number) => Type.Integer({ minimum: 1, default: def })

/** Every profile field (the profile table's value columns), in the order they are shown. */
export const PROFILE_FIELDS = [
  'customer_name', 'email', 'phone', 'address_street', 'address_city', 'address_state', 'address_zip',
  'products_of_interest', 'services_of_interest', 'preferences'
] as const satisfies readonly ProfileField[]

/** The profile fields a visitor, the memory message and the console may name. */
export const ProfileFieldSchema = Type.Union(PROFILE_FIELDS.map((field) => Type.Literal(field)))

export const PricingSchema = Type.Record(Type.String(), Type.Object({
  prompt_per_million: Type.Number({ minimum: 0 }),
  completion_per_million: Type.Number({ minimum: 0 })
}, strict))

export const ConfigSchema = Type.Object({
  app: Type.Object({
    name: Type.String({ minLength: 1, default: 'Salient' }),
    public_url: Type.String({ default: 'http://localhost:8000' })
  }, { ...strict, default: {} }),
  server: Type.Object({
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
    body_limit_bytes: PositiveInt(65536),
    trust_proxy: Type.Boolean({ default: false }),
    shutdown_grace_ms: Type.Integer({ minimum: 0, default: 10000 })
  }, { ...strict, default: {} }),
  database: Type.Object({
    url: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    pool_size: PositiveInt(20),
    pool_timeout_ms: PositiveInt(30000),
    statement_timeout_ms: PositiveInt(5000),
    migrate_on_start: Type.Union([Type.Boolean(), Type.Literal('auto')], { default: 'auto' }),
    // Off behind a transaction-pooling PgBouncer, which cannot keep a named statement across transactions.
    prepared_statements: Type.Boolean({ default: true }),
    embedded: Type.Object({
      data_dir: Type.String({ minLength: 1, default: '.data/postgres' }),
      port: Type.Integer({ minimum: 1, maximum: 65535, default: 54329 })
    }, { ...strict, default: {} })
  }, { ...strict, default: {} }),
  session: Type.Object({
    cookie_name: Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: 'salient_session' }),
    cookie_max_age: PositiveInt(604800),
    cookie_secure: Type.Boolean({ default: false }),
    cookie_httponly: Type.Boolean({ default: true }),
    cookie_samesite: Type.Union([Type.Literal('lax'), Type.Literal('strict'), Type.Literal('none')], { default: 'lax' })
  }, { ...strict, default: {} }),
  llm: Type.Object({
    provider: Type.Union([Type.Literal('openrouter'), Type.Literal('offline')], { default: 'openrouter' }),
    base_url: Type.String({ default: 'https://openrouter.ai/api/v1' }),
    api_key: Type.Union([Type.String(), Type.Null()], { default: null }),
    model: Type.String({ minLength: 1, default: 'openai/gpt-oss-20b' }),
    temperature: Type.Number({ minimum: 0, maximum: 2, default: 0.3 }),
    max_tokens: Type.Integer({ minimum: 1, maximum: LLM_MAX_TOKENS_CAP, default: 1024 }),
    timeout_ms: PositiveInt(60000),
    connect_timeout_ms: PositiveInt(10000),
    max_retries: Type.Integer({ minimum: 0, maximum: 5, default: 2 }),
    context_messages: Type.Integer({ minimum: 0, maximum: 200, default: 20 }),
    system_prompt: Type.String({ default: 'You are a helpful sales assistant.' }),
    on_client_disconnect: Type.Union([Type.Literal('finish'), Type.Literal('abort')], { default: 'finish' }),
    reconcile_delays_ms: Type.Array(Type.Integer({ minimum: 0 }), { default: [2000, 5000, 15000] }),
    pricing: Type.Optional(PricingSchema)
  }, { ...strict, default: {} }),
  chat: Type.Object({
    history_limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    max_message_chars: PositiveInt(8000),
    max_concurrent_streams_per_session: PositiveInt(2),
    rate_limit: Type.Object({
      per_session_per_minute: PositiveInt(30),
      per_ip_per_minute: PositiveInt(120)
    }, { ...strict, default: {} })
  }, { ...strict, default: {} }),
  profile: Type.Object({
    products: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    services: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    extractor: Type.Union([Type.Literal('rules'), Type.Literal('llm'), Type.Literal('both')], { default: 'rules' }),
    min_confidence: Type.Number({ minimum: 0, maximum: 1, default: 0.6 }),
    default_region: Type.String({ pattern: '^[A-Z]{2}$', default: 'US' })
  }, { ...strict, default: {} }),
  logging: Type.Object({
    level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' })
  }, { ...strict, default: {} }),
  admin: Type.Object({
    token: Type.Union([Type.String({ minLength: 16 }), Type.Null()], { default: null })
  }, { ...strict, default: {} }),
  identity: Type.Object({
    // HS256 secret shared with the host site for POST /api/session/identify (null: the route is 404).
    secret: Type.Union([Type.String({ minLength: 32 }), Type.Null()], { default: null }),
    code_ttl_s: PositiveInt(600),
    max_codes_per_hour: PositiveInt(5),
    max_attempts: PositiveInt(5)
  }, { ...strict, default: {} }),
  mail: Type.Object({
    transport: Type.Union([Type.Literal('outbox'), Type.Literal('smtp')], { default: 'outbox' }),
    smtp_url: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    from: Type.String({ minLength: 3, default: 'Salient <no-reply@localhost>' })
  }, { ...strict, default: {} }),
  memory: Type.Object({
    enabled: Type.Boolean({ default: true }),
    fields: Type.Array(ProfileFieldSchema, {
      default: ['customer_name', 'products_of_interest', 'services_of_interest', 'preferences', 'address_city', 'address_state']
    })
  }, { ...strict, default: {} }),
  embed: Type.Object({
    // Exact origins (scheme://host[:port]) that may frame the chat and call it from /embed; empty: none.
    allowed_origins: Type.Array(Type.String({ minLength: 1 }), { default: [] })
  }, { ...strict, default: {} }),
  metrics: Type.Object({
    // When set, /metrics is also served without a token on 127.0.0.1:<port>.
    port: Type.Union([Type.Integer({ minimum: 1, maximum: 65535 }), Type.Null()], { default: null })
  }, { ...strict, default: {} }),
  redis: Type.Object({
    // Shared rate limits and stream caps across instances; null keeps them per process.
    url: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    // Every key this app writes starts with it: several apps (or test runs) can share one Redis.
    key_prefix: Type.String({ default: 'salient:' })
  }, { ...strict, default: {} }),
  retention: Type.Object({
    // Sessions idle this many days are purged in-process once a day (one instance at a time); null: off.
    idle_days: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { default: null })
  }, { ...strict, default: {} }),
  ui: Type.Object({
    sse_enabled: Type.Boolean({ default: true }),
    allow_basic_html: Type.Boolean({ default: true }),
    dev_diagnostics: Type.Boolean({ default: true }),
    submit_shortcut: Type.Union([Type.Literal('enter'), Type.Literal('mod+enter')], { default: 'enter' }),
    enter_inserts_newline: Type.Boolean({ default: false })
  }, { ...strict, default: {} })
}, strict)

export type Config = Static<typeof ConfigSchema>
export type LlmConfig = Config['llm']
export type Pricing = Static<typeof PricingSchema>
