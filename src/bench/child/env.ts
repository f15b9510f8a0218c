/**
 * The child's environment: an allow-list, never a deny-list, so a token or proxy setting the
 * runner happens to have (GITHUB_TOKEN, ACTIONS_*, AWS_*, HTTPS_PROXY, NODE_OPTIONS…) can
 * never reach model code. HOME and TMPDIR point at the child's own temp folder.
 */

/** Variables copied from the parent when set; everything else is dropped. */
export const CHILD_ENV_ALLOW = [
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'LD_LIBRARY_PATH',
  'CUDA_VISIBLE_DEVICES',
  'CUDA_HOME',
  'CUDA_PATH',
  'NVIDIA_VISIBLE_DEVICES',
] as const;

/** Returns the child's environment built from `source` and its temp folder `home`. */
export function childEnv(source: NodeJS.ProcessEnv, home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of CHILD_ENV_ALLOW) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  env.HOME = home;
  env.TMPDIR = home;
  return env;
}
