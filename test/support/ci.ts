/**
 * Whether this run is CI, the one rule every part of the suite follows: `CI`
 * set to anything but an empty string, `0` or `false` (any case). CI services
 * set `CI=true`, people type `CI=1`; both must turn a missing service or
 * program into a failure and write the JSON report, or a green run could mean
 * a suite was silently skipped.
 *
 * @example
 * if (!hasChromium && isCi()) throw new Error('chromium is missing, and this is CI')
 */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase()
  return !!value && value !== '0' && value !== 'false'
}

/** How the failure messages name the CI setting that was seen. */
export const ciSetting = (env: NodeJS.ProcessEnv = process.env): string => `CI=${env.CI ?? ''}`
