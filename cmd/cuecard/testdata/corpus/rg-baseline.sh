#!/bin/sh
# rg-baseline.sh CORPORA: the questions of this folder answered with rg,
# as a person at a terminal might: the files that contain the query (case
# folded), most matching lines first; when none does, the files that
# contain every word, most matches first. Prints rank per question and
# top-1 / top-3, like TestCorpusHitRate.
set -eu
corpora=$1
here=$(cd "$(dirname "$0")" && pwd)
for name in hugo-docs obsidian-help; do
	lib=$corpora/$name
	top1=0 top3=0 n=0
	while IFS='	' read -r query right; do
		case $query in '#'* | '') continue ;; esac
		n=$((n + 1))
		ranked=$(cd "$lib" && rg -i -c -F --glob '*.md' -- "$query" . 2>/dev/null | sed 's|^\./||' | sort -t: -k2,2nr | cut -d: -f1 || true)
		if [ -z "$ranked" ]; then
			files=$(cd "$lib" && rg -i -l -F --glob '*.md' -- "$(echo "$query" | cut -d' ' -f1)" . 2>/dev/null | sed 's|^\./||' || true)
			for w in $(echo "$query" | cut -s -d' ' -f2-); do
				files=$(cd "$lib" && echo "$files" | while IFS= read -r f; do [ -n "$f" ] && rg -i -q -F -- "$w" "$f" && echo "$f"; done || true)
			done
			ranked=$(cd "$lib" && echo "$files" | while IFS= read -r f; do [ -n "$f" ] && echo "$(rg -i -c -F -e "$(echo "$query" | tr ' ' '\n' | head -1)" "$f"):$f"; done | sort -t: -k1,1nr | cut -d: -f2- || true)
		fi
		rank=0 i=0
		for f in $(echo "$ranked" | head -10 | tr ' ' '\a'); do
			i=$((i + 1))
			f=$(echo "$f" | tr '\a' ' ')
			if echo "|$right|" | grep -qF "|$f|"; then rank=$i; break; fi
		done
		[ "$rank" = 1 ] && top1=$((top1 + 1))
		[ "$rank" -ge 1 ] && [ "$rank" -le 3 ] && top3=$((top3 + 1))
		printf '%-36s rank %s\n' "$query" "$rank"
	done < "$here/$name.tsv"
	echo "$name: rg top-1 $top1/$n, top-3 $top3/$n"
done
