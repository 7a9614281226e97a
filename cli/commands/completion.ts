/** `tributary completion bash|zsh`: completion scripts generated from the command table. */
import type { CliIo } from '../io.ts';
import type { ParsedArgs } from '../args.ts';
import { COMMANDS, GLOBAL_FLAGS, subcommandsOf } from '../spec.ts';

export function bashCompletion(): string {
  const globals = GLOBAL_FLAGS.map((f) => `--${f.name}`).join(' ');
  // Longest paths first, so "connectors list" wins over "connectors".
  const specs = [...COMMANDS].sort((a, b) => b.path.length - a.path.length);
  const cases = specs.map((c) => {
    const words = [
      ...subcommandsOf(c.path).map((s) => s.path[s.path.length - 1]),
      ...(c.flags ?? []).map((f) => `--${f.name}`),
    ].join(' ');
    return `    "${c.path.join(' ')}"|"${c.path.join(' ')} "*) opts="${words} ${globals}" ;;`;
  });
  const top = COMMANDS.filter((c) => c.path.length === 1)
    .map((c) => c.path[0])
    .join(' ');
  return `# tributary bash completion: eval "$(tributary completion bash)"
_tributary() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" i w opts
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case "\${COMP_WORDS[i-1]}" in --url|--user|--token|--output) continue ;; esac
    path="\${path:+$path }$w"
  done
  case "$path" in
${cases.join('\n')}
    *) opts="${top} ${globals}" ;;
  esac
  case "\${COMP_WORDS[COMP_CWORD-1]}" in
    --output) opts="json table" ;;
    --format) opts="json pretty raw" ;;
    --key-converter|--value-converter) opts="json string bytes avro protobuf" ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  case "$cur" in -*|"") ;; *) [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=( $(compgen -f -- "$cur") ) ;; esac
}
complete -F _tributary tributary
`;
}

export function zshCompletion(): string {
  return `# tributary zsh completion: eval "$(tributary completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bashCompletion()}`;
}

export async function runCompletion(p: ParsedArgs, io: CliIo): Promise<number> {
  io.stdout.write(p.path[1] === 'zsh' ? zshCompletion() : bashCompletion());
  return 0;
}
