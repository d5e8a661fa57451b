/** A configuration problem that stops start-up; its message names the offending key. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}
