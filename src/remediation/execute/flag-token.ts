// JVM -X options take their value glued on (-Xmx1536m); every other flag is `name=value`; '' is a bare flag.
const GLUED = /^-X[a-z]+$/;

/** One flag as it is written in a flags variable: `--max-old-space-size=576`, `-Xmx1536m`, `-XX:-UseContainerSupport`. */
export function flagToken(flag: string, value: string): string {
  if (value === '') return flag;
  return GLUED.test(flag) ? `${flag}${value}` : `${flag}=${value}`;
}
