/** Java regex replacement strings (`$1`, `${name}`, `\$`) in JavaScript's replacement syntax. */
export function javaReplacement(replacement: string): string {
  return replacement.replace(/\\\$/g, '$$$$').replace(/\$\{(\w+)\}/g, '$<$1>');
}
