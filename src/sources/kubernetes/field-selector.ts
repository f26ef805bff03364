/**
 * A field selector from label=value pairs, values escaped as fields.EscapeValue does (`\`, `,` and `=`), so a
 * name can never add a term.
 */
export function fieldSelector(terms: Record<string, string>): string {
  return Object.entries(terms).map(([k, v]) => `${k}=${v.replace(/[\\,=]/g, (c) => `\\${c}`)}`).join(',');
}
