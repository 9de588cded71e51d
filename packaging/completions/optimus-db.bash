# SPDX-License-Identifier: BSD-2-Clause
# bash completion for optimus-db. Commands and options are read from the
# program's own --help, so the completion never goes stale.
_optimus_db()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]:-}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(optimus-db --help 2>/dev/null | awk '$1 == "optimus-db" && NF > 1 { print $2 }') --help --version" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(optimus-db "$cmd" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _optimus_db optimus-db
